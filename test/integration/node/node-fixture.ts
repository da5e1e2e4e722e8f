/** SDK clients and in-process nodes for this folder's tests. */
import { afterAll, beforeAll } from 'vitest';
import { SQSClient } from '@aws-sdk/client-sqs';
import { startNode, type StartNodeOptions, type StartedNode } from '../../support/start-node.js';

/** An `@aws-sdk/client-sqs` v3 client for a local node: dummy credentials, no retries to hide bugs.
 *  Its region is the one whose queues it sees (us-east-1, the node's default, unless told). */
export function sqsClient(endpoint: string, region = 'us-east-1'): SQSClient {
  return new SQSClient({
    endpoint,
    region,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
}

export interface NodeUnderTest {
  node(): StartedNode;
  sqs(): SQSClient;
}

/** One in-process node and client for the calling file, started before its tests and stopped after. */
export function useNode(options?: StartNodeOptions): NodeUnderTest {
  let node: StartedNode | undefined;
  let sqs: SQSClient | undefined;
  beforeAll(async () => {
    node = await startNode(options);
    sqs = sqsClient(node.sqsEndpoint);
  });
  afterAll(async () => {
    sqs?.destroy();
    await node?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the node is not started: use it inside a test or hook');
    return value;
  };
  return { node: () => started(node), sqs: () => started(sqs) };
}
