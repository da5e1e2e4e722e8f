/**
 * AddPermission and RemovePermission: kept, as in SQS, as statements of the queue's Policy
 * attribute (one statement per label). The policy is what lets another account in
 * (queue-policy.ts); the queue's own account needs none.
 */
import type { ActionInput, ActionOutput } from '../actions.js';
import { ACTION_NAMES } from '../actions.js';
import type { CommandContext, EngineState } from '../engine-state.js';
import { SqsError } from '../errors.js';
import type { Queue } from '../queue.js';

interface PolicyStatement {
  Sid?: string;
  [field: string]: unknown;
}

interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement?: PolicyStatement[];
  [field: string]: unknown;
}

const LABEL = /^[A-Za-z0-9_-]{1,80}$/;
/** What a queue's owner may grant to others; batch permissions follow their single action. */
const SHAREABLE_ACTIONS = new Set<string>([
  '*',
  'ChangeMessageVisibility',
  'DeleteMessage',
  'GetQueueAttributes',
  'GetQueueUrl',
  'ListDeadLetterSourceQueues',
  'PurgeQueue',
  'ReceiveMessage',
  'SendMessage',
]);
/** The batch actions are no ActionName of their own: granting SendMessage grants SendMessageBatch. */
const BATCH_ACTIONS = new Set<string>(['SendMessageBatch', 'DeleteMessageBatch', 'ChangeMessageVisibilityBatch']);
const SQS_ACTIONS = new Set<string>(ACTION_NAMES);
/** "An Amazon SQS policy can have a maximum of seven actions per statement" (API reference). */
const MAX_ACTIONS_PER_STATEMENT = 7;

export function addPermission(state: EngineState, input: ActionInput<'AddPermission'>, context: CommandContext): ActionOutput<'AddPermission'> {
  const queue = state.queueByUrl(input.QueueUrl);
  const label = input.Label;
  if (!LABEL.test(label)) throw invalidLabel(label, 'Label can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length.');
  if ((input.AWSAccountIds ?? []).length === 0) throw new SqsError('MissingParameter', 'The request must contain the parameter AWSAccountIds.');
  if ((input.Actions ?? []).length === 0) throw new SqsError('MissingParameter', 'The request must contain the parameter Actions.');
  if (input.Actions.length > MAX_ACTIONS_PER_STATEMENT) {
    throw new SqsError('OverLimit', `${input.Actions.length} Actions were found, maximum allowed is ${MAX_ACTIONS_PER_STATEMENT}.`);
  }
  for (const action of input.Actions) {
    const bare = action.replace(/^SQS:/i, '');
    if (SHAREABLE_ACTIONS.has(bare)) continue;
    // Managing the queue (CreateQueue, SetQueueAttributes, AddPermission, TagQueue, …) stays with
    // its owner; SQS names that reason rather than calling the action unknown.
    const reason = SQS_ACTIONS.has(bare) && !BATCH_ACTIONS.has(bare)
      ? 'Only the queue owner is allowed to invoke this action.'
      : 'Please refer to the appropriate WSDL for a list of valid actions.';
    throw new SqsError('InvalidParameterValue', `Value SQS:${bare} for parameter ActionName is invalid. Reason: ${reason}`);
  }
  const arn = state.arnOf(queue);
  const policy = readPolicy(queue) ?? { Version: '2008-10-17', Id: `${arn}/SQSDefaultPolicy`, Statement: [] };
  const statements = policy.Statement ?? [];
  if (statements.some((statement) => statement.Sid === label)) throw invalidLabel(label, 'Already exists.');
  // Like SQS, a single principal or action is written as a string, several as a list.
  statements.push({
    Sid: label,
    Effect: 'Allow',
    Principal: { AWS: oneOrMany(input.AWSAccountIds.map((account) => `arn:aws:iam::${account}:root`)) },
    Action: oneOrMany(input.Actions.map((action) => `SQS:${action.replace(/^SQS:/i, '')}`)),
    Resource: arn,
  });
  writePolicy(state, queue, { ...policy, Statement: statements }, context.now);
  return {};
}

export function removePermission(state: EngineState, input: ActionInput<'RemovePermission'>, context: CommandContext): ActionOutput<'RemovePermission'> {
  const queue = state.queueByUrl(input.QueueUrl);
  const policy = readPolicy(queue);
  const statements = policy?.Statement ?? [];
  const remaining = statements.filter((statement) => statement.Sid !== input.Label);
  if (policy === undefined || remaining.length === statements.length) {
    throw invalidLabel(input.Label, "can't find label.");
  }
  writePolicy(state, queue, remaining.length === 0 ? undefined : { ...policy, Statement: remaining }, context.now);
  return {};
}

function readPolicy(queue: Queue): PolicyDocument | undefined {
  const text = queue.attributes.Policy;
  if (text === undefined) return undefined;
  const document = JSON.parse(text) as PolicyDocument;
  if (!Array.isArray(document.Statement)) {
    document.Statement = document.Statement === undefined ? [] : [document.Statement as unknown as PolicyStatement];
  }
  return document;
}

function writePolicy(state: EngineState, queue: Queue, policy: PolicyDocument | undefined, now: number): void {
  const settings = { ...queue.attributes };
  if (policy === undefined) delete settings.Policy;
  else settings.Policy = JSON.stringify(policy);
  queue.applySettings(settings);
  queue.modifiedAt = now;
  state.changes.queue(queue.id);
}

function oneOrMany(values: string[]): string | string[] {
  return values.length === 1 ? (values[0] as string) : values;
}

function invalidLabel(label: string, reason: string): SqsError {
  return new SqsError('InvalidParameterValue', `Value ${label} for parameter Label is invalid. Reason: ${reason}`);
}
