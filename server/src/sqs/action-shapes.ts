/**
 * The one action table both wire protocols share: each action's input and output shape, member
 * names as in the AWS JSON 1.0 model (`engine/actions.ts`), Query/XML names as in the Query model
 * (`locationName`). Checked against `aws-sdk@2.1490.0`'s `apis/sqs-2012-11-05.min.json`, which
 * is also what parses our XML in the Query tests.
 */
import type { ActionName } from '../engine/actions.js';
import { BLOB, BOOLEAN, INTEGER, LONG, STRING, listOf, mapOf, structure, type StructureShape } from './shapes.js';

const QUEUE_URL_ONLY = structure({ QueueUrl: STRING }, ['QueueUrl']);
const EMPTY = structure({});

const MESSAGE_ATTRIBUTE_VALUE = structure(
  {
    StringValue: STRING,
    BinaryValue: BLOB,
    StringListValues: listOf(STRING, 'StringListValue'),
    BinaryListValues: listOf(BLOB, 'BinaryListValue'),
    DataType: STRING,
  },
  ['DataType'],
);

const QUEUE_ATTRIBUTES = mapOf(STRING, 'Attribute');
const TAGS = mapOf(STRING, 'Tag', 'Key', 'Value');
const MESSAGE_ATTRIBUTES = mapOf(MESSAGE_ATTRIBUTE_VALUE, 'MessageAttribute');
const MESSAGE_SYSTEM_ATTRIBUTES = mapOf(MESSAGE_ATTRIBUTE_VALUE, 'MessageSystemAttribute');

/** What SendMessage and each SendMessageBatch entry carry besides the queue / entry id. */
const MESSAGE_TO_SEND = {
  MessageBody: STRING,
  DelaySeconds: INTEGER,
  MessageAttributes: MESSAGE_ATTRIBUTES,
  MessageSystemAttributes: MESSAGE_SYSTEM_ATTRIBUTES,
  MessageDeduplicationId: STRING,
  MessageGroupId: STRING,
};

const BATCH_FAILED = listOf(
  structure({ Id: STRING, SenderFault: BOOLEAN, Code: STRING, Message: STRING }, ['Id', 'SenderFault', 'Code']),
  'BatchResultErrorEntry',
);

/** ReceiveMessage's answer; PeekMessages answers the same shape. */
const RECEIVE_OUTPUT = structure({
  Messages: listOf(
    structure({
      MessageId: STRING,
      ReceiptHandle: STRING,
      MD5OfBody: STRING,
      Body: STRING,
      Attributes: QUEUE_ATTRIBUTES,
      MD5OfMessageAttributes: STRING,
      MessageAttributes: MESSAGE_ATTRIBUTES,
    }),
    'Message',
  ),
});

function batchIdsResult(entryName: string): StructureShape {
  return structure({ Successful: listOf(structure({ Id: STRING }), entryName), Failed: BATCH_FAILED });
}

export interface ActionShapes {
  input: StructureShape;
  output: StructureShape;
}

export const ACTION_SHAPES: Readonly<Record<ActionName, ActionShapes>> = {
  CreateQueue: {
    input: structure({ QueueName: STRING, Attributes: QUEUE_ATTRIBUTES, tags: TAGS }, ['QueueName']),
    output: structure({ QueueUrl: STRING }),
  },
  GetQueueUrl: {
    input: structure({ QueueName: STRING, QueueOwnerAWSAccountId: STRING }, ['QueueName']),
    output: structure({ QueueUrl: STRING }),
  },
  ListQueues: {
    input: structure({ QueueNamePrefix: STRING, NextToken: STRING, MaxResults: INTEGER }),
    output: structure({ QueueUrls: listOf(STRING, 'QueueUrl'), NextToken: STRING }),
  },
  DeleteQueue: { input: QUEUE_URL_ONLY, output: EMPTY },
  PurgeQueue: { input: QUEUE_URL_ONLY, output: EMPTY },
  GetQueueAttributes: {
    input: structure({ QueueUrl: STRING, AttributeNames: listOf(STRING, 'AttributeName') }, ['QueueUrl']),
    output: structure({ Attributes: QUEUE_ATTRIBUTES }),
  },
  SetQueueAttributes: {
    input: structure({ QueueUrl: STRING, Attributes: QUEUE_ATTRIBUTES }, ['QueueUrl', 'Attributes']),
    output: EMPTY,
  },
  SendMessage: {
    input: structure({ QueueUrl: STRING, ...MESSAGE_TO_SEND }, ['QueueUrl', 'MessageBody']),
    output: structure({
      MD5OfMessageBody: STRING,
      MD5OfMessageAttributes: STRING,
      MD5OfMessageSystemAttributes: STRING,
      MessageId: STRING,
      SequenceNumber: STRING,
    }),
  },
  SendMessageBatch: {
    input: structure(
      {
        QueueUrl: STRING,
        Entries: listOf(
          structure({ Id: STRING, ...MESSAGE_TO_SEND }, ['Id', 'MessageBody']),
          'SendMessageBatchRequestEntry',
        ),
      },
      ['QueueUrl', 'Entries'],
    ),
    output: structure({
      Successful: listOf(
        structure({
          Id: STRING,
          MessageId: STRING,
          MD5OfMessageBody: STRING,
          MD5OfMessageAttributes: STRING,
          MD5OfMessageSystemAttributes: STRING,
          SequenceNumber: STRING,
        }),
        'SendMessageBatchResultEntry',
      ),
      Failed: BATCH_FAILED,
    }),
  },
  ReceiveMessage: {
    input: structure(
      {
        QueueUrl: STRING,
        AttributeNames: listOf(STRING, 'AttributeName'),
        MessageSystemAttributeNames: listOf(STRING, 'MessageSystemAttributeName'),
        MessageAttributeNames: listOf(STRING, 'MessageAttributeName'),
        MaxNumberOfMessages: INTEGER,
        VisibilityTimeout: INTEGER,
        WaitTimeSeconds: INTEGER,
        ReceiveRequestAttemptId: STRING,
      },
      ['QueueUrl'],
    ),
    output: RECEIVE_OUTPUT,
  },
  DeleteMessage: {
    input: structure({ QueueUrl: STRING, ReceiptHandle: STRING }, ['QueueUrl', 'ReceiptHandle']),
    output: EMPTY,
  },
  DeleteMessageBatch: {
    input: structure(
      {
        QueueUrl: STRING,
        Entries: listOf(structure({ Id: STRING, ReceiptHandle: STRING }, ['Id', 'ReceiptHandle']), 'DeleteMessageBatchRequestEntry'),
      },
      ['QueueUrl', 'Entries'],
    ),
    output: batchIdsResult('DeleteMessageBatchResultEntry'),
  },
  ChangeMessageVisibility: {
    input: structure(
      { QueueUrl: STRING, ReceiptHandle: STRING, VisibilityTimeout: INTEGER },
      ['QueueUrl', 'ReceiptHandle', 'VisibilityTimeout'],
    ),
    output: EMPTY,
  },
  ChangeMessageVisibilityBatch: {
    input: structure(
      {
        QueueUrl: STRING,
        Entries: listOf(
          structure({ Id: STRING, ReceiptHandle: STRING, VisibilityTimeout: INTEGER }, ['Id', 'ReceiptHandle']),
          'ChangeMessageVisibilityBatchRequestEntry',
        ),
      },
      ['QueueUrl', 'Entries'],
    ),
    output: batchIdsResult('ChangeMessageVisibilityBatchResultEntry'),
  },
  ListDeadLetterSourceQueues: {
    input: structure({ QueueUrl: STRING, NextToken: STRING, MaxResults: INTEGER }, ['QueueUrl']),
    output: structure({ queueUrls: listOf(STRING, 'QueueUrl'), NextToken: STRING }),
  },
  TagQueue: {
    input: structure({ QueueUrl: STRING, Tags: TAGS }, ['QueueUrl', 'Tags']),
    output: EMPTY,
  },
  UntagQueue: {
    input: structure({ QueueUrl: STRING, TagKeys: listOf(STRING, 'TagKey') }, ['QueueUrl', 'TagKeys']),
    output: EMPTY,
  },
  ListQueueTags: { input: QUEUE_URL_ONLY, output: structure({ Tags: TAGS }) },
  AddPermission: {
    input: structure(
      {
        QueueUrl: STRING,
        Label: STRING,
        AWSAccountIds: listOf(STRING, 'AWSAccountId'),
        Actions: listOf(STRING, 'ActionName'),
      },
      ['QueueUrl', 'Label', 'AWSAccountIds', 'Actions'],
    ),
    output: EMPTY,
  },
  RemovePermission: {
    input: structure({ QueueUrl: STRING, Label: STRING }, ['QueueUrl', 'Label']),
    output: EMPTY,
  },
  StartMessageMoveTask: {
    input: structure(
      { SourceArn: STRING, DestinationArn: STRING, MaxNumberOfMessagesPerSecond: INTEGER },
      ['SourceArn'],
    ),
    output: structure({ TaskHandle: STRING }),
  },
  ListMessageMoveTasks: {
    input: structure({ SourceArn: STRING, MaxResults: INTEGER }, ['SourceArn']),
    output: structure({
      Results: listOf(
        structure({
          TaskHandle: STRING,
          Status: STRING,
          SourceArn: STRING,
          DestinationArn: STRING,
          MaxNumberOfMessagesPerSecond: INTEGER,
          ApproximateNumberOfMessagesMoved: LONG,
          ApproximateNumberOfMessagesToMove: LONG,
          FailureReason: STRING,
          StartedTimestamp: LONG,
        }),
        'ListMessageMoveTasksResultEntry',
      ),
    }),
  },
  CancelMessageMoveTask: {
    input: structure({ TaskHandle: STRING }, ['TaskHandle']),
    output: structure({ ApproximateNumberOfMessagesMoved: LONG }),
  },
  // replimq's own actions (engine/actions.ts): read by the admin API and the developer endpoint,
  // never from an SQS `Action`. A peek answers exactly what a receive answers.
  PeekMessages: {
    input: structure({ QueueUrl: STRING, ShowInvisible: BOOLEAN, ShowDelayed: BOOLEAN, MaxNumberOfMessages: INTEGER }, ['QueueUrl']),
    output: RECEIVE_OUTPUT,
  },
  DeleteMessageById: {
    input: structure({ QueueUrl: STRING, MessageId: STRING }, ['QueueUrl', 'MessageId']),
    output: EMPTY,
  },
};

/** Actions whose output has no members: JSON answers them with an empty body, Query with the
 *  metadata alone. Asked on every answer, so computed once. */
export const ACTIONS_WITHOUT_OUTPUT: ReadonlySet<ActionName> = new Set(
  (Object.keys(ACTION_SHAPES) as ActionName[]).filter((action) => Object.keys(ACTION_SHAPES[action].output.members).length === 0),
);
