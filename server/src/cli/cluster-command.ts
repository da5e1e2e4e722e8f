/**
 * `replimq cluster status|add|remove`: the cluster's configuration through a node's admin API
 * (`GET/POST/DELETE /cluster/members`), for operators (like `etcdctl member`).
 *
 *   replimq cluster status [--admin URL] [--admin-token T] [--json]
 *   replimq cluster add <id> <host:port> [--admin URL] [--admin-token T]   (or <id>@<host:port>)
 *   replimq cluster remove <id> [--admin URL] [--admin-token T]
 *
 * Any node will do: changes are forwarded to the leader. The token comes from `--admin-token`,
 * `--admin-token-file` or `REPLIMQ_ADMIN_TOKEN` (the node's own variable); the URL from `--admin`
 * or `REPLIMQ_ADMIN_URL`, else `http://127.0.0.1:9325`. Exit 0 done, 1 refused or unreachable,
 * 2 a usage mistake.
 */
import { readFileSync } from 'node:fs';
import type { MembersAnswer } from '../cluster/membership-routes.js';
import { USAGE_EXIT_CODE } from './config-error.js';

export const CLUSTER_COMMAND_USAGE = `Usage:
  replimq cluster status [options]             the members (id, gRPC address, voter or learner; progress from the leader)
  replimq cluster add <id> <host:port> [options]
                                               add a member (a learner until it caught up, then a voter)
  replimq cluster remove <id> [options]        remove a member

Options:
  --admin <url>            admin API of any node [env REPLIMQ_ADMIN_URL, default http://127.0.0.1:9325]
  --admin-token <token>    the node's admin token [env REPLIMQ_ADMIN_TOKEN]
  --admin-token-file <f>   read the token from a file
  --json                   print the answer as JSON
`;

const DEFAULT_ADMIN_URL = 'http://127.0.0.1:9325';
const REFUSED_EXIT_CODE = 1;
/** A change waits for its commit at the leader (and a forward for a leader): minutes are wrong. */
const REQUEST_TIMEOUT_MS = 30_000;

export interface CommandOutput {
  out(text: string): void;
  err(text: string): void;
}

interface Invocation {
  verb: 'status' | 'add' | 'remove';
  operands: string[];
  adminUrl: string;
  token: string | undefined;
  json: boolean;
}

class UsageError extends Error {}

/** Runs the command; resolves with the exit code. */
export async function clusterCommand(argv: readonly string[], env: NodeJS.ProcessEnv, output: CommandOutput): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    output.out(CLUSTER_COMMAND_USAGE);
    return 0;
  }
  let invocation: Invocation;
  try {
    invocation = parse(argv, env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    output.err(`replimq cluster: ${error.message}\n\n${CLUSTER_COMMAND_USAGE}`);
    return USAGE_EXIT_CODE;
  }
  const { verb, operands, adminUrl } = invocation;
  try {
    if (verb === 'status') {
      const answer = (await call(invocation, 'GET', '/cluster/members')) as MembersAnswer;
      output.out(invocation.json ? `${JSON.stringify(answer, null, 2)}\n` : membersTable(answer));
      return 0;
    }
    if (verb === 'add') {
      const [id, address] = operands as [string, string];
      const answer = await call(invocation, 'POST', '/cluster/members', { id, address });
      output.out(invocation.json ? `${JSON.stringify(answer, null, 2)}\n` : `added ${id} at ${address} as a learner; it votes once it caught up\n`);
      return 0;
    }
    const [id] = operands as [string];
    const answer = await call(invocation, 'DELETE', `/cluster/members/${encodeURIComponent(id)}`);
    output.out(invocation.json ? `${JSON.stringify(answer, null, 2)}\n` : `removed ${id}\n`);
    return 0;
  } catch (error) {
    output.err(`replimq cluster ${verb}: ${error instanceof Error ? error.message : String(error)} (admin API ${adminUrl})\n`);
    return REFUSED_EXIT_CODE;
  }
}

function parse(argv: readonly string[], env: NodeJS.ProcessEnv): Invocation {
  const [verb, ...rest] = argv;
  if (verb !== 'status' && verb !== 'add' && verb !== 'remove') {
    throw new UsageError(verb === undefined ? 'name a command: status, add or remove' : `unknown command "${verb}"`);
  }
  const operands: string[] = [];
  let adminUrl = nonEmpty(env['REPLIMQ_ADMIN_URL']) ?? DEFAULT_ADMIN_URL;
  let token = nonEmpty(env['REPLIMQ_ADMIN_TOKEN']);
  let json = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const next = inline ?? rest[++i];
      if (next === undefined || next === '') throw new UsageError(`${name} needs a value`);
      return next;
    };
    if (name === '--admin') adminUrl = value();
    else if (name === '--admin-token') token = value();
    else if (name === '--admin-token-file') token = readToken(value());
    else if (name === '--json') json = true;
    else if (name.startsWith('--')) throw new UsageError(`unknown option ${name}`);
    else operands.push(arg);
  }
  if (verb === 'add' && operands.length === 1 && operands[0]!.includes('@')) {
    const at = operands[0]!.indexOf('@');
    operands.splice(0, 1, operands[0]!.slice(0, at), operands[0]!.slice(at + 1));
  }
  const wanted = { status: 0, add: 2, remove: 1 }[verb];
  if (operands.length !== wanted) {
    throw new UsageError(
      verb === 'status' ? `status takes no operand (got "${operands[0]}")` : verb === 'add' ? 'add takes <id> <host:port>' : 'remove takes <id>',
    );
  }
  try {
    const url = new URL(adminUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
  } catch {
    throw new UsageError(`--admin must be an http:// URL of a node's admin API; got "${adminUrl}"`);
  }
  return { verb, operands, adminUrl: adminUrl.replace(/\/+$/, ''), token, json };
}

async function call(invocation: Invocation, method: string, path: string, body?: unknown): Promise<unknown> {
  const headers: Record<string, string> = {};
  if (invocation.token !== undefined) headers['authorization'] = `Bearer ${invocation.token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`${invocation.adminUrl}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    throw new Error(`cannot reach the node${cause ? ` (${cause})` : ''}`);
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = text;
  }
  if (!response.ok) {
    const message = typeof parsed === 'object' && parsed !== null && 'error' in parsed ? String((parsed as { error: unknown }).error) : text.trim();
    throw new Error(`${response.status}: ${message}`);
  }
  return parsed;
}

/** `status` as a table: one member per line, progress where the leader reports it. */
export function membersTable(answer: MembersAnswer): string {
  const rows = [['ID', 'ADDRESS', 'ROLE', 'LEADER', 'MATCH', 'LAG', 'STATE']];
  for (const member of answer.members) {
    rows.push([
      member.id,
      member.address,
      member.role,
      member.id === answer.leaderId ? 'yes' : '',
      member.matchIndex === undefined ? '' : String(member.matchIndex),
      member.lag === undefined ? '' : String(member.lag),
      member.state ?? '',
    ]);
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const lines = rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd());
  const leader = answer.leaderId === null ? 'no leader known' : `leader ${answer.leaderId}`;
  return `${leader}\n${lines.join('\n')}\n`;
}

function readToken(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (error) {
    throw new UsageError(`cannot read --admin-token-file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
