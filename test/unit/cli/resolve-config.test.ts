import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../../../server/src/cli/resolve-config.js';
import { ConfigError } from '../../../server/src/cli/config-error.js';
import type { NodeConfig } from '../../../server/src/config.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function configFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'replimq-cli-'));
  dirs.push(dir);
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
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

describe('resolveConfig', () => {
  it('uses the documented defaults', () => {
    const config = run([]);
    expect(config).toMatchObject({
      sqsPort: 9324,
      adminPort: 9325,
      grpcPort: 9326,
      bind: '0.0.0.0',
      host: undefined,
      storage: 'memory',
      logLevel: 'info',
      logFormat: 'text',
      region: 'us-east-1',
      accountId: '000000000000',
      enforceCooldowns: false,
      corsOrigins: ['*'],
    });
    expect(config.cluster.peers).toEqual([]);
  });

  it('reads --flag value and --flag=value', () => {
    const config = run(['--sqs-port', '1234', '--admin-port=0', '--storage', 'sqlite', '--data-dir', '/tmp/x']);
    expect(config).toMatchObject({ sqsPort: 1234, adminPort: 0, storage: 'sqlite', dataDir: '/tmp/x' });
  });

  it('reads the log format from flag, environment and config file, and refuses unknown formats', () => {
    expect(run(['--log-format', 'json']).logFormat).toBe('json');
    expect(run([], { REPLIMQ_LOG_FORMAT: 'json' }).logFormat).toBe('json');
    expect(run(['--config', configFile('log.yaml', 'logFormat: json\n')]).logFormat).toBe('json');
    expect(errorOf(['--log-format', 'yaml'])).toContain('--log-format');
  });

  it('takes flag over env over config file over default', () => {
    const file = configFile('replimq.yaml', 'sqsPort: 1111\nadminPort: 2222\ngrpcPort: 3333\n');
    const env = { REPLIMQ_ADMIN_PORT: '4444', REPLIMQ_GRPC_PORT: '5555' };
    const config = run(['--config', file, '--grpc-port', '6666'], env);
    expect(config.sqsPort).toBe(1111);
    expect(config.adminPort).toBe(4444);
    expect(config.grpcPort).toBe(6666);
  });

  it('finds the config file through REPLIMQ_CONFIG', () => {
    const file = configFile('c.json', JSON.stringify({ storage: 'sqlite', logLevel: 'debug' }));
    expect(run([], { REPLIMQ_CONFIG: file })).toMatchObject({ storage: 'sqlite', logLevel: 'debug' });
  });

  it('parses cluster settings', () => {
    const config = run([
      '--node-id', 'n2',
      '--peers', 'n1@127.0.0.1:9326, n2@127.0.0.1:9336,n3@localhost:9346',
      '--ack-mode', 'all',
      '--election-timeout-ms', '800',
      '--heartbeat-interval-ms', '50',
      '--replication-timeout-ms', '2000',
      '--cluster-secret', 'a-secret-of-sixteen-or-more',
    ]);
    expect(config.cluster).toEqual({
      nodeId: 'n2',
      peers: [
        { id: 'n1', host: '127.0.0.1', port: 9326 },
        { id: 'n2', host: '127.0.0.1', port: 9336 },
        { id: 'n3', host: 'localhost', port: 9346 },
      ],
      join: [],
      advertiseAddress: undefined,
      ackMode: 'all',
      electionTimeoutMs: 800,
      heartbeatIntervalMs: 50,
      replicationTimeoutMs: 2000,
      security: { secrets: ['a-secret-of-sixteen-or-more'], secretFile: undefined, insecure: false, tlsCert: undefined, tlsKey: undefined, tlsCa: undefined },
    });
  });

  it('reads --join (flag, REPLIMQ_JOIN, config key) and refuses it beside --peers or naming this node', () => {
    const secret = ['--cluster-secret', 'a-secret-of-sixteen-or-more'];
    const seeds = [
      { id: 'n1', host: '10.0.0.1', port: 9326 },
      { id: 'n2', host: 'replimq-2', port: 9326 },
    ];
    expect(run(['--node-id', 'n4', '--join', 'n1@10.0.0.1:9326,n2@replimq-2:9326', ...secret]).cluster.join).toEqual(seeds);
    expect(run(['--node-id', 'n4', ...secret], { REPLIMQ_JOIN: 'n1@10.0.0.1:9326,n2@replimq-2:9326' }).cluster.join).toEqual(seeds);
    expect(run(['--node-id', 'n4', ...secret, '--config', configFile('j.yaml', 'join: [n1@10.0.0.1:9326, n2@replimq-2:9326]\n')]).cluster.join).toEqual(seeds);
    expect(run(['--node-id', 'n4', '--join', 'n1@10.0.0.1:9326', '--advertise-address', 'replimq-4:9326', ...secret]).cluster.advertiseAddress).toBe(
      'replimq-4:9326',
    );
    expect(errorOf(['--node-id', 'n4', '--join', 'n1@10.0.0.1:9326', '--peers', 'n4@127.0.0.1:9326', ...secret])).toMatch(/--join and --peers/);
    expect(errorOf(['--node-id', 'n1', '--join', 'n1@10.0.0.1:9326', ...secret])).toMatch(/--join names this node/);
    expect(errorOf(['--node-id', 'n4', '--join', 'n1@10.0.0.1'])).toMatch(/--join/);
    expect(errorOf(['--node-id', 'n4', '--join', 'n1@10.0.0.1:9326', '--advertise-address', 'replimq-4'])).toMatch(/--advertise-address/);
    // A node that joins will have members: like --peers, it needs the cluster secret.
    expect(errorOf(['--node-id', 'n4', '--join', 'n1@10.0.0.1:9326'])).toMatch(/shared secret/);
  });

  it('reads booleans from flags and from YAML', () => {
    expect(run(['--enforce-cooldowns', 'true']).enforceCooldowns).toBe(true);
    expect(run(['--config', configFile('c.yaml', 'enforceCooldowns: true\n')]).enforceCooldowns).toBe(true);
  });

  it('reads the CORS origins from the flag, the environment and a YAML list', () => {
    expect(run(['--cors-origins', 'http://localhost:3000, https://app.example/']).corsOrigins).toEqual(['http://localhost:3000', 'https://app.example']);
    expect(run([], { REPLIMQ_CORS_ORIGINS: '*' }).corsOrigins).toEqual(['*']);
    expect(run(['--config', configFile('cors.yaml', 'corsOrigins:\n  - http://a.example\n  - http://b.example:8080\n')]).corsOrigins).toEqual([
      'http://a.example',
      'http://b.example:8080',
    ]);
    expect(errorOf(['--cors-origins', 'localhost:3000/path'])).toContain('invalid value "localhost:3000/path" for --cors-origins');
    expect(errorOf(['--cors-origins', ' , '])).toContain('for --cors-origins');
  });

  it('normalises --host to a base URL', () => {
    expect(run(['--host', 'sqs.local:9999']).host).toBe('http://sqs.local:9999');
    expect(run(['--host', 'https://queues.example/']).host).toBe('https://queues.example');
  });

  it('answers --help and --version whatever else is on the line', () => {
    expect(resolveConfig(['--sqs-port', 'bad', '--help'], {}).kind).toBe('help');
    expect(resolveConfig(['-v'], {}).kind).toBe('version');
  });

  it.each([
    [['--sqs-port', 'abc'], 'invalid value "abc" for --sqs-port'],
    [['--sqs-port', '70000'], 'invalid value "70000" for --sqs-port'],
    [['--storage', 'disk'], 'expected one of memory, sqlite'],
    [['--log-level', 'loud'], 'expected one of error, warn, info, debug'],
    [['--ack-mode', 'most'], 'expected one of none, one, majority, all'],
    [['--account-id', '12'], 'expected a 12-digit account id'],
    [['--peers', 'n1@host'], 'expected a comma-separated list of id@host:port'],
    [['--peers', 'n1@a:1,n1@b:2'], 'node id "n1" is listed twice'],
    [['--peers', 'n2@a:1,n3@b:2'], '--node-id "n1" is not one of --peers'],
    [['--heartbeat-interval-ms', '2000'], 'must be shorter than --election-timeout-ms'],
    [['--nope'], 'unknown option --nope'],
    [['--sqs-port'], 'option --sqs-port needs a value'],
    [['serve'], 'unexpected argument "serve"'],
    [['--host', 'ftp://x'], 'invalid value "ftp://x" for --host'],
    [['--enforce-cooldowns', 'yes'], 'expected one of true, false'],
  ])('rejects %j', (argv, message) => {
    expect(errorOf(argv)).toContain(message);
  });

  it('names the environment variable a bad value came from', () => {
    expect(errorOf([], { REPLIMQ_SQS_PORT: 'x' })).toContain('for REPLIMQ_SQS_PORT');
  });

  it('rejects unreadable, malformed and misspelt config files', () => {
    expect(errorOf(['--config', '/nonexistent/replimq.yaml'])).toContain('cannot read config file /nonexistent/replimq.yaml');
    expect(errorOf(['--config', configFile('bad.json', '{ "sqsPort": ')])).toContain('is not valid JSON');
    expect(errorOf(['--config', configFile('bad.yaml', 'a: [1, 2')])).toContain('is not valid YAML');
    expect(errorOf(['--config', configFile('typo.yaml', 'sqsport: 1\n')])).toContain('unknown setting "sqsport"');
    expect(errorOf(['--config', configFile('list.yaml', '- 1\n')])).toContain('top level must be a map');
    expect(errorOf(['--config', configFile('port.yaml', 'sqsPort: nine\n')])).toContain('for sqsPort in config file port.yaml');
  });
});

describe('config file queues', () => {
  it('reads queues with attributes, tags, dead-letter links and FIFO settings', () => {
    const file = configFile(
      'queues.yaml',
      [
        'queues:',
        '  orders:',
        '    attributes: { VisibilityTimeout: 30, DelaySeconds: 2 }',
        '    tags: { team: billing }',
        '    deadLetterQueue: { name: orders-dlq, maxReceiveCount: 3 }',
        '  orders-dlq: {}',
        '  jobs.fifo:',
        '    contentBasedDeduplication: true',
        '  plain:',
      ].join('\n'),
    );
    expect(run(['--config', file]).queues).toEqual([
      {
        name: 'orders',
        attributes: { VisibilityTimeout: '30', DelaySeconds: '2' },
        tags: { team: 'billing' },
        deadLetterQueue: { name: 'orders-dlq', maxReceiveCount: 3 },
      },
      { name: 'orders-dlq', attributes: {}, tags: {} },
      { name: 'jobs.fifo', attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' }, tags: {} },
      { name: 'plain', attributes: {}, tags: {} },
    ]);
  });

  it('accepts a list of named queues in JSON', () => {
    const file = configFile('q.json', JSON.stringify({ queues: [{ name: 'a', fifo: false }, { name: 'b', deadLetterQueue: 'a' }] }));
    expect(run(['--config', file]).queues).toEqual([
      { name: 'a', attributes: {}, tags: {} },
      { name: 'b', attributes: {}, tags: {}, deadLetterQueue: { name: 'a', maxReceiveCount: 10 } },
    ]);
  });

  it.each([
    ['queues: [1]\n', 'needs a "name"'],
    ['queues:\n  a: { visibility: 3 }\n', 'unknown setting "visibility"'],
    ['queues:\n  a: { deadLetterQueue: { maxReceiveCount: 2 } }\n', 'must be a queue name or { name, maxReceiveCount }'],
    ['queues:\n  a: { fifo: maybe }\n', 'fifo must be true or false'],
    ['queues:\n  a: { attributes: { X: [1] } }\n', 'must be a string, number or boolean'],
    ['queues: [{ name: a }, { name: a }]\n', 'queue "a" is defined twice'],
  ])('rejects %j', (text, message) => {
    expect(errorOf(['--config', configFile('q.yaml', text)])).toContain(message);
  });
});

describe('cluster-plane settings', () => {
  const peers = ['--peers', 'n1@127.0.0.1:9326,n2@127.0.0.1:9336'];
  const secret = 'a-secret-of-sixteen-or-more';

  it('takes the secret(s) from the flag, the environment or the config file (a YAML list there)', () => {
    expect(run([...peers, '--cluster-secret', `${secret},${secret}-next`]).cluster.security.secrets).toEqual([secret, `${secret}-next`]);
    expect(run(peers, { REPLIMQ_CLUSTER_SECRET: secret }).cluster.security.secrets).toEqual([secret]);
    const file = configFile('c.yaml', `clusterSecret: [${secret}, ${secret}-next]\ninsecureCluster: false\n`);
    expect(run([...peers, '--config', file]).cluster.security.secrets).toEqual([secret, `${secret}-next`]);
  });

  it('takes --insecure-cluster alone or with a value', () => {
    expect(run([...peers, '--insecure-cluster']).cluster.security.insecure).toBe(true);
    expect(run(['--insecure-cluster', ...peers]).cluster.security.insecure).toBe(true);
    expect(errorOf([...peers, '--insecure-cluster', 'false'])).toContain('needs a shared secret');
  });

  it('refuses several members without a secret, naming the variable to set', () => {
    expect(errorOf(peers)).toMatch(/^a cluster of several nodes needs a shared secret: set REPLIMQ_CLUSTER_SECRET/);
  });

  it('lets a single node start without a secret', () => {
    expect(run([]).cluster.security.secrets).toEqual([]);
  });
});
