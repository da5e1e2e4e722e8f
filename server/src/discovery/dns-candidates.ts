/**
 * The DNS side of `--discover dns:NAME[:PORT]`: the addresses behind a name, as gRPC targets.
 *
 * SRV records `_replimq._tcp.NAME` come first where they exist (a Kubernetes headless service
 * whose port is named `replimq` publishes one per pod, with the pod's stable host name and its
 * port); otherwise the A and AAAA records of NAME, each at PORT (a Compose service name, a
 * headless service without a named port). The resolver is injected: node:dns by default, a test's
 * own server, or none at all.
 */
import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { MemberAddress } from './bootstrap-decision.js';

export interface DiscoveryResolver {
  resolveSrv(name: string): Promise<{ name: string; port: number }[]>;
  resolve4(name: string): Promise<string[]>;
  resolve6(name: string): Promise<string[]>;
}

/** `--discover dns:NAME[:PORT]`. */
export interface DiscoverTarget {
  name: string;
  /** Port of the A/AAAA addresses; undefined: this node's own --grpc-port. */
  port: number | undefined;
}

/** Answers that mean "no such records" rather than a failure worth retrying differently. */
const NO_RECORDS = new Set(['ENOTFOUND', 'ENODATA', 'NXDOMAIN', 'ENONAME']);

export async function dnsCandidates(resolver: DiscoveryResolver, target: DiscoverTarget, defaultPort: number): Promise<MemberAddress[]> {
  // SRV is optional: a resolver that cannot answer it (Docker's forwards unknown names upstream,
  // which may be unreachable) must not keep the A/AAAA records from being used.
  const srv = await records(() => resolver.resolveSrv(`_replimq._tcp.${target.name}`)).catch(() => []);
  if (srv.length > 0) return dedupe(srv.map((record) => ({ host: record.name.replace(/\.$/, ''), port: record.port })));
  const port = target.port ?? defaultPort;
  const [v4, v6] = await Promise.all([records(() => resolver.resolve4(target.name)), records(() => resolver.resolve6(target.name))]);
  return dedupe([...v4, ...v6].map((host) => ({ host, port })));
}

/**
 * The address to keep for a member found at the IP `address`: its own host name when that name
 * resolves to the same IP (a Compose service's `hostname:`), since the IP may change when the
 * container restarts; the IP otherwise. SRV targets are names already.
 */
export async function stableAddress(resolver: DiscoveryResolver, address: MemberAddress, hostname: string): Promise<MemberAddress> {
  if (isIP(address.host) === 0 || hostname === '' || isIP(hostname) !== 0) return address;
  const [v4, v6] = await Promise.all([records(() => resolver.resolve4(hostname)), records(() => resolver.resolve6(hostname))]);
  return [...v4, ...v6].includes(address.host) ? { host: hostname, port: address.port } : address;
}

async function records<T>(query: () => Promise<T[]>): Promise<T[]> {
  try {
    return await query();
  } catch (error) {
    if (NO_RECORDS.has((error as NodeJS.ErrnoException).code ?? '')) return [];
    throw error;
  }
}

function dedupe(addresses: MemberAddress[]): MemberAddress[] {
  const seen = new Map(addresses.map((address) => [`${address.host}:${address.port}`, address]));
  return [...seen.values()].sort((a, b) => `${a.host}:${a.port}`.localeCompare(`${b.host}:${b.port}`));
}

/**
 * node:dns with the system's servers, or `REPLIMQ_DISCOVER_DNS_SERVER` (`host:port`, a tuning and
 * testing knob, not a flag: the name server to ask instead of /etc/resolv.conf's).
 */
export function systemResolver(env: NodeJS.ProcessEnv = process.env): DiscoveryResolver {
  const resolver = new Resolver({ timeout: 2_000, tries: 2 });
  const server = env['REPLIMQ_DISCOVER_DNS_SERVER']?.trim();
  if (server) resolver.setServers([server]);
  return {
    resolveSrv: (name) => resolver.resolveSrv(name),
    resolve4: (name) => resolver.resolve4(name),
    resolve6: (name) => resolver.resolve6(name),
  };
}
