import { describe, expect, it } from 'vitest';
import { hexToLatin1, latin1ToHex } from '../../../server/src/engine/hex-bytes.js';
import { packMessageId, unpackMessageId } from '../../../server/src/engine/message-id.js';
import { queueNameFromArn, queueNameFromUrl } from '../../../server/src/engine/queue-address.js';
import { decodeReceiptHandle, encodeReceiptHandle } from '../../../server/src/engine/receipt-handle.js';

describe('compact encodings', () => {
  it('packs UUID message ids into 16 bytes and back', () => {
    const id = '0f8fad5b-d9cb-469f-a165-70867728950e';
    expect(packMessageId(id)).toHaveLength(16);
    expect(unpackMessageId(packMessageId(id))).toBe(id);
  });

  it.each([['ABCDEFAB-d9cb-469f-a165-70867728950e'], ['not-a-uuid'], ['sixteen-chars-ab'], ['x'], ['0f8fad5b-d9cb-469f-a165-70867728950g']])(
    'keeps the id %j as it is', (id) => {
      expect(unpackMessageId(packMessageId(id))).toBe(id);
    });

  it('converts hex and raw bytes both ways', () => {
    expect(latin1ToHex(hexToLatin1('00ff7f80') as string)).toBe('00ff7f80');
    expect(hexToLatin1('0g')).toBeUndefined();
    expect(hexToLatin1('abc')).toBeUndefined();
  });

  it('reads queue names from URLs and ARNs', () => {
    expect(queueNameFromUrl('http://localhost:9324/000000000000/orders')).toBe('orders');
    expect(queueNameFromUrl('http://localhost:9324/000000000000/orders/')).toBe('orders');
    expect(queueNameFromUrl('https://sqs.us-east-1.amazonaws.com/1/q.fifo?x=1')).toBe('q.fifo');
    expect(queueNameFromUrl('orders')).toBe('orders');
    expect(queueNameFromUrl('')).toBeUndefined();
    expect(queueNameFromUrl('http:')).toBeUndefined();
    expect(queueNameFromUrl('http://localhost:9324/1/q#part')).toBe('q');
    expect(queueNameFromUrl('http://localhost:9324/1/q?x=1#part')).toBe('q');
    // The last answer is kept: asking again, or something else in between, changes nothing.
    expect(queueNameFromUrl('http://localhost:9324/1/q#part')).toBe('q');
    expect(queueNameFromUrl('http://localhost:9324/1/q#part')).toBe('q');
    expect(queueNameFromUrl('')).toBeUndefined();
    expect(queueNameFromUrl('http://localhost:9324/1/other')).toBe('other');
    expect(queueNameFromArn('arn:aws:sqs:us-east-1:000000000000:dlq')).toBe('dlq');
    expect(queueNameFromArn('arn:aws:sns:us-east-1:000000000000:dlq')).toBeUndefined();
    expect(queueNameFromArn('dummy')).toBeUndefined();
  });

  it('round-trips receipt handles and rejects foreign ones', () => {
    const handle = encodeReceiptHandle('0f8fad5b-d9cb-469f-a165-70867728950e', 'abc123');
    expect(handle).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeReceiptHandle(handle)).toEqual({ messageId: '0f8fad5b-d9cb-469f-a165-70867728950e', nonce: 'abc123' });
    expect(decodeReceiptHandle('AQEBwOHJSwLgisMDyCK1AFH5FUd9')).toBeUndefined();
    expect(decodeReceiptHandle('a+b/c=')).toBeUndefined();
  });
});
