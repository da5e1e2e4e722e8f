/**
 * The protocol-neutral SQS API: one input and one output shape per action, exactly the shapes of
 * the AWS JSON 1.0 model (PascalCase members, numbers as numbers, binary as base64 strings).
 *
 * The JSON protocol decodes straight into these; the Query protocol flattens/unflattens its
 * `Attribute.1.Name=…` parameters into the same shapes. The engine consumes them, the cluster log
 * carries them (they are plain JSON), and the protocols render the outputs back.
 */

export interface MessageAttributeValue {
  DataType: string;
  StringValue?: string;
  /** base64, as on the JSON wire */
  BinaryValue?: string;
  StringListValues?: string[];
  BinaryListValues?: string[];
}

export interface MessageSystemAttributeValue {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string;
  StringListValues?: string[];
  BinaryListValues?: string[];
}

export interface BatchResultErrorEntry {
  Id: string;
  SenderFault: boolean;
  Code: string;
  Message?: string;
}

export interface ReceivedMessage {
  MessageId: string;
  ReceiptHandle: string;
  MD5OfBody: string;
  Body: string;
  Attributes?: Record<string, string>;
  MD5OfMessageAttributes?: string;
  MessageAttributes?: Record<string, MessageAttributeValue>;
}

export interface SendMessageBatchRequestEntry {
  Id: string;
  MessageBody: string;
  DelaySeconds?: number;
  MessageAttributes?: Record<string, MessageAttributeValue>;
  MessageSystemAttributes?: Record<string, MessageSystemAttributeValue>;
  MessageDeduplicationId?: string;
  MessageGroupId?: string;
}

export interface SendMessageBatchResultEntry {
  Id: string;
  MessageId: string;
  MD5OfMessageBody: string;
  MD5OfMessageAttributes?: string;
  MD5OfMessageSystemAttributes?: string;
  SequenceNumber?: string;
}

export interface MessageMoveTaskEntry {
  TaskHandle?: string;
  Status: 'RUNNING' | 'COMPLETED' | 'CANCELLING' | 'CANCELLED' | 'FAILED';
  SourceArn: string;
  DestinationArn?: string;
  MaxNumberOfMessagesPerSecond?: number;
  ApproximateNumberOfMessagesMoved: number;
  ApproximateNumberOfMessagesToMove?: number;
  FailureReason?: string;
  StartedTimestamp: number;
}

/** Input and output of every action, keyed by the action's name. */
export interface SqsActions {
  CreateQueue: {
    input: { QueueName: string; Attributes?: Record<string, string>; tags?: Record<string, string> };
    output: { QueueUrl: string };
  };
  GetQueueUrl: {
    input: { QueueName: string; QueueOwnerAWSAccountId?: string };
    output: { QueueUrl: string };
  };
  ListQueues: {
    input: { QueueNamePrefix?: string; NextToken?: string; MaxResults?: number };
    output: { QueueUrls?: string[]; NextToken?: string };
  };
  DeleteQueue: { input: { QueueUrl: string }; output: Record<string, never> };
  PurgeQueue: { input: { QueueUrl: string }; output: Record<string, never> };
  GetQueueAttributes: {
    input: { QueueUrl: string; AttributeNames?: string[] };
    output: { Attributes?: Record<string, string> };
  };
  SetQueueAttributes: {
    input: { QueueUrl: string; Attributes: Record<string, string> };
    output: Record<string, never>;
  };
  SendMessage: {
    input: {
      QueueUrl: string;
      MessageBody: string;
      DelaySeconds?: number;
      MessageAttributes?: Record<string, MessageAttributeValue>;
      MessageSystemAttributes?: Record<string, MessageSystemAttributeValue>;
      MessageDeduplicationId?: string;
      MessageGroupId?: string;
    };
    output: {
      MessageId: string;
      MD5OfMessageBody: string;
      MD5OfMessageAttributes?: string;
      MD5OfMessageSystemAttributes?: string;
      SequenceNumber?: string;
    };
  };
  SendMessageBatch: {
    input: { QueueUrl: string; Entries: SendMessageBatchRequestEntry[] };
    output: { Successful: SendMessageBatchResultEntry[]; Failed: BatchResultErrorEntry[] };
  };
  ReceiveMessage: {
    input: {
      QueueUrl: string;
      /** deprecated by AWS in favour of MessageSystemAttributeNames; both are honoured */
      AttributeNames?: string[];
      MessageSystemAttributeNames?: string[];
      MessageAttributeNames?: string[];
      MaxNumberOfMessages?: number;
      VisibilityTimeout?: number;
      WaitTimeSeconds?: number;
      ReceiveRequestAttemptId?: string;
    };
    output: { Messages?: ReceivedMessage[] };
  };
  DeleteMessage: { input: { QueueUrl: string; ReceiptHandle: string }; output: Record<string, never> };
  DeleteMessageBatch: {
    input: { QueueUrl: string; Entries: { Id: string; ReceiptHandle: string }[] };
    output: { Successful: { Id: string }[]; Failed: BatchResultErrorEntry[] };
  };
  ChangeMessageVisibility: {
    input: { QueueUrl: string; ReceiptHandle: string; VisibilityTimeout: number };
    output: Record<string, never>;
  };
  ChangeMessageVisibilityBatch: {
    input: {
      QueueUrl: string;
      Entries: { Id: string; ReceiptHandle: string; VisibilityTimeout?: number }[];
    };
    output: { Successful: { Id: string }[]; Failed: BatchResultErrorEntry[] };
  };
  ListDeadLetterSourceQueues: {
    input: { QueueUrl: string; NextToken?: string; MaxResults?: number };
    output: { queueUrls: string[]; NextToken?: string };
  };
  TagQueue: { input: { QueueUrl: string; Tags: Record<string, string> }; output: Record<string, never> };
  UntagQueue: { input: { QueueUrl: string; TagKeys: string[] }; output: Record<string, never> };
  ListQueueTags: { input: { QueueUrl: string }; output: { Tags?: Record<string, string> } };
  AddPermission: {
    input: { QueueUrl: string; Label: string; AWSAccountIds: string[]; Actions: string[] };
    output: Record<string, never>;
  };
  RemovePermission: { input: { QueueUrl: string; Label: string }; output: Record<string, never> };
  StartMessageMoveTask: {
    input: { SourceArn: string; DestinationArn?: string; MaxNumberOfMessagesPerSecond?: number };
    output: { TaskHandle: string };
  };
  ListMessageMoveTasks: {
    input: { SourceArn: string; MaxResults?: number };
    output: { Results: MessageMoveTaskEntry[] };
  };
  CancelMessageMoveTask: {
    input: { TaskHandle: string };
    output: { ApproximateNumberOfMessagesMoved: number };
  };
  /** replimq's own (never decoded from the SQS wire): the messages of a queue as a receive would
   *  render them, changing nothing. Visible ones always; in-flight ones with `ShowInvisible`,
   *  delayed ones with `ShowDelayed` (LocalStack's `/_aws/sqs/messages` developer endpoint). */
  PeekMessages: {
    input: {
      QueueUrl: string;
      ShowInvisible?: boolean;
      ShowDelayed?: boolean;
      /** At most this many, the first sent (the admin page's bound on a deep queue); all when absent. */
      MaxNumberOfMessages?: number;
    };
    output: { Messages?: ReceivedMessage[] };
  };
  /** replimq's own (never decoded from the SQS wire): deletes one message by its id, whatever its
   *  state, for the admin page (a message never received has no receipt handle to delete it by). */
  DeleteMessageById: {
    input: { QueueUrl: string; MessageId: string };
    output: Record<string, never>;
  };
}

export type ActionName = keyof SqsActions;
export type ActionInput<A extends ActionName> = SqsActions[A]['input'];
export type ActionOutput<A extends ActionName> = SqsActions[A]['output'];

/** A request in protocol-neutral form, as decoded by either wire protocol. */
export type SqsRequest = { [A in ActionName]: { action: A; input: ActionInput<A> } }[ActionName];

export const ACTION_NAMES: readonly ActionName[] = [
  'CreateQueue', 'GetQueueUrl', 'ListQueues', 'DeleteQueue', 'PurgeQueue', 'GetQueueAttributes',
  'SetQueueAttributes', 'SendMessage', 'SendMessageBatch', 'ReceiveMessage', 'DeleteMessage',
  'DeleteMessageBatch', 'ChangeMessageVisibility', 'ChangeMessageVisibilityBatch',
  'ListDeadLetterSourceQueues', 'TagQueue', 'UntagQueue', 'ListQueueTags', 'AddPermission',
  'RemovePermission', 'StartMessageMoveTask', 'ListMessageMoveTasks', 'CancelMessageMoveTask',
];

/** replimq's own actions: served like the others (the cluster forwards them, writes go through
 *  the log) but reachable only through replimq's own endpoints, never as an SQS `Action`. */
export const REPLIMQ_ACTION_NAMES: readonly ActionName[] = ['PeekMessages', 'DeleteMessageById'];

/** Actions that only read state: served without a log entry. Everything else is a command. */
export const READ_ONLY_ACTIONS: ReadonlySet<ActionName> = new Set<ActionName>([
  'GetQueueUrl', 'ListQueues', 'GetQueueAttributes', 'ListQueueTags',
  'ListDeadLetterSourceQueues', 'ListMessageMoveTasks', 'PeekMessages',
]);

/** An SQS action a client may name on the wire. */
export function isActionName(name: string): name is ActionName {
  return (ACTION_NAMES as readonly string[]).includes(name);
}

/** Any action the node serves: SQS's and replimq's own (forwarded requests, admin endpoints). */
export function isServedAction(name: string): name is ActionName {
  return isActionName(name) || (REPLIMQ_ACTION_NAMES as readonly string[]).includes(name);
}
