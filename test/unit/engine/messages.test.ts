import { describe, expect, it } from 'vitest';
import type { MessageAttributeValue } from '../../../server/src/engine/actions.js';
import { Harness, expectRejectedUnchanged } from './harness.js';

const string = (value: string): MessageAttributeValue => ({ DataType: 'String', StringValue: value });

function setUp(attributes?: Record<string, string>): Harness {
  const h = new Harness();
  h.createQueue('q', attributes);
  return h;
}

describe('message contents', () => {
  // The text of a real SQS answer (quoted in asim/nitro-plugins#437), naming the first bad character.
  it.each([['\u0000', '#x0'], ['a\u0008b', '#x8'], ['\uFFFE', '#xFFFE'], ['\uD800', '#xD800'], ['x\uDC00', '#xDC00']])('rejects the body %j', (body, named) => {
    const h = setUp();
    const error = expectRejectedUnchanged(h, () => h.send('q', body), 'InvalidMessageContents');
    expect(error.message).toBe(`Invalid binary character '${named}' was found in the message body, the set of allowed characters is #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].`);
  });

  it('accepts tabs, newlines, BMP text and astral characters', () => {
    const h = setUp();
    h.send('q', 'tab\tnl\ncr\r é 中 \uD83D\uDE00 \uE000 \uFFFD');
    expect(h.receive('q')[0]?.Body).toBe('tab\tnl\ncr\r é 中 \uD83D\uDE00 \uE000 \uFFFD');
  });

  it('rejects an empty body', () => {
    const h = setUp();
    expectRejectedUnchanged(h, () => h.send('q', ''), 'MissingParameter');
  });

  it('limits body plus attributes to MaximumMessageSize', () => {
    const h = setUp({ MaximumMessageSize: '1024' });
    h.send('q', 'x'.repeat(1024));
    const error = expectRejectedUnchanged(h, () => h.send('q', 'x'.repeat(1025)), 'InvalidParameterValue');
    expect(error.message).toBe('One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.');
    // name (1) + type (6) + value (1) = 8 bytes of attributes
    h.send('q', 'x'.repeat(1016), { MessageAttributes: { a: string('b') } });
    expectRejectedUnchanged(h, () => h.send('q', 'x'.repeat(1017), { MessageAttributes: { a: string('b') } }), 'InvalidParameterValue');
    expectRejectedUnchanged(h, () => h.send('q', 'é'.repeat(513)), 'InvalidParameterValue');
    // AWSTraceHeader does not count towards the size.
    h.send('q', 'x'.repeat(1024), { MessageSystemAttributes: { AWSTraceHeader: string('Root=1-abc') } });
  });

  it('accepts up to 10 message attributes', () => {
    const h = setUp();
    const attributes = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`a${i}`, string('v')]));
    h.send('q', 'x', { MessageAttributes: attributes(10) });
    const error = expectRejectedUnchanged(h, () => h.send('q', 'x', { MessageAttributes: attributes(11) }), 'InvalidParameterValue');
    expect(error.message).toBe('Number of message attributes [11] exceeds the allowed maximum [10].');
  });

  // The names real SQS took and refused in LocalStack's AWS-validated
  // test_send_message_with_invalid_string_attributes.
  it('accepts accented Latin letters in attribute names, as recorded SQS does', () => {
    const h = setUp();
    h.send('q', 'x', { MessageAttributes: { 'attr.1øßä': string('Valida') } });
    expect(h.receive('q', { MessageAttributeNames: ['All'] })[0]?.MessageAttributes).toEqual({ 'attr.1øßä': string('Valida') });
  });

  it.each([['AWS.x'], ['aWs.-Invalid-attr'], ['AMAZON.-Invalid-attr'], ['amazon.x'], ['.lead'], ['trail.'], ['dou..ble'], ['sp ace'], ['a'.repeat(257)],
    ['Invalid-!-attr'], ['Invalid-"-attr'], ['Invalid-§-attr'], ['Invalid-(-attr'], ['Invalid-?-attr'], ['Invalid-×-attr']])(
    'rejects the attribute name %j', (name) => {
      const h = setUp();
      expectRejectedUnchanged(h, () => h.send('q', 'x', { MessageAttributes: { [name]: string('v') } }), 'InvalidParameterValue');
    });

  it.each<[string, MessageAttributeValue]>([
    ['no type', { DataType: '', StringValue: 'v' }],
    ['unknown type', { DataType: 'Text', StringValue: 'v' }],
    ['empty string', { DataType: 'String', StringValue: '' }],
    ['missing string', { DataType: 'String' }],
    ['bad number', { DataType: 'Number', StringValue: '12abc' }],
    ['too many digits', { DataType: 'Number', StringValue: '1'.repeat(39) }],
    ['missing binary', { DataType: 'Binary' }],
    ['bad characters', { DataType: 'String', StringValue: '\u0001' }],
  ])('rejects an attribute with %s', (_label, value) => {
    const h = setUp();
    expectRejectedUnchanged(h, () => h.send('q', 'x', { MessageAttributes: { a: value } }), 'InvalidParameterValue');
  });

  // Recorded from real SQS: list values are refused as UnsupportedOperation (yavosh/pail
  // test/diff golden sqs-edge-cases); the message is the one boto3 users report.
  it.each<[string, MessageAttributeValue]>([
    ['string list', { DataType: 'String', StringListValues: ['v'] }],
    ['binary list', { DataType: 'Binary', BinaryListValues: ['AQID'] }],
    ['string list beside a value', { DataType: 'String', StringValue: 'v', StringListValues: ['w'] }],
  ])('refuses an attribute with a %s as UnsupportedOperation', (_label, value) => {
    const h = setUp();
    const error = expectRejectedUnchanged(h, () => h.send('q', 'x', { MessageAttributes: { a: value } }), 'UnsupportedOperation');
    expect(error.message).toBe('Message attribute list values in SendMessage operation are not supported.');
  });

  it('reports the SQS message for an empty string attribute', () => {
    const h = setUp();
    const error = expectRejectedUnchanged(h, () => h.send('q', 'x', { MessageAttributes: { ErrorDetails: string('') } }), 'InvalidParameterValue');
    expect(error.message).toBe("Message (user) attribute 'ErrorDetails' must contain a non-empty value of type 'String'.");
  });

  it('accepts custom types and returns attributes as sent', () => {
    const h = setUp();
    const attributes: Record<string, MessageAttributeValue> = {
      s: { DataType: 'String.custom', StringValue: 'v' },
      n: { DataType: 'Number.float', StringValue: '-1.5e3' },
      b: { DataType: 'Binary.gif', BinaryValue: Buffer.from([0, 1, 2]).toString('base64') },
    };
    h.send('q', 'x', { MessageAttributes: attributes });
    expect(h.receive('q', { MessageAttributeNames: ['All'] })[0]?.MessageAttributes).toEqual(attributes);
  });

  it('accepts MessageGroupId on standard queues (fair queues) and reports it', () => {
    const h = setUp();
    h.send('q', 'x', { MessageGroupId: 'tenant-1' });
    expect(h.receive('q', { MessageSystemAttributeNames: ['MessageGroupId'] })[0]?.Attributes).toEqual({ MessageGroupId: 'tenant-1' });
  });

  it('rejects FIFO-only parameters on standard queues', () => {
    const h = setUp();
    expectRejectedUnchanged(h, () => h.send('q', 'x', { MessageDeduplicationId: 'd' }), 'InvalidParameterValue');
  });

  // What SQS cannot carry in a body it cannot carry here either (and XML answers could not hold
  // it). In an attribute it is a bad parameter (recorded SQS answers InvalidParameterValue for a
  // String value with control characters); InvalidMessageContents is the body's error.
  it('rejects characters outside the allowed set in attribute values, types and AWSTraceHeader', () => {
    const h = setUp();
    const value = expectRejectedUnchanged(h, () => h.send('q', 'x', { MessageAttributes: { attr1: string('Invalid-\u0008,\u000b') } }), 'InvalidParameterValue');
    expect(value.message).toBe("Invalid binary character '#x8' was found in the value of message (user) attribute 'attr1', the set of allowed characters is #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].");
    expectRejectedUnchanged(h, () => h.send('q', 'x', { MessageAttributes: { a: { DataType: 'String.\u0001', StringValue: 'v' } } }), 'InvalidParameterValue');
    expectRejectedUnchanged(h, () => h.send('q', 'x', { MessageSystemAttributes: { AWSTraceHeader: string('Root=\u0000') } }), 'InvalidParameterValue');
  });

  it('accepts only AWSTraceHeader as a system attribute', () => {
    const h = setUp();
    expectRejectedUnchanged(h, () => h.send('q', 'x', { MessageSystemAttributes: { Other: string('v') } }), 'InvalidParameterValue');
    expectRejectedUnchanged(h, () => h.send('q', 'x', { MessageSystemAttributes: { AWSTraceHeader: { DataType: 'Binary', BinaryValue: 'AA==' } } }), 'InvalidParameterValue');
  });
});
