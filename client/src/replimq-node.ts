/**
 * What every started node offers, whether it runs in a container or as a child process: the
 * cluster helpers and the assertions work on this interface only.
 */
import type { SQSClient, SQSClientConfig } from '@aws-sdk/client-sqs';
import type { AdminClient, AdminClientOptions } from './admin-client.js';
import type { SqsCredentials } from './sqs-client.js';

export interface ReplimqNode {
  /** The node's id in the cluster (`n1`, …). */
  readonly nodeId: string;
  /** SQS endpoint reachable from the test: `http://localhost:<mapped port>`. */
  getEndpoint(): string;
  /** Admin API endpoint reachable from the test. */
  getAdminEndpoint(): string;
  /** testcontainers' name for the endpoint: the same as `getEndpoint()`. */
  getConnectionUri(): string;
  /** The same as `getAdminEndpoint()`. */
  getAdminUri(): string;
  /** The region for an SDK client (`us-east-1`, the node's). */
  getRegion(): string;
  /** Credentials for an SDK client (any work: the node does not check signatures). */
  getCredentials(): SqsCredentials;
  /** The URL of queue `queueName` on this node, as CreateQueue answers it. */
  getQueueUrl(queueName: string): string;
  /** A ready-to-use SDK v3 client for this node. */
  sqsClient(config?: SQSClientConfig): SQSClient;
  /** Token of the node's admin API (the testkit makes one per node); `admin()` sends it. */
  getAdminToken(): string;
  /** A client of the node's admin API, token included. */
  admin(options?: Omit<AdminClientOptions, 'token'>): AdminClient;
  /** The last lines the node printed (kept after it stopped). */
  lastLogLines(count?: number): string[];
}
