import os from 'node:os';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { canonicalHost, defaultTlsHosts, missingHosts, splitHosts } from './hosts.js';

afterEach(() => {
  vi.restoreAllMocks();
});

function fakeInterfaces(): ReturnType<typeof os.networkInterfaces> {
  const base = { netmask: '', mac: '00:00:00:00:00:00', cidr: null };
  return {
    lo: [
      { ...base, address: '127.0.0.1', family: 'IPv4', internal: true },
      { ...base, address: '::1', family: 'IPv6', internal: true, scopeid: 0 },
    ],
    eth0: [
      { ...base, address: '192.168.1.20', family: 'IPv4', internal: false },
      { ...base, address: 'fd12:3456::20', family: 'IPv6', internal: false, scopeid: 0 },
      { ...base, address: 'fe80::1234:5678', family: 'IPv6', internal: false, scopeid: 2 },
    ],
    wifi: [{ ...base, address: '169.254.10.11', family: 'IPv4', internal: false }],
  };
}

describe('defaultTlsHosts', () => {
  it('lists the loopback names, this machine, the site host and the LAN addresses once each', () => {
    vi.spyOn(os, 'networkInterfaces').mockReturnValue(fakeInterfaces());
    vi.spyOn(os, 'hostname').mockReturnValue('Front-Desk');

    expect(defaultTlsHosts('https://ehr.practice.example:8443')).toEqual([
      'localhost',
      '127.0.0.1',
      '::1',
      'front-desk',
      'ehr.practice.example',
      '192.168.1.20',
      'fd12:3456::20',
    ]);
  });

  it('takes the host from an IPv6 site address without brackets', () => {
    vi.spyOn(os, 'networkInterfaces').mockReturnValue({});
    expect(defaultTlsHosts('https://[fd00::5]:8443/')).toContain('fd00::5');
  });

  it('accepts a site address without a scheme', () => {
    vi.spyOn(os, 'networkInterfaces').mockReturnValue({});
    expect(defaultTlsHosts('ehr.local:8443')).toContain('ehr.local');
  });

  it('does not duplicate localhost when the site address is the default', () => {
    vi.spyOn(os, 'networkInterfaces').mockReturnValue({});
    const hosts = defaultTlsHosts('https://localhost:8443');
    expect(hosts.filter((host) => host === 'localhost')).toHaveLength(1);
  });

  it('still answers when the interfaces cannot be listed or the site address is unparseable', () => {
    vi.spyOn(os, 'networkInterfaces').mockImplementation(() => {
      throw new Error('uv_interface_addresses returned Unknown system error 1');
    });
    expect(defaultTlsHosts('https://[bad')).toEqual(expect.arrayContaining(['localhost', '127.0.0.1', '::1']));
  });
});

describe('canonicalHost', () => {
  it.each([
    ['localhost', { kind: 'dns', value: 'localhost' }],
    ['EHR.Practice.Example.', { kind: 'dns', value: 'ehr.practice.example' }],
    ['desk_01', { kind: 'dns', value: 'desk_01' }],
    ['bücher.example', { kind: 'dns', value: 'xn--bcher-kva.example' }],
    ['127.0.0.1', { kind: 'ip', value: '127.0.0.1' }],
    ['[::1]', { kind: 'ip', value: '::1' }],
    ['0:0:0:0:0:0:0:1', { kind: 'ip', value: '::1' }],
    ['FD00:0:0::ABCD', { kind: 'ip', value: 'fd00::abcd' }],
    ['fe80::1%eth0', { kind: 'ip', value: 'fe80::1' }],
  ])('reads %j as %j', (input, expected) => {
    expect(canonicalHost(input)).toEqual(expected);
  });

  it.each(['', ' ', 'two words', 'a..b', '-leading.example', 'https://x.example', `${'a'.repeat(64)}.example`])(
    'refuses %j',
    (input) => {
      expect(canonicalHost(input)).toBeUndefined();
    },
  );
});

describe('splitHosts and missingHosts', () => {
  it('splits DNS names from IP addresses and drops duplicates', () => {
    expect(splitHosts(['localhost', '::1', 'LOCALHOST', '0::1', '10.0.0.2', 'not valid'])).toEqual({
      dnsNames: ['localhost'],
      ipAddresses: ['::1', '10.0.0.2'],
      rejected: ['not valid'],
    });
  });

  it('names the requested hosts a certificate lacks', () => {
    const present = { dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] };
    const requested = { dnsNames: ['localhost', 'new.example'], ipAddresses: ['127.0.0.1', '::1'] };
    expect(missingHosts(requested, present)).toEqual(['new.example', '::1']);
    expect(missingHosts(present, requested)).toEqual([]);
  });
});
