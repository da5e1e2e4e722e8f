/** ListDeadLetterSourceQueues: the queues whose RedrivePolicy targets this one. */
import type { ActionInput, ActionOutput } from '../actions.js';
import type { EngineState } from '../engine-state.js';
import { checkMaxResults, pageOf } from '../page-token.js';
import type { Queue } from '../queue.js';

export function listDeadLetterSourceQueues(
  state: EngineState,
  input: ActionInput<'ListDeadLetterSourceQueues'>,
  baseUrl: string,
): ActionOutput<'ListDeadLetterSourceQueues'> {
  const target = state.queueByUrl(input.QueueUrl);
  checkMaxResults(input.MaxResults);
  const sources = new Map(deadLetterSourcesOf(state, target).map((queue) => [queue.name, queue]));
  const { page, nextToken } = pageOf([...sources.keys()].sort(), input.MaxResults, input.NextToken);
  const output: ActionOutput<'ListDeadLetterSourceQueues'> = {
    queueUrls: page.map((name) => state.urlOf(sources.get(name) as Queue, baseUrl)),
  };
  if (nextToken !== undefined) output.NextToken = nextToken;
  return output;
}

export function deadLetterSourcesOf(state: EngineState, target: Queue): Queue[] {
  // By the whole ARN: a queue of the same name in another account or region is another queue.
  const arn = state.arnOf(target);
  return [...state.queues.values()].filter((queue) => queue.redrive?.deadLetterTargetArn === arn);
}
