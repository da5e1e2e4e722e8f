/**
 * What every started node offers, whether it runs in a container or as a child process: the
 * cluster helpers and the assertions work on this interface only.
 */
import type { SQSClient, SQSClientConfig } from '@aws-sdk/client-sqs';
import type { AdminClient, AdminClientOptions } from './admin-client.js';

export interface ReplimqNode {
  /** The node's id in the cluster (`n1`, …). */
  readonly nodeId: string;
  /** SQS endpoint reachable from the test: `http://localhost:<mapped port>`. */
  getEndpoint(): string;
  /** Admin API endpoint reachable from the test. */
  getAdminEndpoint(): string;
  /** A ready-to-use SDK v3 client for this node. */
  sqsClient(config?: SQSClientConfig): SQSClient;
  /** Token of the node's admin API (the testkit makes one per node); `admin()` sends it. */
  getAdminToken(): string;
  /** A client of the node's admin API, token included. */
  admin(options?: Omit<AdminClientOptions, 'token'>): AdminClient;
  /** The last lines the node printed (kept after it stopped). */
  lastLogLines(count?: number): string[];
}
