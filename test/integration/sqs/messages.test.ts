/**
 * SendMessage / ReceiveMessage / DeleteMessage per the API reference and developer guide:
 * MD5 digests (the SDKs verify some themselves; these tests recompute every one), message
 * attributes of every type including custom types and binary, the size limit, the allowed
 * characters, system attributes and attribute-name filtering on receive.
 */
import { expect, it } from 'vitest';
import type { MessageAttributeValue } from '@aws-sdk/client-sqs';
import { describeEachFlavour } from '../../support/conformance-target.js';
import {
  NON_EXISTENT_QUEUE,
  createQueue,
  eventuallySqsError,
  expectNothingVisible,
  expectSqsError,
  md5Hex,
  md5OfMessageAttributes,
  receiveOne,
} from '../../support/conformance-helpers.js';

const INVALID_PARAMETER = { code: 'InvalidParameterValue', status: 400 };
const INVALID_CONTENTS = { code: 'InvalidMessageContents', status: 400 };

/** Vectors published with the aws-md5-of-message-attributes package, checked against real SQS. */
const KNOWN_DIGESTS: [Record<string, MessageAttributeValue>, string][] = [
  [{ attribName1: { DataType: 'String', StringValue: 'attribValue 1' } }, '19e27d4e946b072f3f58da80d94fd778'],
  [
    { customNumberTypeAttrib: { DataType: 'Number.float', StringValue: '4563442423554324324264524243.32543234' } },
    '9fe1b90bbd9965bdf77bac517c7d2495',
  ],
  [
    { binaryAttribute: { DataType: 'Binary', BinaryValue: Buffer.from('Hello binary world!') } },
    '31a92b15d92f8db860eda32aceb656c3',
  ],
];

const EVERY_KIND_OF_ATTRIBUTE: Record<string, MessageAttributeValue> = {
  plain: { DataType: 'String', StringValue: 'hello wörld ✓' },
  count: { DataType: 'Number', StringValue: '-12.5e3' },
  blob: { DataType: 'Binary', BinaryValue: Uint8Array.from([0, 1, 2, 254, 255]) },
  'custom.string': { DataType: 'String.json', StringValue: '{"a":1}' },
  customNumber: { DataType: 'Number.int', StringValue: '42' },
  customBinary: { DataType: 'Binary.png', BinaryValue: Uint8Array.from([137, 80, 78, 71]) },
};

describeEachFlavour('send, receive, delete', (sqs) => {
  it('the local MD5-of-attributes encoder reproduces published vectors (guards the tests below)', () => {
    for (const [attributes, digest] of KNOWN_DIGESTS) expect(md5OfMessageAttributes(attributes)).toBe(digest);
  });

  it('sends and receives a body with its MessageId and MD5s', async () => {
    const url = await createQueue(sqs, 'basic');
    const body = 'Hello, 世界 🌍 <xml attr="&amp;"/> "json": true';
    const sent = await sqs.sendMessage({ QueueUrl: url, MessageBody: body });
    expect(sent.MessageId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(sent.MD5OfMessageBody).toBe(md5Hex(body));
    expect(sent.MD5OfMessageAttributes).toBeUndefined();

    const message = await receiveOne(sqs, url);
    expect(message).toMatchObject({ MessageId: sent.MessageId, Body: body, MD5OfBody: md5Hex(body) });
    expect(message.ReceiptHandle).toBeTruthy();
  });

  it('preserves the whole allowed character range (#x9 #xA #xD, #x20–#xD7FF, #xE000–#xFFFD, astral)', async () => {
    const url = await createQueue(sqs, 'charset');
    const body = '\t\n\r x\u007f\u0080\ud7ff\ue000\ufffd\u{10000}\u{10ffff} end';
    await sqs.sendMessage({ QueueUrl: url, MessageBody: body });
    const message = await receiveOne(sqs, url);
    expect(message.Body).toBe(body);
    expect(message.MD5OfBody).toBe(md5Hex(body));
  });

  it.each([
    ['NUL', '\u0000'],
    ['a control character (#x8)', 'a\u0008b'],
    ['#xFFFF', 'a\uffffb'],
  ])('rejects a body containing %s (InvalidMessageContents) and stores nothing', async (_case, body) => {
    const url = await createQueue(sqs, 'badchars');
    await expectSqsError(sqs.sendMessage({ QueueUrl: url, MessageBody: body }), INVALID_CONTENTS);
    await expectNothingVisible(sqs, url);
  });

  it('round-trips every attribute type, custom types and binary, with the documented MD5', async () => {
    const url = await createQueue(sqs, 'attrs');
    const sent = await sqs.sendMessage({ QueueUrl: url, MessageBody: 'x', MessageAttributes: EVERY_KIND_OF_ATTRIBUTE });
    expect(sent.MD5OfMessageAttributes).toBe(md5OfMessageAttributes(EVERY_KIND_OF_ATTRIBUTE));

    const message = await receiveOne(sqs, url, { MessageAttributeNames: ['All'] });
    expect(message.MD5OfMessageAttributes).toBe(md5OfMessageAttributes(EVERY_KIND_OF_ATTRIBUTE));
    const received = message.MessageAttributes ?? {};
    expect(Object.keys(received).sort()).toEqual(Object.keys(EVERY_KIND_OF_ATTRIBUTE).sort());
    for (const [name, expected] of Object.entries(EVERY_KIND_OF_ATTRIBUTE)) {
      expect(received[name]!.DataType).toBe(expected.DataType);
      if (expected.BinaryValue) {
        expect(Buffer.from(received[name]!.BinaryValue!)).toEqual(Buffer.from(expected.BinaryValue));
      } else {
        expect(received[name]!.StringValue).toBe(expected.StringValue);
      }
    }
  });

  it('answers the published MD5 for each reference attribute set', async () => {
    const url = await createQueue(sqs, 'vectors');
    for (const [attributes, digest] of KNOWN_DIGESTS) {
      const sent = await sqs.sendMessage({ QueueUrl: url, MessageBody: 'v', MessageAttributes: attributes });
      expect(sent.MD5OfMessageAttributes).toBe(digest);
    }
  });

  it('returns only the message attributes asked for: none by default, names, prefixes with .*', async () => {
    const url = await createQueue(sqs, 'filter', { VisibilityTimeout: '0' });
    const attributes: Record<string, MessageAttributeValue> = {
      'order.id': { DataType: 'String', StringValue: '1' },
      'order.total': { DataType: 'Number', StringValue: '9' },
      customer: { DataType: 'String', StringValue: 'c' },
    };
    await sqs.sendMessage({ QueueUrl: url, MessageBody: 'x', MessageAttributes: attributes });

    const none = await receiveOne(sqs, url);
    expect(none.MessageAttributes).toBeUndefined();

    const named = await receiveOne(sqs, url, { MessageAttributeNames: ['customer'] });
    expect(Object.keys(named.MessageAttributes ?? {})).toEqual(['customer']);
    expect(named.MD5OfMessageAttributes).toBe(md5OfMessageAttributes({ customer: attributes['customer']! }));

    const prefixed = await receiveOne(sqs, url, { MessageAttributeNames: ['order.*'] });
    expect(Object.keys(prefixed.MessageAttributes ?? {}).sort()).toEqual(['order.id', 'order.total']);

    const all = await receiveOne(sqs, url, { MessageAttributeNames: ['.*'] });
    expect(Object.keys(all.MessageAttributes ?? {}).sort()).toEqual(['customer', 'order.id', 'order.total']);
  });

  it.each<[string, Record<string, MessageAttributeValue>]>([
    ['a name starting with AWS.', { 'AWS.reserved': { DataType: 'String', StringValue: 'v' } }],
    ['a name starting with Amazon.', { 'amazon.reserved': { DataType: 'String', StringValue: 'v' } }],
    ['a name with a space', { 'bad name': { DataType: 'String', StringValue: 'v' } }],
    ['a name starting with a period', { '.lead': { DataType: 'String', StringValue: 'v' } }],
    ['a name ending with a period', { 'trail.': { DataType: 'String', StringValue: 'v' } }],
    ['two consecutive periods', { 'a..b': { DataType: 'String', StringValue: 'v' } }],
    ['a name of 257 characters', { ['n'.repeat(257)]: { DataType: 'String', StringValue: 'v' } }],
    ['an unknown data type', { kind: { DataType: 'Integer', StringValue: '1' } }],
    ['a Number that is not a number', { n: { DataType: 'Number', StringValue: 'twelve' } }],
    ['an empty String value', { s: { DataType: 'String', StringValue: '' } }],
    ['a String without a value', { s: { DataType: 'String' } }],
    ['a Binary without a value', { b: { DataType: 'Binary' } }],
    [
      '11 attributes',
      Object.fromEntries(
        Array.from({ length: 11 }, (_, i) => [`a${i}`, { DataType: 'String', StringValue: 'v' } as MessageAttributeValue]),
      ),
    ],
  ])('rejects message attributes with %s (InvalidParameterValue)', async (_case, attributes) => {
    const url = await createQueue(sqs, 'badattrs');
    await expectSqsError(sqs.sendMessage({ QueueUrl: url, MessageBody: 'x', MessageAttributes: attributes }), INVALID_PARAMETER);
    await expectNothingVisible(sqs, url);
  });

  it('accepts exactly 10 message attributes', async () => {
    const url = await createQueue(sqs, 'tenattrs');
    const attributes = Object.fromEntries(
      Array.from({ length: 10 }, (_, i) => [`a${i}`, { DataType: 'String', StringValue: `v${i}` } as MessageAttributeValue]),
    );
    const sent = await sqs.sendMessage({ QueueUrl: url, MessageBody: 'x', MessageAttributes: attributes });
    expect(sent.MD5OfMessageAttributes).toBe(md5OfMessageAttributes(attributes));
  });

  it('enforces MaximumMessageSize on body plus attributes', async () => {
    const url = await createQueue(sqs, 'small', { MaximumMessageSize: '1024' });
    await sqs.sendMessage({ QueueUrl: url, MessageBody: 'a'.repeat(1024) });
    await expectSqsError(sqs.sendMessage({ QueueUrl: url, MessageBody: 'a'.repeat(1025) }), INVALID_PARAMETER);
    // multi-byte characters count in UTF-8 bytes: 342 × 3 bytes = 1026
    await expectSqsError(sqs.sendMessage({ QueueUrl: url, MessageBody: '€'.repeat(342) }), INVALID_PARAMETER);
    await expectSqsError(
      sqs.sendMessage({
        QueueUrl: url,
        MessageBody: 'a'.repeat(1000),
        MessageAttributes: { attribute: { DataType: 'String', StringValue: 'b'.repeat(100) } },
      }),
      INVALID_PARAMETER,
    );
  });

  it('accepts a body of the default maximum (1 MiB) and rejects one byte more', async () => {
    const url = await createQueue(sqs, 'large');
    const body = 'x'.repeat(1_048_576);
    const sent = await sqs.sendMessage({ QueueUrl: url, MessageBody: body });
    expect(sent.MD5OfMessageBody).toBe(md5Hex(body));
    await expectSqsError(sqs.sendMessage({ QueueUrl: url, MessageBody: `${body}x` }), INVALID_PARAMETER);
    const message = await receiveOne(sqs, url);
    expect(message.Body).toHaveLength(1_048_576);
  });

  it('answers the system attributes asked for: SenderId, SentTimestamp, receive count and first receive', async () => {
    const before = Date.now() - 60_000;
    const url = await createQueue(sqs, 'sysattrs', { VisibilityTimeout: '0' });
    await sqs.sendMessage({ QueueUrl: url, MessageBody: 'x' });

    const first = await receiveOne(sqs, url, { MessageSystemAttributeNames: ['All'] });
    const attributes = first.Attributes ?? {};
    expect(attributes['SenderId']).toMatch(/\S/);
    expect(attributes['ApproximateReceiveCount']).toBe('1');
    for (const stamp of ['SentTimestamp', 'ApproximateFirstReceiveTimestamp'] as const) {
      expect(attributes[stamp]).toMatch(/^\d{13}$/); // epoch milliseconds
      expect(Number(attributes[stamp])).toBeGreaterThan(before);
    }
    expect(Number(attributes['ApproximateFirstReceiveTimestamp'])).toBeGreaterThanOrEqual(
      Number(attributes['SentTimestamp']),
    );
    expect(attributes).not.toHaveProperty('AWSTraceHeader');
    expect(attributes).not.toHaveProperty('MessageGroupId');

    const second = await receiveOne(sqs, url, { MessageSystemAttributeNames: ['All'] });
    expect(second.Attributes?.['ApproximateReceiveCount']).toBe('2');
    expect(second.Attributes?.['ApproximateFirstReceiveTimestamp']).toBe(attributes['ApproximateFirstReceiveTimestamp']);
    expect(second.Attributes?.['SentTimestamp']).toBe(attributes['SentTimestamp']);
  });

  it('filters system attributes by name and answers none when none are asked for', async () => {
    const url = await createQueue(sqs, 'sysfilter', { VisibilityTimeout: '0' });
    await sqs.sendMessage({ QueueUrl: url, MessageBody: 'x' });
    const filtered = await receiveOne(sqs, url, {
      MessageSystemAttributeNames: ['SentTimestamp', 'ApproximateReceiveCount'],
    });
    expect(Object.keys(filtered.Attributes ?? {}).sort()).toEqual(['ApproximateReceiveCount', 'SentTimestamp']);
    const plain = await receiveOne(sqs, url);
    expect(plain.Attributes ?? {}).toEqual({});
  });

  it('carries AWSTraceHeader as a system attribute with its own MD5', async () => {
    const url = await createQueue(sqs, 'trace');
    const trace = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
    const systemAttributes = { AWSTraceHeader: { DataType: 'String', StringValue: trace } };
    const sent = await sqs.sendMessage({ QueueUrl: url, MessageBody: 'x', MessageSystemAttributes: systemAttributes });
    expect(sent.MD5OfMessageSystemAttributes).toBe(md5OfMessageAttributes(systemAttributes));
    expect(sent.MD5OfMessageAttributes).toBeUndefined();

    const message = await receiveOne(sqs, url, { MessageSystemAttributeNames: ['AWSTraceHeader'] });
    expect(message.Attributes).toEqual({ AWSTraceHeader: trace });
    expect(message.MessageAttributes).toBeUndefined();
  });

  it('deletes a received message so that it is never delivered again', async () => {
    const url = await createQueue(sqs, 'delete', { VisibilityTimeout: '0' });
    await sqs.sendMessage({ QueueUrl: url, MessageBody: 'x' });
    const message = await receiveOne(sqs, url);
    await sqs.deleteMessage({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle });
    await expectNothingVisible(sqs, url);
  });

  it('deleting an already-deleted message with its old receipt handle succeeds', async () => {
    const url = await createQueue(sqs, 'deletetwice');
    await sqs.sendMessage({ QueueUrl: url, MessageBody: 'x' });
    const message = await receiveOne(sqs, url);
    await sqs.deleteMessage({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle });
    await sqs.deleteMessage({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle });
  });

  it('rejects a malformed receipt handle (ReceiptHandleIsInvalid)', async () => {
    const url = await createQueue(sqs, 'badhandle');
    await expectSqsError(sqs.deleteMessage({ QueueUrl: url, ReceiptHandle: 'not-a-receipt-handle' }), {
      code: 'ReceiptHandleIsInvalid',
      status: 404,
    });
  });

  it('sending to an unknown queue fails with NonExistentQueue', async () => {
    const url = await createQueue(sqs, 'sendgone');
    await sqs.deleteQueue({ QueueUrl: url });
    await eventuallySqsError(() => sqs.sendMessage({ QueueUrl: url, MessageBody: 'x' }), NON_EXISTENT_QUEUE);
  });

  it.each([-1, 901])('rejects a per-message DelaySeconds of %i (InvalidParameterValue)', async (delay) => {
    const url = await createQueue(sqs, 'baddelay');
    await expectSqsError(sqs.sendMessage({ QueueUrl: url, MessageBody: 'x', DelaySeconds: delay }), INVALID_PARAMETER);
  });

  it('a standard queue accepts a MessageGroupId (fair queues)', async () => {
    const url = await createQueue(sqs, 'fair');
    const { MessageId } = await sqs.sendMessage({ QueueUrl: url, MessageBody: 'tenant work', MessageGroupId: 'tenant-1' });
    expect((await receiveOne(sqs, url)).MessageId).toBe(MessageId);
  });

  it('the deprecated AttributeNames still selects system attributes', async () => {
    const url = await createQueue(sqs, 'legacynames');
    await sqs.sendMessage({ QueueUrl: url, MessageBody: 'x' });
    const message = await receiveOne(sqs, url, { AttributeNames: ['SentTimestamp'] });
    expect(Object.keys(message.Attributes ?? {})).toEqual(['SentTimestamp']);
  });
});
