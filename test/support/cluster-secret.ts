/**
 * Cluster secrets for tests that wire transports or start processes themselves: a fresh random
 * one per cluster, as the testkit does, so no test depends on a known value.
 */
import { randomBytes } from 'node:crypto';
import type { ClusterSecurity } from '../../server/src/cluster/auth/cluster-security.js';
import { ClusterKeys } from '../../server/src/cluster/auth/peer-credential.js';

export function randomClusterSecret(): string {
  return randomBytes(32).toString('hex');
}

/** What `resolveClusterSecurity` makes of `--cluster-secret <secrets>` (no TLS). */
export function secretSecurity(...secrets: string[]): ClusterSecurity {
  return { mode: 'authenticated', keys: new ClusterKeys(secrets.length > 0 ? secrets : [randomClusterSecret()]), tls: undefined };
}
