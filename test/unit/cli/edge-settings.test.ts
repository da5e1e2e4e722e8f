/**
 * The settings of the node's edges (admin bind and token, SQS authentication, HTTP limits, SQLite
 * sync): each one as a flag, an environment variable and a config-file key, with its default and
 * the one-line error a mistake gets.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../../../server/src/cli/resolve-config.js';
import { ConfigError } from '../../../server/src/cli/config-error.js';
import { usage } from '../../../server/src/cli/usage.js';
import type { NodeConfig } from '../../../server/src/config.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function file(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'replimq-edges-'));
  dirs.push(dir);
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}

function run(argv: string[], env: Record<string, string> = {}): NodeConfig {
  const request = resolveConfig(argv, env);
  if (request.kind !== 'run') throw new Error(`expected a run request, got ${request.kind}`);
  return request.config;
}

function errorOf(argv: string[], env: Record<string, string> = {}): string {
  try {
    resolveConfig(argv, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

const KEY_LINE = 'AKIDEXAMPLE0000001 secret/Key+1 123456789012';

describe('edge settings', () => {
  it('default to a loopback admin API without a token, no SQS auth, the documented HTTP limits and sync normal', () => {
    expect(run([])).toMatchObject({
      bind: '0.0.0.0',
      adminBind: '127.0.0.1',
      adminToken: undefined,
      auth: 'none',
      credentials: [],
      sync: 'normal',
      http: { keepAliveTimeoutMs: 30_000, headersTimeoutMs: 10_000, requestTimeoutMs: 60_000, maxConnections: 4096 },
    });
  });

  it('read each from a flag, an environment variable and a config file', () => {
    const credentials = file('keys.txt', `# key secret account\n${KEY_LINE}\n`);
    const flags = run([
      '--admin-bind', '0.0.0.0', '--admin-token', 'tok-1', '--auth', 'sigv4', '--credentials', credentials, '--sync', 'full',
      '--keep-alive-timeout-ms', '1000', '--headers-timeout-ms', '2000', '--request-timeout-ms', '3000', '--max-connections', '7',
    ]);
    const env = run([], {
      REPLIMQ_ADMIN_BIND: '0.0.0.0', REPLIMQ_ADMIN_TOKEN: 'tok-1', REPLIMQ_AUTH: 'sigv4', REPLIMQ_CREDENTIALS: credentials,
      REPLIMQ_SYNC: 'full', REPLIMQ_KEEP_ALIVE_TIMEOUT_MS: '1000', REPLIMQ_HEADERS_TIMEOUT_MS: '2000',
      REPLIMQ_REQUEST_TIMEOUT_MS: '3000', REPLIMQ_MAX_CONNECTIONS: '7',
    });
    const fromFile = run(['--config', file('replimq.yaml', [
      'adminBind: 0.0.0.0', 'adminToken: tok-1', 'auth: sigv4', `credentials: ${credentials}`, 'sync: full',
      'keepAliveTimeoutMs: 1000', 'headersTimeoutMs: 2000', 'requestTimeoutMs: 3000', 'maxConnections: 7',
    ].join('\n'))]);
    const expected = {
      adminBind: '0.0.0.0',
      adminToken: 'tok-1',
      auth: 'sigv4',
      credentials: [{ accessKeyId: 'AKIDEXAMPLE0000001', secretAccessKey: 'secret/Key+1', accountId: '123456789012' }],
      sync: 'full',
      http: { keepAliveTimeoutMs: 1000, headersTimeoutMs: 2000, requestTimeoutMs: 3000, maxConnections: 7 },
    };
    expect(flags).toMatchObject(expected);
    expect(env).toMatchObject(expected);
    expect(fromFile).toMatchObject(expected);
  });

  it('read the admin token from a file, trimmed', () => {
    const tokenFile = file('admin-token', 'from-a-file\n');
    expect(run(['--admin-token-file', tokenFile]).adminToken).toBe('from-a-file');
    expect(run([], { REPLIMQ_ADMIN_TOKEN_FILE: tokenFile }).adminToken).toBe('from-a-file');
    expect(errorOf(['--admin-token-file', join(tmpdir(), 'no-such-replimq-token')])).toMatch(/^cannot read the admin token file /);
    expect(errorOf(['--admin-token', 'has space'])).toMatch(/^invalid value "has space" for --admin-token: expected a token/);
  });

  it('read YAML credentials too', () => {
    const yaml = file('keys.yaml', 'credentials:\n  - accessKeyId: AKIDYAML\n    secretAccessKey: s3cret\n    accountId: "000000000042"\n');
    expect(run(['--auth', 'sigv4', '--credentials', yaml]).credentials).toEqual([
      { accessKeyId: 'AKIDYAML', secretAccessKey: 's3cret', accountId: '000000000042' },
    ]);
  });

  it('refuse what cannot work, in one line', () => {
    expect(errorOf(['--auth', 'sigv4'])).toMatch(/^--auth sigv4 needs --credentials <file>/);
    expect(errorOf(['--auth', 'basic'])).toMatch(/expected one of none, sigv4/);
    expect(errorOf(['--credentials', file('bad.txt', 'AKID only-two\n')])).toMatch(/^credentials file bad\.txt, line 1: expected/);
    expect(errorOf(['--credentials', file('dup.txt', `${KEY_LINE}\n${KEY_LINE}\n`)])).toMatch(/listed twice/);
    expect(errorOf(['--credentials', file('acct.txt', 'AKID secret 12345\n')])).toMatch(/account id must be 12 digits/);
    expect(errorOf(['--sync', 'off'])).toMatch(/expected one of normal, full/);
    expect(errorOf(['--headers-timeout-ms', '5000', '--request-timeout-ms', '1000'])).toMatch(/must not be longer than --request-timeout-ms/);
    expect(errorOf(['--max-connections', '0'])).toMatch(/for --max-connections/);
  });

  it('appear in --help with their environment variables', () => {
    const help = usage();
    for (const env of ['REPLIMQ_ADMIN_BIND', 'REPLIMQ_ADMIN_TOKEN', 'REPLIMQ_ADMIN_TOKEN_FILE', 'REPLIMQ_AUTH', 'REPLIMQ_CREDENTIALS', 'REPLIMQ_SYNC',
      'REPLIMQ_KEEP_ALIVE_TIMEOUT_MS', 'REPLIMQ_HEADERS_TIMEOUT_MS', 'REPLIMQ_REQUEST_TIMEOUT_MS', 'REPLIMQ_MAX_CONNECTIONS']) {
      expect(help).toContain(env);
    }
  });
});
