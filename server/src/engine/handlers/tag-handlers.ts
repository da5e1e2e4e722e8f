/** TagQueue, UntagQueue, ListQueueTags. */
import type { ActionInput, ActionOutput } from '../actions.js';
import type { EngineState } from '../engine-state.js';
import { SqsError } from '../errors.js';
import { mergeTags } from '../tags.js';

export function tagQueue(state: EngineState, input: ActionInput<'TagQueue'>): ActionOutput<'TagQueue'> {
  const queue = state.queueByUrl(input.QueueUrl);
  // An empty tag map is no tags at all, as SQS sees it.
  if (Object.keys(input.Tags ?? {}).length === 0) throw new SqsError('MissingParameter', 'The request must contain the parameter Tags.');
  queue.tags = mergeTags(queue.name, queue.tags, input.Tags ?? {});
  state.changes.queue(queue.id);
  return {};
}

export function untagQueue(state: EngineState, input: ActionInput<'UntagQueue'>): ActionOutput<'UntagQueue'> {
  const queue = state.queueByUrl(input.QueueUrl);
  if ((input.TagKeys ?? []).length === 0) {
    throw new SqsError('InvalidParameterValue', 'Tag keys must be between 1 and 128 characters in length.');
  }
  const tags = { ...queue.tags };
  for (const key of input.TagKeys ?? []) delete tags[key];
  queue.tags = tags;
  state.changes.queue(queue.id);
  return {};
}

export function listQueueTags(state: EngineState, input: ActionInput<'ListQueueTags'>): ActionOutput<'ListQueueTags'> {
  const queue = state.queueByUrl(input.QueueUrl);
  return Object.keys(queue.tags).length > 0 ? { Tags: { ...queue.tags } } : {};
}
