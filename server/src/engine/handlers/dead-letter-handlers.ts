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
  const sources = deadLetterSourcesOf(state, target).map((queue) => queue.name).sort();
  const { page, nextToken } = pageOf(sources, input.MaxResults, input.NextToken);
  const output: ActionOutput<'ListDeadLetterSourceQueues'> = {
    queueUrls: page.map((name) => state.urlOf(state.queues.get(name) as Queue, baseUrl)),
  };
  if (nextToken !== undefined) output.NextToken = nextToken;
  return output;
}

export function deadLetterSourcesOf(state: EngineState, target: Queue): Queue[] {
  return [...state.queues.values()].filter((queue) => queue.redrive?.targetName === target.name);
}
