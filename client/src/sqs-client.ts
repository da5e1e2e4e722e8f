/**
 * SDK v3 clients wired to a node: endpoint, region and dummy credentials, plus a middleware that
 * records where each sent message was committed (see commit-log.ts).
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSClientConfig } from '@aws-sdk/client-sqs';
import { commitFromHeaders, recordCommit } from './commit-log.js';

export const DEFAULT_REGION = 'us-east-1';
/** The node's region and account: the server's defaults, which the testkit does not change. */
export const SQS_REGION = DEFAULT_REGION;
const SQS_ACCOUNT_ID = '000000000000';

/** Credentials any SDK accepts; the node does not check signatures. */
export interface SqsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}
export const SQS_CREDENTIALS: Readonly<SqsCredentials> = Object.freeze({ accessKeyId: 'replimq', secretAccessKey: 'replimq' });

/** The URL the node answers CreateQueue/GetQueueUrl with for `queueName`. */
export function queueUrlOf(endpoint: string, queueName: string): string {
  return `${endpoint.replace(/\/+$/, '')}/${SQS_ACCOUNT_ID}/${encodeURIComponent(queueName)}`;
}

export function createSqsClient(endpoint: string, overrides: SQSClientConfig = {}): SQSClient {
  const client = new SQSClient({
    endpoint,
    region: SQS_REGION,
    credentials: { ...SQS_CREDENTIALS },
    ...overrides,
  });
  client.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args); // outside the deserializer: both the parsed output and the HTTP response
      const headers = (result.response as { headers?: Record<string, string> }).headers ?? {};
      const commit = commitFromHeaders(headers);
      if (commit) {
        for (const messageId of sentMessageIds(result.output)) recordCommit(messageId, commit);
      }
      return result;
    },
    { step: 'deserialize', name: 'replimqCommitRecorder', priority: 'high' },
  );
  return client;
}

function sentMessageIds(output: unknown): string[] {
  if (typeof output !== 'object' || output === null) return [];
  const { MessageId, Successful } = output as { MessageId?: unknown; Successful?: unknown };
  if (typeof MessageId === 'string') return [MessageId];
  if (!Array.isArray(Successful)) return [];
  return Successful.flatMap((entry: { MessageId?: unknown }) =>
    typeof entry.MessageId === 'string' ? [entry.MessageId] : [],
  );
}
