import { describe, expect, it } from 'vitest';
import { redirectUriProblem, siteAddressProblem } from './validation';

describe('siteAddressProblem', () => {
  it('accepts an https origin, with or without a port or trailing slash', () => {
    for (const address of ['https://ehr.example.com', 'https://ehr.example.com/', 'https://192.168.1.20:8443']) {
      expect(siteAddressProblem(address)).toBeUndefined();
    }
  });

  it('refuses http, paths, queries, fragments and credentials', () => {
    for (const address of ['', 'ehr.example.com', 'http://ehr.example.com', 'https://ehr.example.com/fhir', 'https://ehr.example.com?x=1', 'https://ehr.example.com#a', 'https://u:p@ehr.example.com']) {
      expect(siteAddressProblem(address)).toBeDefined();
    }
  });
});

describe('redirectUriProblem', () => {
  it('accepts https, loopback http and reverse-domain app schemes', () => {
    for (const uri of ['https://app.example.com/cb', 'http://127.0.0.1:8080/cb', 'http://localhost/cb', 'com.example.app:/callback']) {
      expect(redirectUriProblem(uri)).toBeUndefined();
    }
  });

  it('refuses plain http elsewhere, fragments, and bare schemes', () => {
    for (const uri of ['http://app.example.com/cb', 'https://app.example.com/cb#x', 'myapp:/cb', 'not a url']) {
      expect(redirectUriProblem(uri)).toBeDefined();
    }
  });
});
