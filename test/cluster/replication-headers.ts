/**
 * Reads replimq's `x-replimq-log-index` / `x-replimq-replicas` answer headers through the AWS
 * SDK v3: a middleware copies them onto each command's output (as a hidden property).
 */
import type { SQSClient } from '@aws-sdk/client-sqs';

export interface Replication {
  logIndex: number;
  replicas: number;
}

const REPLICATION = Symbol('replimq replication headers');

export function trackReplication(client: SQSClient): SQSClient {
  // The deserialize step sees the HTTP response; the initialize step sees the final output
  // object. They share the per-call context.
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const headers = (result.response as { headers?: Record<string, string> }).headers ?? {};
      (context as { [REPLICATION]?: Replication })[REPLICATION] = {
        logIndex: Number(headers['x-replimq-log-index'] ?? NaN),
        replicas: Number(headers['x-replimq-replicas'] ?? NaN),
      };
      return result;
    },
    { step: 'deserialize', name: 'replimqReplicationHeaders' },
  );
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const replication = (context as { [REPLICATION]?: Replication })[REPLICATION];
      if (replication && typeof result.output === 'object' && result.output !== null) {
        Object.defineProperty(result.output, REPLICATION, { value: replication, enumerable: false });
      }
      return result;
    },
    { step: 'initialize', name: 'replimqReplicationOutput' },
  );
  return client;
}

export function replicationOf(output: object): Replication {
  const replication = (output as { [REPLICATION]?: Replication })[REPLICATION];
  if (!replication) throw new Error('no replication headers captured: was the client made with trackReplication()?');
  return replication;
}
