/**
 * The admin token the testkit gives every node it starts: a node's admin API can partition its
 * cluster (`/faults`), so even a throwaway one does not take orders from whoever reaches its port.
 * The node reads it from its environment (never its command line, which `ps` shows).
 */
import { randomBytes } from 'node:crypto';

export const ADMIN_TOKEN_ENV = 'REPLIMQ_ADMIN_TOKEN';

export function newAdminToken(): string {
  return randomBytes(24).toString('base64url');
}

/** The token the user set in the node's environment, else a fresh one. */
export function adminTokenFor(environment: Readonly<Record<string, string>> | undefined): string {
  const chosen = environment?.[ADMIN_TOKEN_ENV];
  return chosen !== undefined && chosen.trim() !== '' ? chosen.trim() : newAdminToken();
}
