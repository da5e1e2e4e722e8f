import { describe, expect, it } from 'vitest';
import { ReplimqCluster } from '../../../client/src/cluster.js';
import { ReplimqContainer } from '../../../client/src/container.js';
import { InvalidOptionError } from '../../../client/src/errors.js';
import { ReplimqProcess } from '../../../client/src/process-node.js';
import { checkPeers, formatPeers, optionFlags } from '../../../client/src/node-options.js';
import { renderConfigFile, validateQueues } from '../../../client/src/queue-config.js';

describe('fluent options are checked when set, not at start', () => {
  it('rejects an unknown storage, ack mode or log level with the allowed values', () => {
    const container = new ReplimqContainer('replimq:local');
    expect(() => container.withStorage('disk' as never)).toThrow(/storage must be one of memory, sqlite; got "disk"/);
    expect(() => container.withAckMode('quorum' as never)).toThrow(/none, one, majority, all/);
    expect(() => new ReplimqCluster(3).withLogLevel('trace' as never)).toThrow(InvalidOptionError);
  });

  it('rejects cluster sizes and node ids out of range', () => {
    expect(() => new ReplimqCluster(0)).toThrow(/1 to 9 nodes; got 0/);
    expect(() => new ReplimqCluster(2.5)).toThrow(InvalidOptionError);
    expect(() => new ReplimqContainer().withNodeId('bad id')).toThrow(/node id "bad id"/);
    expect(() => new ReplimqCluster(3).withRuntime('vm' as never)).toThrow(/auto, container or process/);
  });

  it('checks the options of a process node when it is constructed', () => {
    expect(() => new ReplimqProcess({ storage: 'disk' as never })).toThrow(/storage must be one of/);
    expect(() => new ReplimqProcess({ queues: [{ name: 'a' }, { name: 'a' }] })).toThrow(/configured twice/);
    expect(() => new ReplimqProcess({ ackMode: 'all', nodeId: 'n1' })).not.toThrow();
  });

  it("gives a process node the container's fluent builder, checked when set", () => {
    const node = new ReplimqProcess();
    expect(node.withStorage('sqlite').withAckMode('all').withLogLevel('warn').withQueues([{ name: 'orders' }])).toBe(node);
    expect(() => node.withStorage('disk' as never)).toThrow(/storage must be one of memory, sqlite; got "disk"/);
    expect(() => node.withQueues([{ name: 'a' }, { name: 'a' }])).toThrow(/configured twice/);
    expect(() => node.withEnvironment({ 'NOT-A-NAME': '1' })).toThrow(InvalidOptionError);
    expect(() => node.withStartupTimeout(0)).toThrow(/startup timeout must be a positive integer/);
    expect(() => node.withServerBin(' ')).toThrow(/must not be empty/);
  });

  it('rejects environment variables with invalid names', () => {
    expect(() => new ReplimqCluster(3).withEnvironment({ 'NOT-A-NAME': '1' })).toThrow(/invalid environment variable name "NOT-A-NAME"/);
    expect(() => new ReplimqCluster(3).withEnvironment({ GRPC_TRACE: 'all' })).not.toThrow();
  });

  it('rejects duplicate peers and bad ports', () => {
    expect(() => checkPeers([{ id: 'n1', host: 'a', port: 1 }, { id: 'n1', host: 'b', port: 2 }])).toThrow(/listed twice/);
    expect(() => checkPeers([{ id: 'n1', host: 'a', port: 70000 }])).toThrow(/invalid port 70000/);
  });

  it('turns options into the server flags, peers as id@host:port', () => {
    const peers = [{ id: 'n1', host: 'replimq-1', port: 9326 }, { id: 'n2', host: 'replimq-2', port: 9326 }];
    expect(formatPeers(peers)).toBe('n1@replimq-1:9326,n2@replimq-2:9326');
    expect(optionFlags({ storage: 'sqlite', ackMode: 'all', nodeId: 'n2', peers })).toEqual([
      '--storage', 'sqlite', '--ack-mode', 'all', '--node-id', 'n2', '--peers', 'n1@replimq-1:9326,n2@replimq-2:9326',
    ]);
    expect(optionFlags({})).toEqual([]);
  });
});

// The three builders keep their own explicit withX() methods (the testcontainers module style);
// this pins that a shared option is checked alike on each, so the copies cannot drift apart.
describe('the container, process and cluster builders check a shared option alike', () => {
  const container = ['ReplimqContainer', () => new ReplimqContainer('replimq:local')] as const;
  const processNode = ['ReplimqProcess', () => new ReplimqProcess()] as const;
  const cluster = ['ReplimqCluster', () => new ReplimqCluster(3)] as const;

  it.each([container, processNode, cluster])('%s rejects bad storage, ack mode, log level and queues with the same message, when set', (_, create) => {
    const builder = create();
    expect(() => builder.withStorage('disk' as never)).toThrow(new InvalidOptionError('storage must be one of memory, sqlite; got "disk"'));
    expect(() => builder.withAckMode('quorum' as never)).toThrow(
      new InvalidOptionError('ack mode must be one of none, one, majority, all; got "quorum"'),
    );
    expect(() => builder.withLogLevel('trace' as never)).toThrow(
      new InvalidOptionError('log level must be one of error, warn, info, debug; got "trace"'),
    );
    expect(() => builder.withQueues([{ name: 'a' }, { name: 'a' }])).toThrow(new InvalidOptionError('queue "a" is configured twice'));
    expect(builder.withStorage('sqlite').withAckMode('all').withLogLevel('warn').withQueues([{ name: 'orders' }])).toBe(builder);
  });

  it.each([container, processNode])('%s rejects a bad node id and duplicate peers with the same message, when set', (_, create) => {
    const builder = create();
    expect(() => builder.withNodeId('bad id')).toThrow(/^node id "bad id" must be 1-64 letters/);
    const twice = [{ id: 'n1', host: 'a', port: 1 }, { id: 'n1', host: 'b', port: 2 }];
    expect(() => builder.withPeers(twice)).toThrow(new InvalidOptionError('peer "n1" is listed twice'));
  });

  it.each([processNode, cluster])('%s rejects a bad environment and startup timeout with the same message, when set', (_, create) => {
    const builder = create();
    expect(() => builder.withEnvironment({ 'NOT-A-NAME': '1' })).toThrow(new InvalidOptionError('invalid environment variable name "NOT-A-NAME"'));
    expect(() => builder.withStartupTimeout(0)).toThrow(new InvalidOptionError('startup timeout must be a positive integer of ms; got 0'));
  });
});

describe('queue config', () => {
  it('accepts FIFO names and dead-letter queues of the same config', () => {
    const queues = validateQueues([
      { name: 'jobs.fifo', attributes: { FifoQueue: 'true' } },
      { name: 'orders', deadLetterQueue: { name: 'orders-dlq', maxReceiveCount: 3 } },
      { name: 'orders-dlq' },
    ]);
    expect(JSON.parse(renderConfigFile(queues))).toEqual({
      queues: [
        { name: 'jobs.fifo', attributes: { FifoQueue: 'true' }, tags: {} },
        { name: 'orders', attributes: {}, tags: {}, deadLetterQueue: { name: 'orders-dlq', maxReceiveCount: 3 } },
        { name: 'orders-dlq', attributes: {}, tags: {} },
      ],
    });
  });

  it('rejects bad names, duplicates, unknown dead-letter queues and non-string attributes', () => {
    expect(() => validateQueues([{ name: 'has space' }])).toThrow(/queue name "has space"/);
    expect(() => validateQueues([{ name: 'a' }, { name: 'a' }])).toThrow(/configured twice/);
    expect(() => validateQueues([{ name: 'a', deadLetterQueue: { name: 'b', maxReceiveCount: 1 } }])).toThrow(/"b" is not configured/);
    expect(() => validateQueues([{ name: 'a', attributes: { VisibilityTimeout: 30 as unknown as string } }])).toThrow(/must be a string/);
  });
});
