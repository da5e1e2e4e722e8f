/** ElasticMQ's HOCON configuration read as replimq settings: what maps, and what is refused. */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { elasticMqToReplimq, seconds } from '../../../server/src/cli/elasticmq-config.js';
import { readHoconDocument } from '../../../server/src/cli/hocon-document.js';
import { preloadConfigFile, resolveConfig } from '../../../server/src/cli/resolve-config.js';
import { ConfigError } from '../../../server/src/cli/config-error.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function confFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'replimq-elasticmq-'));
  dirs.push(dir);
  const path = join(dir, 'elasticmq.conf');
  writeFileSync(path, text);
  return path;
}

/** ElasticMQ's README example, as users have it. */
const README_EXAMPLE = `
include classpath("application.conf")

node-address {
  protocol = http
  host = localhost
  port = 9324
  context-path = ""
}

rest-sqs {
  enabled = true
  bind-port = 9324
  bind-hostname = "0.0.0.0"
  // Possible values: relaxed, strict
  sqs-limits = strict
}

rest-stats {
  enabled = true
  bind-port = 9325
  bind-hostname = "0.0.0.0"
}

generate-node-address = false

queues {
  queue1 {
    defaultVisibilityTimeout = 10 seconds
    delay = 5 seconds
    receiveMessageWait = 0 seconds
    deadLettersQueue {
      name = "queue1-dead-letters"
      maxReceiveCount = 3 // from 1 to 1000
    }
    fifo = false
    contentBasedDeduplication = false
    tags {
      tag1 = "tagged1"
      tag2 = "tagged2"
    }
  }
  queue1-dead-letters { }
  "jobs.fifo" {
    fifo = true
    contentBasedDeduplication = true
    receiveMessageWait = 20 seconds
  }
}

aws {
  region = us-west-2
  accountId = 000000000000
}
`;

describe('ElasticMQ configuration', () => {
  it('maps queues, addresses, ports and the account onto replimq settings', async () => {
    const path = confFile(README_EXAMPLE);
    const request = resolveConfig(['--config', path], {}, await preloadConfigFile(['--config', path], {}));
    if (request.kind !== 'run') throw new Error('expected a run');
    const { config } = request;
    expect(config).toMatchObject({ sqsPort: 9324, bind: '0.0.0.0', adminPort: 9325, adminBind: '0.0.0.0', host: 'http://localhost:9324', region: 'us-west-2', accountId: '000000000000' });
    const byName = Object.fromEntries(config.queues.map((queue) => [queue.name, queue]));
    expect(byName['queue1']).toEqual({
      name: 'queue1',
      attributes: { VisibilityTimeout: '10', DelaySeconds: '5', ReceiveMessageWaitTimeSeconds: '0' },
      tags: { tag1: 'tagged1', tag2: 'tagged2' },
      deadLetterQueue: { name: 'queue1-dead-letters', maxReceiveCount: 3 },
    });
    expect(byName['jobs.fifo']?.attributes).toEqual({ FifoQueue: 'true', ContentBasedDeduplication: 'true', ReceiveMessageWaitTimeSeconds: '20' });
    expect(byName['queue1-dead-letters']).toMatchObject({ name: 'queue1-dead-letters', attributes: {} });
  });

  it('leaves queue URLs to the Host the client called when the node address is generated', () => {
    expect(elasticMqToReplimq({ 'generate-node-address': true, 'node-address': { host: 'localhost', port: 9324 } }, 'e.conf')).toEqual({});
  });

  it.each([
    [{ queues: { q: { copyTo: 'audit' } } }, 'queues.q.copyTo'],
    [{ queues: { q: { moveTo: 'other' } } }, 'queues.q.moveTo'],
    [{ queues: { q: { visibilityTimeout: '1 second' } } }, 'queues.q.visibilityTimeout'],
    [{ 'messages-storage': { enabled: true, uri: 'jdbc:h2:/data' } }, 'messages-storage.enabled'],
    [{ 'queues-storage': { enabled: true, path: '/q.conf' } }, 'queues-storage.enabled'],
    [{ 'rest-sqs': { 'sqs-limits': 'relaxed' } }, 'rest-sqs.sqs-limits'],
    [{ 'node-address': { 'context-path': '/sqs' } }, 'node-address.context-path'],
    [{ akka: { loglevel: 'DEBUG' } }, 'akka'],
  ])('refuses %j with one line naming %s', (document, key) => {
    expect(() => elasticMqToReplimq(document, 'e.conf')).toThrow(ConfigError);
    expect(() => elasticMqToReplimq(document, 'e.conf')).toThrow(`ElasticMQ setting "${key}" is not supported`);
  });

  it('accepts storage blocks that are switched off', () => {
    expect(elasticMqToReplimq({ 'queues-storage': { enabled: false, path: '' }, 'messages-storage': { enabled: false } }, 'e.conf')).toEqual({});
  });

  it('reads HOCON durations as whole seconds (a bare number is milliseconds, as in Typesafe Config)', () => {
    expect(seconds('10 seconds', 'e.conf', 'x')).toBe(10);
    expect(seconds('1 minute', 'e.conf', 'x')).toBe(60);
    expect(seconds('2000ms', 'e.conf', 'x')).toBe(2);
    expect(seconds('1s', 'e.conf', 'x')).toBe(1);
    expect(seconds(3000, 'e.conf', 'x')).toBe(3);
    expect(() => seconds('500 ms', 'e.conf', 'x')).toThrow('whole number of seconds');
    expect(() => seconds('soon', 'e.conf', 'x')).toThrow('duration');
  });

  it('says which file is not valid HOCON', async () => {
    await expect(readHoconDocument(confFile('queues { q { '))).rejects.toThrow(/elasticmq\.conf is not valid HOCON/);
  });
});
