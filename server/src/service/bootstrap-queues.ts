/**
 * Creates the config file's queues at start-up, through the SQS service like any client, so
 * they are validated and replicated like any other command.
 *
 * Two passes make dead-letter links independent of the order queues are listed in: first every
 * queue exists, then each `deadLetterQueue` name is resolved to its ARN and set as RedrivePolicy.
 * A queue that already exists (SQLite restart) gets the configured attributes and tags set again.
 */
import type { RequestContext } from '../cluster/replicator.js';
import type { QueueDefinition } from '../config.js';
import type { ActionInput, ActionName, ActionOutput, SqsRequest } from '../engine/actions.js';
import { isSqsError } from '../engine/errors.js';
import type { SqsService } from '../sqs/sqs-service.js';

export class QueueBootstrapError extends Error {
  override readonly name = 'QueueBootstrapError';
}

// FifoQueue can only be given at creation: SetQueueAttributes rejects it.
const CREATION_ONLY_ATTRIBUTES = new Set(['FifoQueue']);

export async function bootstrapQueues(
  service: SqsService,
  queues: readonly QueueDefinition[],
  context: RequestContext,
): Promise<void> {
  const ask = async <A extends ActionName>(action: A, input: ActionInput<A>): Promise<ActionOutput<A>> => {
    const answer = await service.handle({ action, input } as SqsRequest, context);
    return answer.output as ActionOutput<A>;
  };
  const call = async <A extends ActionName>(queue: string, action: A, input: ActionInput<A>): Promise<ActionOutput<A>> => {
    try {
      return await ask(action, input);
    } catch (error) {
      const reason = isSqsError(error) ? `${error.code}: ${error.message}` : String(error);
      throw new QueueBootstrapError(`config queue "${queue}": ${action} failed: ${reason}`, { cause: error });
    }
  };
  const urlOf = (name: string): Promise<string | undefined> =>
    ask('GetQueueUrl', { QueueName: name }).then(
      (output) => output.QueueUrl,
      () => undefined,
    );

  for (const queue of queues) {
    const existing = await urlOf(queue.name);
    if (existing === undefined) {
      await call(queue.name, 'CreateQueue', { QueueName: queue.name, Attributes: queue.attributes, tags: queue.tags });
      continue;
    }
    const settable = Object.fromEntries(
      Object.entries(queue.attributes).filter(([name]) => !CREATION_ONLY_ATTRIBUTES.has(name)),
    );
    if (Object.keys(settable).length > 0) {
      await call(queue.name, 'SetQueueAttributes', { QueueUrl: existing, Attributes: settable });
    }
    if (Object.keys(queue.tags).length > 0) await call(queue.name, 'TagQueue', { QueueUrl: existing, Tags: queue.tags });
  }

  for (const queue of queues) {
    if (!queue.deadLetterQueue) continue;
    const { name: dlqName, maxReceiveCount } = queue.deadLetterQueue;
    const dlqUrl = await urlOf(dlqName);
    if (dlqUrl === undefined) {
      throw new QueueBootstrapError(`config queue "${queue.name}": dead-letter queue "${dlqName}" does not exist`);
    }
    const { Attributes } = await call(dlqName, 'GetQueueAttributes', { QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] });
    const redrivePolicy = JSON.stringify({ deadLetterTargetArn: Attributes?.['QueueArn'], maxReceiveCount });
    const url = (await urlOf(queue.name)) ?? queue.name;
    await call(queue.name, 'SetQueueAttributes', { QueueUrl: url, Attributes: { RedrivePolicy: redrivePolicy } });
  }
}

/**
 * In a cluster no leader exists yet at start-up: retry while the answer is ServiceUnavailable
 * (no leader known), through the forwarding service, so whichever node is elected gets the
 * commands. Every node does this; the commands are idempotent.
 */
export async function bootstrapQueuesOnceLeaderKnown(
  service: SqsService,
  queues: readonly QueueDefinition[],
  context: RequestContext,
  options: { retryMs: number; stopped: () => boolean },
): Promise<void> {
  for (;;) {
    try {
      await bootstrapQueues(service, queues, context);
      return;
    } catch (error) {
      const cause = error instanceof QueueBootstrapError ? error.cause : error;
      if (!(isSqsError(cause) && cause.code === 'ServiceUnavailable') || options.stopped()) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, options.retryMs).unref());
  }
}
