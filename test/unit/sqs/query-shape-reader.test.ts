/**
 * Unflattening Query parameters, the cases SDKs never produce but hand-written clients do.
 */
import { describe, expect, it } from 'vitest';
import { ACTION_SHAPES } from '../../../server/src/sqs/action-shapes.js';
import { buildParamTree, readQueryStructure } from '../../../server/src/sqs/query-shape-reader.js';

function decode(action: keyof typeof ACTION_SHAPES, query: string): Record<string, unknown> {
  return readQueryStructure(ACTION_SHAPES[action].input, buildParamTree(new URLSearchParams(query)), '');
}

describe('Query parameter unflattening', () => {
  it('orders list items by their index, not by parameter order, and skips gaps', () => {
    expect(decode('GetQueueAttributes', 'QueueUrl=u&AttributeName.10=C&AttributeName.2=B&AttributeName.1=A')).toEqual({
      QueueUrl: 'u',
      AttributeNames: ['A', 'B', 'C'],
    });
  });

  it('builds batch entries with nested maps', () => {
    expect(
      decode(
        'SendMessageBatch',
        'QueueUrl=u&SendMessageBatchRequestEntry.1.Id=a&SendMessageBatchRequestEntry.1.MessageBody=x' +
          '&SendMessageBatchRequestEntry.1.MessageAttribute.1.Name=k&SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.DataType=String' +
          '&SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.StringValue=v&SendMessageBatchRequestEntry.1.DelaySeconds=7',
      ),
    ).toEqual({
      QueueUrl: 'u',
      Entries: [{ Id: 'a', MessageBody: 'x', DelaySeconds: 7, MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } }],
    });
  });

  it('decodes string list attribute values', () => {
    expect(
      decode(
        'SendMessage',
        'QueueUrl=u&MessageBody=b&MessageAttribute.1.Name=l&MessageAttribute.1.Value.DataType=String' +
          '&MessageAttribute.1.Value.StringListValue.2=two&MessageAttribute.1.Value.StringListValue.1=one',
      ),
    ).toEqual({ QueueUrl: 'u', MessageBody: 'b', MessageAttributes: { l: { DataType: 'String', StringListValues: ['one', 'two'] } } });
  });

  it('keeps a "__proto__" attribute name as data', () => {
    const input = decode('SetQueueAttributes', 'QueueUrl=u&Attribute.1.Name=__proto__&Attribute.1.Value=polluted');
    const attributes = input.Attributes as Record<string, string>;
    expect(Object.getPrototypeOf(attributes)).toBe(Object.prototype);
    expect(Object.keys(attributes)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps values with dots, equals signs and plus signs intact', () => {
    expect(decode('SendMessage', 'QueueUrl=u&MessageBody=a.b%3Dc%2Bd+e')).toEqual({ QueueUrl: 'u', MessageBody: 'a.b=c+d e' });
  });

  // The Query API reference's own examples send a single entry without an index
  // (`Attribute.Name=VisibilityTimeout&Attribute.Value=35`, `AttributeName=All`), and SQS serves them.
  it('reads an entry sent without an index as one more entry, ahead of the numbered ones', () => {
    expect(decode('ReceiveMessage', 'QueueUrl=u&AttributeName=All&MessageAttributeName.1=a')).toEqual({
      QueueUrl: 'u',
      AttributeNames: ['All'],
      MessageAttributeNames: ['a'],
    });
    expect(decode('GetQueueAttributes', 'QueueUrl=u&AttributeName=A&AttributeName.1=B')).toEqual({
      QueueUrl: 'u',
      AttributeNames: ['A', 'B'],
    });
    expect(decode('SetQueueAttributes', 'QueueUrl=u&Attribute.Name=VisibilityTimeout&Attribute.Value=35')).toEqual({
      QueueUrl: 'u',
      Attributes: { VisibilityTimeout: '35' },
    });
    expect(decode('TagQueue', 'QueueUrl=u&Tag.Key=k&Tag.Value=v&Tag.1.Key=k1&Tag.1.Value=v1')).toEqual({
      QueueUrl: 'u',
      Tags: { k: 'v', k1: 'v1' },
    });
    expect(
      decode(
        'SendMessage',
        'QueueUrl=u&MessageBody=b&MessageAttribute.Name=a&MessageAttribute.Value.DataType=String&MessageAttribute.Value.StringValue=v',
      ),
    ).toEqual({ QueueUrl: 'u', MessageBody: 'b', MessageAttributes: { a: { DataType: 'String', StringValue: 'v' } } });
    expect(decode('DeleteMessageBatch', 'QueueUrl=u&DeleteMessageBatchRequestEntry.Id=a&DeleteMessageBatchRequestEntry.ReceiptHandle=r')).toEqual({
      QueueUrl: 'u',
      Entries: [{ Id: 'a', ReceiptHandle: 'r' }],
    });
  });

  it('still asks for the value of an unindexed map entry', () => {
    expect(() => decode('SetQueueAttributes', 'QueueUrl=u&Attribute.Name=VisibilityTimeout')).toThrow(
      expect.objectContaining({ code: 'MissingParameter', message: 'The request must contain the parameter Attribute.Value.' }),
    );
  });

  it('leaves an absent required map to the engine as an empty one, since Query cannot tell them apart', () => {
    expect(decode('SetQueueAttributes', 'QueueUrl=u')).toEqual({ QueueUrl: 'u', Attributes: {} });
    expect(decode('TagQueue', 'QueueUrl=u')).toEqual({ QueueUrl: 'u', Tags: {} });
  });

  it('rejects an index that is not a positive integer', () => {
    expect(() => decode('GetQueueAttributes', 'QueueUrl=u&AttributeName.x=A')).toThrow(
      expect.objectContaining({ code: 'InvalidParameterValue' }),
    );
    expect(() => decode('GetQueueAttributes', 'QueueUrl=u&AttributeName.0=A')).toThrow(
      expect.objectContaining({ code: 'InvalidParameterValue' }),
    );
  });

  it('ignores parameters the action does not have', () => {
    expect(decode('DeleteQueue', 'QueueUrl=u&Version=2012-11-05&Signature=x&Expires=y')).toEqual({ QueueUrl: 'u' });
  });
});
