import { isIP } from 'node:net';
import os from 'node:os';
import { domainToASCII } from 'node:url';

export interface SanEntries {
  dnsNames: string[];
  ipAddresses: string[];
}

export interface SplitHosts extends SanEntries {
  /** Entries that are neither an IP address nor a usable DNS name; left out of the SAN. */
  rejected: string[];
}

type CanonicalHost = { kind: 'dns' | 'ip'; value: string };

// Letters, digits, '-' and '_' per label (Windows machine names may contain '_').
const DNS_NAME =
  /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

/**
 * One spelling per host so that "::1", "[0:0::1]" and "LocalHost." compare equal to what is
 * already in a certificate. Undefined when the entry cannot go into a SAN.
 */
export function canonicalHost(host: string): CanonicalHost | undefined {
  let candidate = host.trim().replace(/^\[(.*)\]$/, '$1');
  if (isIP(candidate) === 6) {
    // A zone id ("%eth0") only means something on this machine; a certificate cannot hold it.
    candidate = candidate.replace(/%.*$/, '');
    return { kind: 'ip', value: new URL(`http://[${candidate}]/`).hostname.slice(1, -1) };
  }
  if (isIP(candidate) === 4) {
    return { kind: 'ip', value: candidate };
  }
  const name = domainToASCII(candidate.replace(/\.$/, ''));
  return DNS_NAME.test(name) ? { kind: 'dns', value: name } : undefined;
}

/** Sorts the requested hosts into the SAN's DNS and IP entries, canonical and deduplicated. */
export function splitHosts(hosts: readonly string[]): SplitHosts {
  const dnsNames = new Set<string>();
  const ipAddresses = new Set<string>();
  const rejected: string[] = [];
  for (const host of hosts) {
    const canonical = canonicalHost(host);
    if (canonical === undefined) {
      rejected.push(host);
    } else {
      (canonical.kind === 'dns' ? dnsNames : ipAddresses).add(canonical.value);
    }
  }
  return { dnsNames: [...dnsNames], ipAddresses: [...ipAddresses], rejected };
}

/** The hosts that `required` names but `present` does not cover. */
export function missingHosts(required: SanEntries, present: SanEntries): string[] {
  const have = new Set([...present.dnsNames, ...present.ipAddresses]);
  return [...required.dnsNames, ...required.ipAddresses].filter((host) => !have.has(host));
}

export function defaultTlsHosts(siteAddress: string): string[] {
  const hosts = [
    'localhost',
    '127.0.0.1',
    '::1',
    os.hostname(),
    siteAddressHost(siteAddress),
    ...lanAddresses(),
  ];
  const present = hosts.filter((host): host is string => host !== undefined && host !== '');
  return [...new Set(present.map((host) => host.toLowerCase()))];
}

function siteAddressHost(siteAddress: string): string | undefined {
  // "ehr.example:8443" without a scheme would otherwise parse as scheme "ehr.example:".
  const url = siteAddress.includes('://') ? siteAddress : `https://${siteAddress}`;
  try {
    return new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
  } catch {
    return undefined;
  }
}

function lanAddresses(): string[] {
  let interfaces: ReturnType<typeof os.networkInterfaces>;
  try {
    interfaces = os.networkInterfaces();
  } catch {
    return []; // some sandboxes refuse to list interfaces; the loopback names still work
  }
  return Object.values(interfaces)
    .flatMap((addresses) => addresses ?? [])
    .filter((address) => !address.internal && !isLinkLocal(address.address))
    .map((address) => address.address);
}

// Link-local addresses change with the interface and need a zone id in URLs: no use in a SAN.
function isLinkLocal(address: string): boolean {
  return address.startsWith('169.254.') || /^fe[89ab][0-9a-f]:/i.test(address);
}
