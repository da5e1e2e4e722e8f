/**
 * The gRPC address a shared-db node writes in the members table for standbys to forward to. Its
 * bind address when that is a concrete one; on a wildcard bind, the machine's first external
 * IPv4 address (a container's address on its network), else loopback.
 */
import { networkInterfaces } from 'node:os';

export function advertisedHost(bind: string): string {
  if (bind !== '0.0.0.0' && bind !== '::') return bind;
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) if (address.family === 'IPv4' && !address.internal) return address.address;
  }
  return '127.0.0.1';
}

