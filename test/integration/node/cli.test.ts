/**
 * The `replimq` command as a user meets it: help, version, one-line errors with exit code 2 for
 * bad input, exit 1 when it cannot start, settings from the environment, clean stop on SIGTERM.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startNodeProcess, type NodeProcess } from '../../support/start-node.js';

const STACK_FRAME = /^\s+at /m;

describe('replimq CLI', () => {
  let node: NodeProcess | undefined;
  let blocker: Server | undefined;
  const dirs: string[] = [];
  afterEach(async () => {
    await node?.stop('SIGKILL');
    node = undefined;
    await new Promise<void>((done) => (blocker ? blocker.close(() => done()) : done()));
    blocker = undefined;
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('prints usage for --help and exits 0', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: replimq [options]');
    for (const flag of ['--sqs-port', '--admin-port', '--grpc-port', '--bind', '--host', '--storage', '--data-dir', '--config', '--log-level', '--peers', '--ack-mode']) {
      expect(result.stdout).toContain(flag);
    }
    expect(result.stdout).toContain('REPLIMQ_SQS_PORT');
  });

  it('prints the package version for --version', async () => {
    const result = await runCli(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^replimq \d+\.\d+\.\d+\n$/);
  });

  it.each([
    { args: ['--sqs-port', 'ninety'], says: 'invalid value "ninety" for --sqs-port' },
    { args: ['--storage', 'tape'], says: 'expected one of memory, sqlite' },
    { args: ['--frobnicate'], says: 'unknown option --frobnicate' },
    { args: ['--log-level'], says: 'option --log-level needs a value' },
    { args: ['--peers', 'n1@a:1,n2@b:2', '--node-id', 'n9'], says: '--node-id "n9" is not one of --peers' },
    { args: ['--config', '/does/not/exist.yaml'], says: 'cannot read config file /does/not/exist.yaml' },
  ])('rejects $args with exit code 2 and one line', async ({ args, says }) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`replimq: ${result.stderr.slice('replimq: '.length)}`);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(says);
    expect(result.stderr).not.toMatch(STACK_FRAME);
  });

  it('rejects a bad value from the environment the same way', async () => {
    const result = await runCli([], { env: { REPLIMQ_ADMIN_PORT: '-1' } });
    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd()).toBe(
      'replimq: invalid value "-1" for REPLIMQ_ADMIN_PORT: expected a port number, 0 for any free port (an integer from 0 to 65535)',
    );
  });

  it('rejects a config file queue the engine refuses with exit code 2 and one line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'replimq-cli-'));
    dirs.push(dir);
    const file = join(dir, 'bad-queue.yaml');
    writeFileSync(file, 'queues:\n  slow:\n    attributes: { VisibilityTimeout: 99999 }\n');
    const result = await runCli(['--config', file, '--sqs-port', '0', '--admin-port', '0', '--bind', '127.0.0.1', '--log-level', 'error']);
    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('config queue "slow": CreateQueue failed: InvalidAttributeValue');
  });

  it('exits 1 with one line when its port is taken', async () => {
    blocker = createServer();
    await new Promise<void>((done) => blocker!.listen(0, '127.0.0.1', done));
    const port = (blocker.address() as { port: number }).port;
    const result = await runCli(['--sqs-port', String(port), '--admin-port', '0', '--bind', '127.0.0.1', '--log-level', 'error']);
    expect(result.code).toBe(1);
    expect(result.stderr.trimEnd()).toBe(`replimq: cannot listen on 127.0.0.1:${port}: the port is already in use`);
  });

  it('takes settings from REPLIMQ_* variables, and a flag wins over its variable', async () => {
    node = await startNodeProcess(['--region', 'eu-west-1'], { env: { REPLIMQ_REGION: 'ap-south-1', REPLIMQ_ACCOUNT_ID: '123456789012' } });
    const created = await fetch(node.sqsEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.CreateQueue' },
      body: JSON.stringify({ QueueName: 'env-test' }),
    });
    const { QueueUrl } = (await created.json()) as { QueueUrl: string };
    expect(QueueUrl).toBe(`${node.sqsEndpoint}/123456789012/env-test`);
    const attributes = await fetch(node.sqsEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.GetQueueAttributes' },
      body: JSON.stringify({ QueueUrl, AttributeNames: ['QueueArn'] }),
    });
    expect(((await attributes.json()) as { Attributes: { QueueArn: string } }).Attributes.QueueArn).toBe(
      'arn:aws:sqs:eu-west-1:123456789012:env-test',
    );
  });

  it('stops cleanly on SIGTERM and on SIGINT with exit code 0', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      node = await startNodeProcess();
      expect(await node.stop(signal)).toBe(0);
      expect(node.stderr()).toMatch(/stopping signal=SIG(TERM|INT)[\s\S]*stopped/);
    }
    node = undefined;
  });
});
