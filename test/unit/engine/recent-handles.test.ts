import { describe, expect, it } from 'vitest';
import { RecentHandles } from '../../../server/src/engine/recent-handles.js';
import { decodeReceiptHandle, encodeReceiptHandle } from '../../../server/src/engine/receipt-handle.js';

/** The handle format read from scratch, as a client's old handle is. */
function decodedFromText(handle: string): { messageId: string; nonce: string } | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(handle)) return undefined;
  const text = Buffer.from(handle, 'base64url').toString('utf8');
  const colon = text.lastIndexOf(':');
  if (!text.startsWith('r1:') || colon <= 3 || colon === text.length - 1) return undefined;
  return { messageId: text.slice(3, colon), nonce: text.slice(colon + 1) };
}

describe('recent receipt handles', () => {
  it('keeps between one and two generations of handles', () => {
    const recent = new RecentHandles<number>(2);
    for (let i = 0; i < 5; i++) recent.remember(`h${i}`, i);
    // h4 started the third generation: h2 and h3 are the previous one, h0 and h1 are gone.
    expect([0, 1, 2, 3, 4].map((i) => recent.recall(`h${i}`))).toEqual([undefined, undefined, 2, 3, 4]);
  });

  it.each([
    ['0f8fad5b-d9cb-469f-a165-70867728950e', '0123456789abcdef0123456789abcdef'],
    ['an:id:with:colons', 'abc'],
    ['ünïcode-id', 'abc'],
    ['lone-\ud800-surrogate', 'abc'],
    ['id', ''],
    ['', 'nonce'],
    ['x'.repeat(800), 'abc'],
  ])('decodes the handle of %j / %j as the handle text says', (messageId, nonce) => {
    const handle = encodeReceiptHandle(messageId, nonce);
    expect(decodeReceiptHandle(handle)).toEqual(handle.length > 1024 ? undefined : decodedFromText(handle));
  });

  it('decodes handles that aged out, and handles from before this process, alike', () => {
    const old = encodeReceiptHandle('0f8fad5b-d9cb-469f-a165-70867728950e', 'ffff');
    for (let i = 0; i < 2000; i++) encodeReceiptHandle(`m-${i}`, 'abcd');
    expect(decodeReceiptHandle(old)).toEqual({ messageId: '0f8fad5b-d9cb-469f-a165-70867728950e', nonce: 'ffff' });
    const foreign = Buffer.from('r1:11111111-2222-4333-8444-555555555555:beef').toString('base64url');
    expect(decodeReceiptHandle(foreign)).toEqual({ messageId: '11111111-2222-4333-8444-555555555555', nonce: 'beef' });
    expect(decodeReceiptHandle('not a handle')).toBeUndefined();
  });
});
