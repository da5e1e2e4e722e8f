import { describe, expect, it } from 'vitest';
import { packTime, unpackTime } from '../../../server/src/engine/compact-time.js';
import { hasPackedKey, packedBody, packedKey, packedMd5, packMessage } from '../../../server/src/engine/message-packing.js';
import { StoredMessage } from '../../../server/src/engine/stored-message.js';

describe('compact times', () => {
  it('round-trip exactly, near the base and far from it, whole or not', () => {
    const now = 1_750_000_000_000;
    for (const at of [now, now + 1, now - 1, now + 2 ** 30 + 5, now - 2 ** 31, 0, -5, 12.5, now + 0.25, Number.MAX_SAFE_INTEGER]) {
      expect(unpackTime(packTime(at))).toBe(at);
    }
  });

  it('hold times near the base as small integers', () => {
    const base = unpackTime(packTime(1_750_000_000_000));
    expect(typeof packTime(base + 86_400_000)).toBe('number');
    expect(typeof packTime(base + 30 * 86_400_000)).toBe('object');
  });
});

describe('packed messages', () => {
  it('give back each part, whatever its length and characters', () => {
    for (const [key, md5, body] of [
      ['k'.repeat(16), 'm'.repeat(16), 'body'],
      ['a-custom-id', '0123456789abcdef0123456789abcdef', 'x'],
      ['\u00ff\u0000key', '\u0001md5', 'ünïcødé ✓ 😀'],
      ['', '', ''],
    ] as const) {
      const packed = packMessage(key, md5, body);
      expect(packedKey(packed)).toBe(key);
      expect(packedMd5(packed)).toBe(md5);
      expect(packedBody(packed)).toBe(body);
      expect(hasPackedKey(packed, key)).toBe(true);
      expect(hasPackedKey(packed, `${key}x`)).toBe(false);
    }
    expect(hasPackedKey(packMessage('abc', 'm', 'abcdef'), 'abcd')).toBe(false);
  });

  it('keep what a stored message answers', () => {
    const fields = {
      id: '30641a16-a6d2-422b-a2fb-5609f0937438',
      body: 'payload ✓',
      md5OfBody: '321c3cf486ed509164edec1e1981fec8',
      senderId: 'AIDAEXAMPLE',
      sentAt: 1_750_000_123_456,
      extras: undefined,
    };
    const message = new StoredMessage(fields);
    expect(message).toMatchObject({ id: fields.id, body: fields.body, md5OfBody: fields.md5OfBody, sentAt: fields.sentAt, retainedFrom: fields.sentAt });
    expect(message.key).toHaveLength(16);
    expect(message.hasKey(message.key)).toBe(true);
    const odd = new StoredMessage({ ...fields, id: 'not-a-uuid', md5OfBody: 'NOT-HEX' });
    expect(odd).toMatchObject({ id: 'not-a-uuid', md5OfBody: 'NOT-HEX', body: fields.body });
  });
});
