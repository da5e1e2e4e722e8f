/**
 * The admin token the testkit gives every node it starts: a node's admin API can partition its
 * cluster (`/faults`), so even a throwaway one does not take orders from whoever reaches its port.
 * The node reads it from its environment (never its command line, which `ps` shows).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export const ADMIN_TOKEN_ENV = 'REPLIMQ_ADMIN_TOKEN';

export function newAdminToken(): string {
  return randomBytes(24).toString('base64url');
}

/** The token the user set in the node's environment, else a fresh one. */
export function adminTokenFor(environment: Readonly<Record<string, string>> | undefined): string {
  const chosen = environment?.[ADMIN_TOKEN_ENV];
  return chosen !== undefined && chosen.trim() !== '' ? chosen.trim() : newAdminToken();
}

/**
 * The token of reusable containers: one per user and machine, kept in a file only that user can
 * read, so every process that finds the running container also holds its token (a fresh token
 * per process would also change the reuse hash, which includes the environment).
 */
export function reusableAdminToken(environment: Readonly<Record<string, string>> | undefined): string {
  const chosen = environment?.[ADMIN_TOKEN_ENV];
  if (chosen !== undefined && chosen.trim() !== '') return chosen.trim();
  const file = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'replimq-testkit', 'reuse-admin-token');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const token = newAdminToken();
    try {
      // 'wx': two processes racing to create it keep the first one's token.
      writeFileSync(file, token, { mode: 0o600, flag: 'wx' });
      return token;
    } catch {
      return readFileSync(file, 'utf8').trim();
    }
  }
}
