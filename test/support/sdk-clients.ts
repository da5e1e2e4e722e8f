/**
 * One thin SQS client interface, two real AWS SDKs behind it.
 *
 * The conformance suite runs every case once per flavour:
 * - `json`:  `@aws-sdk/client-sqs` v3, which speaks AWS JSON 1.0 (`X-Amz-Target: AmazonSQS.<Action>`);
 * - `query`: `aws-sdk-query` (aws-sdk@2.1490.0, the last v2 release that speaks the Query protocol:
 *   form-encoded `Action=…` requests, XML answers).
 *
 * Inputs and outputs use the v3 SDK's shapes (the AWS JSON model's), so a test is written once.
 * Errors are normalised into `SqsCallError` carrying the *legacy Query code* (what the Query
 * protocol puts in `<Code>` and what JSON answers repeat in `x-amzn-query-error`), so a test
 * asserts `{ code: 'AWS.SimpleQueueService.NonExistentQueue', status: 400 }` once for both SDKs.
 */
import * as v3 from '@aws-sdk/client-sqs';
import SQSv2 from 'aws-sdk-query/clients/sqs.js';

export type Flavour = 'json' | 'query';

/**
 * The v3 types narrow attribute names to the documented enums; conformance tests must also send
 * (and read back) names AWS rejects, so those members are widened to plain strings.
 */
type Loose<T> = {
  [K in keyof T]: K extends 'Attributes'
    ? Record<string, string> | undefined
    : K extends 'AttributeNames' | 'MessageSystemAttributeNames'
      ? string[] | undefined
      : T[K];
};

type Io<I, O> = { input: Loose<I>; output: Loose<Omit<O, '$metadata'>> };

/** Every SQS action with the v3 SDK's input and output shapes. */
export interface SqsActionShapes {
  CreateQueue: Io<v3.CreateQueueCommandInput, v3.CreateQueueCommandOutput>;
  GetQueueUrl: Io<v3.GetQueueUrlCommandInput, v3.GetQueueUrlCommandOutput>;
  ListQueues: Io<v3.ListQueuesCommandInput, v3.ListQueuesCommandOutput>;
  DeleteQueue: Io<v3.DeleteQueueCommandInput, v3.DeleteQueueCommandOutput>;
  PurgeQueue: Io<v3.PurgeQueueCommandInput, v3.PurgeQueueCommandOutput>;
  GetQueueAttributes: Io<v3.GetQueueAttributesCommandInput, v3.GetQueueAttributesCommandOutput>;
  SetQueueAttributes: Io<v3.SetQueueAttributesCommandInput, v3.SetQueueAttributesCommandOutput>;
  SendMessage: Io<v3.SendMessageCommandInput, v3.SendMessageCommandOutput>;
  SendMessageBatch: Io<v3.SendMessageBatchCommandInput, v3.SendMessageBatchCommandOutput>;
  ReceiveMessage: Io<v3.ReceiveMessageCommandInput, v3.ReceiveMessageCommandOutput>;
  DeleteMessage: Io<v3.DeleteMessageCommandInput, v3.DeleteMessageCommandOutput>;
  DeleteMessageBatch: Io<v3.DeleteMessageBatchCommandInput, v3.DeleteMessageBatchCommandOutput>;
  ChangeMessageVisibility: Io<v3.ChangeMessageVisibilityCommandInput, v3.ChangeMessageVisibilityCommandOutput>;
  ChangeMessageVisibilityBatch: Io<
    v3.ChangeMessageVisibilityBatchCommandInput,
    v3.ChangeMessageVisibilityBatchCommandOutput
  >;
  ListDeadLetterSourceQueues: Io<v3.ListDeadLetterSourceQueuesCommandInput, v3.ListDeadLetterSourceQueuesCommandOutput>;
  TagQueue: Io<v3.TagQueueCommandInput, v3.TagQueueCommandOutput>;
  UntagQueue: Io<v3.UntagQueueCommandInput, v3.UntagQueueCommandOutput>;
  ListQueueTags: Io<v3.ListQueueTagsCommandInput, v3.ListQueueTagsCommandOutput>;
  AddPermission: Io<v3.AddPermissionCommandInput, v3.AddPermissionCommandOutput>;
  RemovePermission: Io<v3.RemovePermissionCommandInput, v3.RemovePermissionCommandOutput>;
  StartMessageMoveTask: Io<v3.StartMessageMoveTaskCommandInput, v3.StartMessageMoveTaskCommandOutput>;
  ListMessageMoveTasks: Io<v3.ListMessageMoveTasksCommandInput, v3.ListMessageMoveTasksCommandOutput>;
  CancelMessageMoveTask: Io<v3.CancelMessageMoveTaskCommandInput, v3.CancelMessageMoveTaskCommandOutput>;
}

export type SqsActionName = keyof SqsActionShapes;

/** `client.sendMessage({...})`, `client.createQueue({...})`, … for every action. */
export type SqsActionMethods = {
  [A in SqsActionName as Uncapitalize<A>]: (
    input: SqsActionShapes[A]['input'],
  ) => Promise<SqsActionShapes[A]['output']>;
};

export interface SqsTestClient extends SqsActionMethods {
  readonly flavour: Flavour;
  /** The endpoint the SDK was pointed at (resolved when the first call is made). */
  endpoint(): string;
}

/** A failed call, the same shape whichever SDK made it. */
export class SqsCallError extends Error {
  override readonly name = 'SqsCallError';
  constructor(
    /** Legacy Query code, e.g. `AWS.SimpleQueueService.NonExistentQueue`. */
    readonly code: string,
    readonly status: number | undefined,
    message: string,
    /** v3 only: the modeled exception's name (e.g. `QueueDoesNotExist`); v2 has none. */
    readonly modeledName: string | undefined,
  ) {
    // No `cause`: the SDKs' error objects hold sockets and streams that bury a test report.
    super(`${code} (${status ?? 'no status'}): ${message}`);
  }
}

const V3_COMMANDS = {
  CreateQueue: v3.CreateQueueCommand,
  GetQueueUrl: v3.GetQueueUrlCommand,
  ListQueues: v3.ListQueuesCommand,
  DeleteQueue: v3.DeleteQueueCommand,
  PurgeQueue: v3.PurgeQueueCommand,
  GetQueueAttributes: v3.GetQueueAttributesCommand,
  SetQueueAttributes: v3.SetQueueAttributesCommand,
  SendMessage: v3.SendMessageCommand,
  SendMessageBatch: v3.SendMessageBatchCommand,
  ReceiveMessage: v3.ReceiveMessageCommand,
  DeleteMessage: v3.DeleteMessageCommand,
  DeleteMessageBatch: v3.DeleteMessageBatchCommand,
  ChangeMessageVisibility: v3.ChangeMessageVisibilityCommand,
  ChangeMessageVisibilityBatch: v3.ChangeMessageVisibilityBatchCommand,
  ListDeadLetterSourceQueues: v3.ListDeadLetterSourceQueuesCommand,
  TagQueue: v3.TagQueueCommand,
  UntagQueue: v3.UntagQueueCommand,
  ListQueueTags: v3.ListQueueTagsCommand,
  AddPermission: v3.AddPermissionCommand,
  RemovePermission: v3.RemovePermissionCommand,
  StartMessageMoveTask: v3.StartMessageMoveTaskCommand,
  ListMessageMoveTasks: v3.ListMessageMoveTasksCommand,
  CancelMessageMoveTask: v3.CancelMessageMoveTaskCommand,
} as const satisfies Record<SqsActionName, unknown>;

export const SQS_ACTION_NAMES = Object.keys(V3_COMMANDS) as SqsActionName[];

const REGION = 'us-east-1';

/** Who a client is: the region it signs for (SigV4 credential scope) and its access key id
 *  (12 digits: an account id). Default: us-east-1, key `x`. */
export interface ClientIdentity {
  readonly region?: string;
  readonly accessKeyId?: string;
}

function credentialsOf(identity: ClientIdentity): { accessKeyId: string; secretAccessKey: string } {
  return { accessKeyId: identity.accessKeyId ?? 'x', secretAccessKey: 'x' };
}

/** Sends one action and answers its output, or throws `SqsCallError`. */
type Caller = (action: SqsActionName, input: object) => Promise<object>;

export function createSdkClient(flavour: Flavour, endpoint: () => string, identity: ClientIdentity = {}): SqsTestClient {
  const makeCaller = flavour === 'json' ? jsonCaller : queryCaller;
  let caller: Caller | undefined;
  const call: Caller = (action, input) => {
    caller ??= makeCaller(endpoint(), identity);
    return caller(action, input);
  };
  const methods = Object.fromEntries(
    SQS_ACTION_NAMES.map((action) => [lowerFirst(action), (input: object) => call(action, input)]),
  ) as unknown as SqsActionMethods;
  return { ...methods, flavour, endpoint };
}

/** v3, AWS JSON 1.0. Retries off: a test sees the first answer, and a 5xx fails fast. */
function jsonCaller(endpoint: string, identity: ClientIdentity): Caller {
  const client = new v3.SQSClient({ endpoint, region: identity.region ?? REGION, credentials: credentialsOf(identity), maxAttempts: 1 });
  return async (action, input) => {
    const Command = V3_COMMANDS[action] as unknown as new (input: object) => Parameters<v3.SQSClient['send']>[0];
    try {
      const { $metadata: _metadata, ...output } = await client.send(new Command(input));
      return output;
    } catch (error) {
      throw normaliseV3Error(error);
    }
  };
}

/**
 * v2 (aws-sdk@2.1490.0), AWS Query with XML answers. Client-side parameter validation is off so
 * that invalid input reaches the server: the server's answer is what the suite tests.
 */
function queryCaller(endpoint: string, identity: ClientIdentity): Caller {
  const client = new SQSv2({
    endpoint, region: identity.region ?? REGION, credentials: credentialsOf(identity), maxRetries: 0, paramValidation: false,
  });
  return async (action, input) => {
    const method = lowerFirst(action) as keyof SQSv2;
    const request = (client[method] as (params: object) => { promise(): Promise<object> }).call(
      client,
      toQueryInput(action, input),
    );
    try {
      const { ResponseMetadata: _metadata, ...output } = (await request.promise()) as { ResponseMetadata?: unknown };
      return output;
    } catch (error) {
      throw normaliseV2Error(error);
    }
  };
}

/**
 * aws-sdk 2.1490 predates `MessageSystemAttributeNames` (2024); on the Query wire the same list is
 * `AttributeName.N`, so the v3-shaped input is translated rather than silently dropped.
 */
function toQueryInput(action: SqsActionName, input: object): object {
  if (action !== 'ReceiveMessage') return input;
  const { MessageSystemAttributeNames, AttributeNames, ...rest } = input as v3.ReceiveMessageCommandInput;
  const names = [...(AttributeNames ?? []), ...(MessageSystemAttributeNames ?? [])];
  return names.length > 0 ? { ...rest, AttributeNames: names } : rest;
}

/**
 * v3 exposes the legacy code as `Code` only when the answer carried `x-amzn-query-error`; without
 * that header the modern name is all there is, and a test expecting the legacy code fails — which
 * is how the suite checks that JSON answers carry the header.
 */
function normaliseV3Error(error: unknown): unknown {
  if (!(error instanceof v3.SQSServiceException)) return error;
  const legacy = (error as { Code?: unknown }).Code;
  const code = typeof legacy === 'string' && legacy !== '' ? legacy : error.name;
  return new SqsCallError(code, error.$metadata.httpStatusCode, error.message, error.name);
}

function normaliseV2Error(error: unknown): unknown {
  const candidate = error as { code?: unknown; statusCode?: unknown; message?: unknown };
  if (typeof candidate?.code !== 'string' || typeof candidate.statusCode !== 'number') return error;
  // Network failures also carry a `code` (ECONNREFUSED) but no HTTP status from SQS.
  return new SqsCallError(candidate.code, candidate.statusCode, String(candidate.message ?? ''), undefined);
}

function lowerFirst<S extends string>(value: S): Uncapitalize<S> {
  return (value.charAt(0).toLowerCase() + value.slice(1)) as Uncapitalize<S>;
}
