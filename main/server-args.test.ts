import { describe, expect, it } from 'vitest';
import { serverArgsFrom } from './server-args.js';

const flags = ['port', 'host', 'data-dir', 'site-address', 'database-url', 'log-level'];

describe('serverArgsFrom', () => {
  it.each([
    ['nothing', [], []],
    ['a flag and its value', ['--port', '9443'], ['--port', '9443']],
    ['flag=value', ['--site-address=https://ehr.example.org'], ['--site-address=https://ehr.example.org']],
    [
      'Chromium switches and positionals around server flags',
      ['--no-sandbox', '--port', '9443', '.', '--enable-logging', '--data-dir=/srv/ehr', '-psn_0_12345'],
      ['--port', '9443', '--data-dir=/srv/ehr'],
    ],
    ['an unknown flag that shares a prefix', ['--portable', '--port-x=1', '--porta=1'], []],
    ['a known flag without a value is left for the server to reject', ['--port'], ['--port']],
    ['a single dash is not a flag', ['-port', '9443'], []],
  ])('%s', (_name, argv, expected) => {
    expect(serverArgsFrom(argv, flags)).toEqual(expected);
  });
});
