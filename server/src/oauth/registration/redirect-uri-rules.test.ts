import { describe, expect, it } from 'vitest';
import { isAllowedRedirectUri, redirectUriMatches } from './redirect-uri-rules.js';

describe('isAllowedRedirectUri', () => {
  it.each([
    ['https://app.example/cb', true],
    ['https://app.example:8443/cb?x=1', true],
    ['http://127.0.0.1:3000/cb', true],
    ['http://[::1]/cb', true],
    ['http://localhost:5173/cb', true],
    ['com.example.app:/cb', true],
    ['com.example.app:/oauth2redirect', true],
    ['http://app.example/cb', false],
    ['http://192.168.1.10/cb', false],
    ['https://app.example/cb#frag', false],
    ['https://user:pw@app.example/cb', false],
    ['javascript:alert(1)', false],
    ['data:text/html,hi', false],
    ['myapp:/cb', false],
    ['file:///etc/passwd', false],
    ['not a url', false],
    ['', false],
  ])('%s → %s', (uri, allowed) => {
    expect(isAllowedRedirectUri(uri)).toBe(allowed);
  });
});

describe('redirectUriMatches', () => {
  it.each([
    ['https://app.example/cb', 'https://app.example/cb', true],
    ['https://app.example/cb', 'https://app.example/cb/', false],
    ['https://app.example/cb', 'https://app.example/CB', false],
    ['https://app.example/cb', 'https://APP.example/cb', false],
    ['https://app.example:8443/cb', 'https://app.example:9443/cb', false],
    ['https://app.example/cb', 'https://app.example/cb?extra=1', false],
    ['https://app.example/cb', 'https://app.example.evil.com/cb', false],
    ['http://127.0.0.1:3000/cb', 'http://127.0.0.1:61234/cb', true],
    ['http://127.0.0.1/cb', 'http://127.0.0.1:61234/cb', true],
    ['http://[::1]:80/cb', 'http://[::1]:8080/cb', true],
    ['http://127.0.0.1:3000/cb', 'http://127.0.0.1:61234/cb/', false],
    ['http://127.0.0.1:3000/cb', 'http://127.0.0.1:1@evil.example/cb', false],
    ['http://127.0.0.1:3000/cb', 'http://localhost:3000/cb', false],
    ['http://127.0.0.1:3000/cb', 'https://127.0.0.1:3000/cb', false],
    ['com.example.app:/cb', 'com.example.app:/cb', true],
    ['com.example.app:/cb', 'com.example.app:/cb2', false],
    ['https://app.example/cb', 'not a url', false],
  ])('registered %s, requested %s → %s', (registered, requested, expected) => {
    expect(redirectUriMatches(registered, requested)).toBe(expected);
  });
});
