import { describe, expect, it } from 'vitest';
import { matchPage, pages, subPath } from './routes';

describe('matchPage', () => {
  it('finds pages and the sections deeper paths belong to', () => {
    expect(matchPage('/')).toEqual({ page: pages.dashboard, rest: [] });
    expect(matchPage('/clients')).toEqual({ page: pages.apiClients, rest: [] });
    expect(matchPage('/clients/new')).toEqual({ page: pages.apiClients, rest: ['new'] });
    expect(matchPage(subPath('/users', 'a b/c'))).toEqual({ page: pages.users, rest: ['a b/c'] });
  });

  it('finds nothing for unknown or malformed paths', () => {
    expect(matchPage('/nowhere')).toBeUndefined();
    expect(matchPage('/clientsx')).toBeUndefined();
    expect(matchPage('/clients/')).toBeUndefined();
    expect(matchPage('/clients/%E0%A4%A')).toBeUndefined();
  });
});
