/**
 * Config-file queues in a cluster: each node creates its own file's queues once a leader exists,
 * whether it leads or follows (a follower's commands go through forwarding), and `/health` says
 * ok only after that. Here every node has a file naming a queue of its own, so each queue proves
 * that its node's bootstrap reached the leader and was replicated to all.
 */
import { ListQueuesCommand, ListQueueTagsCommand } from '@aws-sdk/client-sqs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalCluster } from './local-cluster.js';

describe('config-file queues in a 3-node cluster', () => {
  let cluster: LocalCluster | undefined;
  const dirs: string[] = [];
  afterEach(async () => {
    await cluster?.stop();
    cluster = undefined;
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('creates every node\'s queues, on every node, leader or follower', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'replimq-config-queues-'));
    dirs.push(dir);
    const configFiles: Record<string, string> = {};
    for (const id of ['n1', 'n2', 'n3']) {
      configFiles[id] = join(dir, `${id}.yaml`);
      writeFileSync(configFiles[id], `queues:\n  from-${id}:\n    tags: { origin: ${id} }\n  shared: {}\n`);
    }
    // start() returns once every node is healthy, which includes its config queues.
    cluster = await LocalCluster.start({ size: 3, configFiles });
    await cluster.waitForConvergence();
    for (const node of cluster.nodes) {
      const sqs = node.sqs();
      const { QueueUrls } = await sqs.send(new ListQueuesCommand({}));
      expect(QueueUrls?.map((url) => url.split('/').pop()).sort()).toEqual(['from-n1', 'from-n2', 'from-n3', 'shared']);
      const tags = await sqs.send(new ListQueueTagsCommand({ QueueUrl: QueueUrls!.find((url) => url.endsWith('/from-n2'))! }));
      expect(tags.Tags).toEqual({ origin: 'n2' });
    }
  });
});
