/**
 * SDK v3 clients wired to a node: endpoint, region and dummy credentials, plus a middleware that
 * records where each sent message was committed (see commit-log.ts).
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSClientConfig } from '@aws-sdk/client-sqs';
import { commitFromHeaders, recordCommit } from './commit-log.js';

export const DEFAULT_REGION = 'us-east-1';

export function createSqsClient(endpoint: string, overrides: SQSClientConfig = {}): SQSClient {
  const client = new SQSClient({
    endpoint,
    region: DEFAULT_REGION,
    credentials: { accessKeyId: 'replimq', secretAccessKey: 'replimq' },
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
