/**
 * One call per SQS action, shared by the JSON and the Query round-trip tests: what the SDK is
 * asked to send, what the protocol layer must decode it into, what the service answers, and what
 * the SDK must make of that answer.
 */
import { createHash } from 'node:crypto';
import type { ActionName } from '../../../server/src/engine/actions.js';

export interface ActionFixture {
  action: ActionName;
  /** SDK input; also the decoded input unless `input` says otherwise. */
  params: Record<string, unknown>;
  input?: Record<string, unknown>;
  /** The service's answer; also what the SDK must parse unless `parsed` says otherwise. */
  output: Record<string, unknown>;
  parsed?: Record<string, unknown>;
  /** What aws-sdk v2 parses from the XML when that differs (it adds empty lists of its own). */
  queryParsed?: Record<string, unknown>;
}

export const md5 = (text: string): string => createHash('md5').update(text, 'utf8').digest('hex');

const SOURCE_ARN = 'arn:aws:sqs:us-east-1:000000000000:dlq';
const DESTINATION_ARN = 'arn:aws:sqs:us-east-1:000000000000:q1';
/** Characters XML must escape, a CR that XML would otherwise turn into LF, and non-ASCII. */
const AWKWARD_TEXT = 'a <b> & "c" \'d\'\r\n\ttab é 😀';

export function actionFixtures(queueUrl: string): ActionFixture[] {
  const otherUrl = queueUrl.replace(/q1$/, 'q2');
  return [
    {
      action: 'CreateQueue',
      params: { QueueName: 'q1', Attributes: { VisibilityTimeout: '30', Policy: '{"a":"<&>"}' }, tags: { team: 'core', empty: '' } },
      output: { QueueUrl: queueUrl },
    },
    {
      action: 'GetQueueUrl',
      params: { QueueName: 'q1', QueueOwnerAWSAccountId: '000000000000' },
      output: { QueueUrl: queueUrl },
    },
    {
      action: 'ListQueues',
      params: { QueueNamePrefix: 'q', MaxResults: 2, NextToken: 't0' },
      output: { QueueUrls: [queueUrl, otherUrl], NextToken: 't1' },
    },
    { action: 'DeleteQueue', params: { QueueUrl: queueUrl }, output: {} },
    { action: 'PurgeQueue', params: { QueueUrl: queueUrl }, output: {} },
    {
      action: 'GetQueueAttributes',
      params: { QueueUrl: queueUrl, AttributeNames: ['All', 'QueueArn'] },
      output: { Attributes: { ApproximateNumberOfMessages: '3', QueueArn: DESTINATION_ARN, Policy: '{"x":"<&>"}' } },
    },
    {
      action: 'SetQueueAttributes',
      params: { QueueUrl: queueUrl, Attributes: { DelaySeconds: '0', RedrivePolicy: `{"deadLetterTargetArn":"${SOURCE_ARN}","maxReceiveCount":"2"}` } },
      output: {},
    },
    {
      action: 'SendMessage',
      params: {
        QueueUrl: queueUrl,
        MessageBody: AWKWARD_TEXT,
        DelaySeconds: 0,
        MessageAttributes: {
          s: { DataType: 'String', StringValue: AWKWARD_TEXT },
          n: { DataType: 'Number.int', StringValue: '42' },
        },
        MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1-5759e988-bd862e3fe1be46a994272793' } },
        MessageDeduplicationId: 'dedup-1',
        MessageGroupId: 'group-1',
      },
      output: {
        MD5OfMessageBody: md5(AWKWARD_TEXT),
        MD5OfMessageAttributes: 'a0aa2cbc0bdb7f0f3a6c9f5e8d8b2f10',
        MD5OfMessageSystemAttributes: '5ae4d5d7636402d80f4eb6d213245a88',
        MessageId: 'm-1',
        SequenceNumber: '18849496460467696128',
      },
    },
    {
      action: 'SendMessageBatch',
      params: {
        QueueUrl: queueUrl,
        Entries: [
          { Id: 'a', MessageBody: 'first', DelaySeconds: 3, MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } },
          { Id: 'b', MessageBody: 'second', MessageGroupId: 'g', MessageDeduplicationId: 'd' },
        ],
      },
      output: {
        Successful: [{ Id: 'a', MessageId: 'm-a', MD5OfMessageBody: md5('first'), MD5OfMessageAttributes: '0123456789abcdef0123456789abcdef' }],
        Failed: [{ Id: 'b', SenderFault: true, Code: 'InvalidParameterValue', Message: 'The request include parameter that is not valid for this queue type.' }],
      },
    },
    {
      action: 'ReceiveMessage',
      params: {
        QueueUrl: queueUrl,
        AttributeNames: ['All'],
        MessageAttributeNames: ['All'],
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 0,
        WaitTimeSeconds: 20,
        ReceiveRequestAttemptId: 'attempt-1',
      },
      output: { Messages: receivedMessages(AWKWARD_TEXT, {}) },
      queryParsed: { Messages: receivedMessages(AWKWARD_TEXT, { StringListValues: [], BinaryListValues: [] }) },
    },
    { action: 'DeleteMessage', params: { QueueUrl: queueUrl, ReceiptHandle: 'rh+/=1' }, output: {} },
    {
      action: 'DeleteMessageBatch',
      params: { QueueUrl: queueUrl, Entries: [{ Id: 'a', ReceiptHandle: 'rh1' }, { Id: 'b', ReceiptHandle: 'rh2' }] },
      output: {
        Successful: [{ Id: 'a' }],
        Failed: [{ Id: 'b', SenderFault: true, Code: 'ReceiptHandleIsInvalid', Message: 'The input receipt handle "rh2" is not a valid receipt handle.' }],
      },
    },
    {
      action: 'ChangeMessageVisibility',
      params: { QueueUrl: queueUrl, ReceiptHandle: 'rh1', VisibilityTimeout: 0 },
      output: {},
    },
    {
      action: 'ChangeMessageVisibilityBatch',
      params: { QueueUrl: queueUrl, Entries: [{ Id: 'a', ReceiptHandle: 'rh1', VisibilityTimeout: 60 }, { Id: 'b', ReceiptHandle: 'rh2' }] },
      output: { Successful: [{ Id: 'a' }, { Id: 'b' }], Failed: [] },
      // SQS leaves an empty list out of a JSON answer; aws-sdk v2 adds it back from the XML.
      parsed: { Successful: [{ Id: 'a' }, { Id: 'b' }] },
      queryParsed: { Successful: [{ Id: 'a' }, { Id: 'b' }], Failed: [] },
    },
    {
      action: 'ListDeadLetterSourceQueues',
      params: { QueueUrl: queueUrl, MaxResults: 1, NextToken: 'n0' },
      output: { queueUrls: [otherUrl], NextToken: 'n1' },
    },
    { action: 'TagQueue', params: { QueueUrl: queueUrl, Tags: { team: 'core', 'cost-center': '<42>' } }, output: {} },
    { action: 'UntagQueue', params: { QueueUrl: queueUrl, TagKeys: ['team', 'cost-center'] }, output: {} },
    { action: 'ListQueueTags', params: { QueueUrl: queueUrl }, output: { Tags: { team: 'core', 'cost-center': '<42>' } } },
    {
      action: 'AddPermission',
      params: { QueueUrl: queueUrl, Label: 'l1', AWSAccountIds: ['111122223333', '444455556666'], Actions: ['SendMessage', 'ReceiveMessage'] },
      output: {},
    },
    { action: 'RemovePermission', params: { QueueUrl: queueUrl, Label: 'l1' }, output: {} },
    {
      action: 'StartMessageMoveTask',
      params: { SourceArn: SOURCE_ARN, DestinationArn: DESTINATION_ARN, MaxNumberOfMessagesPerSecond: 50 },
      output: { TaskHandle: 'task-1' },
    },
    {
      action: 'ListMessageMoveTasks',
      params: { SourceArn: SOURCE_ARN, MaxResults: 10 },
      output: {
        Results: [
          {
            TaskHandle: 'task-1',
            Status: 'RUNNING',
            SourceArn: SOURCE_ARN,
            DestinationArn: DESTINATION_ARN,
            MaxNumberOfMessagesPerSecond: 50,
            ApproximateNumberOfMessagesMoved: 1,
            ApproximateNumberOfMessagesToMove: 5,
            StartedTimestamp: 1_700_000_000_000,
          },
          { Status: 'FAILED', SourceArn: SOURCE_ARN, ApproximateNumberOfMessagesMoved: 0, FailureReason: 'AccessDenied', StartedTimestamp: 1_700_000_000_001 },
        ],
      },
    },
    { action: 'CancelMessageMoveTask', params: { TaskHandle: 'task-1' }, output: { ApproximateNumberOfMessagesMoved: 3 } },
  ];
}

/** Two received messages; `listDefaults` is what aws-sdk v2 adds to every attribute value. */
function receivedMessages(body: string, listDefaults: Record<string, unknown[]>): Record<string, unknown>[] {
  return [
    {
      MessageId: 'm-1',
      ReceiptHandle: 'rh+/=1',
      MD5OfBody: md5(body),
      Body: body,
      Attributes: { SenderId: 'AIDAEXAMPLE', ApproximateReceiveCount: '1', SentTimestamp: '1700000000000' },
      MD5OfMessageAttributes: '0123456789abcdef0123456789abcdef',
      MessageAttributes: { s: { DataType: 'String', StringValue: body, ...listDefaults } },
    },
    { MessageId: 'm-2', ReceiptHandle: 'rh2', MD5OfBody: md5('plain'), Body: 'plain' },
  ];
}
