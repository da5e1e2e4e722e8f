/**
 * A fresh cluster per test, torn down after it with every SDK client the test made, so a failing
 * test never leaves processes or sockets behind for the next one.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import { afterEach } from 'vitest';
import { LocalCluster, type ClusterNode, type ClusterOptions } from './local-cluster.js';

export interface ClusterPerTest {
  startCluster(options: ClusterOptions): Promise<LocalCluster>;
  /** An SDK client for this node, destroyed after the test. */
  client(node: ClusterNode): SQSClient;
}

export function clusterPerTest(): ClusterPerTest {
  let cluster: LocalCluster | undefined;
  const clients: SQSClient[] = [];

  afterEach(async () => {
    for (const made of clients.splice(0)) made.destroy();
    await cluster?.stop();
    cluster = undefined;
  });

  return {
    async startCluster(options) {
      cluster = await LocalCluster.start(options);
      return cluster;
    },
    client(node) {
      const made = node.sqs();
      clients.push(made);
      return made;
    },
  };
}
