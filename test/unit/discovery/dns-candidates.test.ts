/**
 * What `--discover dns:NAME[:PORT]` makes of DNS answers, through an injected resolver: SRV
 * first, A/AAAA at the port otherwise (also when the SRV lookup itself fails), no records as
 * none, and a member's host name kept instead of its IP only when the name leads to that IP.
 */
import { describe, expect, it } from 'vitest';
import { dnsCandidates, stableAddress, type DiscoveryResolver } from '../../../server/src/discovery/dns-candidates.js';

function failure(code: string): Error {
  return Object.assign(new Error(code), { code });
}

function resolver(zone: { srv?: Record<string, { name: string; port: number }[]>; a?: Record<string, string[]>; aaaa?: Record<string, string[]>; srvFails?: string }): DiscoveryResolver {
  const lookup = <T>(table: Record<string, T[]> | undefined, name: string): Promise<T[]> => {
    const found = table?.[name];
    return found ? Promise.resolve(found) : Promise.reject(failure('ENOTFOUND'));
  };
  return {
    resolveSrv: (name) => (zone.srvFails ? Promise.reject(failure(zone.srvFails)) : lookup(zone.srv, name)),
    resolve4: (name) => lookup(zone.a, name),
    resolve6: (name) => lookup(zone.aaaa, name),
  };
}

describe('dns candidates', () => {
  it('takes the SRV targets of _replimq._tcp.NAME, with their own ports, when there are any', async () => {
    const zone = resolver({
      srv: { '_replimq._tcp.mq-headless.ns.svc.cluster.local': [{ name: 'mq-1.mq-headless.ns.svc.cluster.local.', port: 9326 }, { name: 'mq-0.mq-headless.ns.svc.cluster.local', port: 9326 }] },
      a: { 'mq-headless.ns.svc.cluster.local': ['10.1.0.7'] },
    });
    expect(await dnsCandidates(zone, { name: 'mq-headless.ns.svc.cluster.local', port: undefined }, 9326)).toEqual([
      { host: 'mq-0.mq-headless.ns.svc.cluster.local', port: 9326 },
      { host: 'mq-1.mq-headless.ns.svc.cluster.local', port: 9326 },
    ]);
  });

  it('falls back to A and AAAA records at the given port, or this node\'s gRPC port, also when SRV fails', async () => {
    const zone = resolver({ a: { replimq: ['172.20.0.3', '172.20.0.2', '172.20.0.3'] }, aaaa: { replimq: ['fd00::4'] } });
    expect(await dnsCandidates(zone, { name: 'replimq', port: 9400 }, 9326)).toEqual([
      { host: '172.20.0.2', port: 9400 },
      { host: '172.20.0.3', port: 9400 },
      { host: 'fd00::4', port: 9400 },
    ]);
    const servfail = resolver({ a: { replimq: ['172.20.0.2'] }, srvFails: 'ESERVFAIL' });
    expect(await dnsCandidates(servfail, { name: 'replimq', port: undefined }, 9326)).toEqual([{ host: '172.20.0.2', port: 9326 }]);
  });

  it('reads no records as no members, and passes on a lookup that failed', async () => {
    expect(await dnsCandidates(resolver({}), { name: 'nobody', port: undefined }, 9326)).toEqual([]);
    const broken: DiscoveryResolver = { ...resolver({}), resolve4: () => Promise.reject(failure('ETIMEOUT')) };
    await expect(dnsCandidates(broken, { name: 'replimq', port: undefined }, 9326)).rejects.toThrow('ETIMEOUT');
  });

  it('keeps a member\'s host name instead of its IP only when the name resolves to that IP', async () => {
    const zone = resolver({ a: { n1: ['172.20.0.2'], n2: ['172.20.0.9'] } });
    expect(await stableAddress(zone, { host: '172.20.0.2', port: 9326 }, 'n1')).toEqual({ host: 'n1', port: 9326 });
    expect(await stableAddress(zone, { host: '172.20.0.3', port: 9326 }, 'n2')).toEqual({ host: '172.20.0.3', port: 9326 });
    expect(await stableAddress(zone, { host: '172.20.0.4', port: 9326 }, 'unknown')).toEqual({ host: '172.20.0.4', port: 9326 });
    expect(await stableAddress(zone, { host: 'mq-0.svc', port: 9326 }, 'n1')).toEqual({ host: 'mq-0.svc', port: 9326 });
  });
});
