import { describe, expect, it } from 'vitest';
import { payloadJson } from '../../../server/src/cluster/raft/index.js';

describe('payloadJson', () => {
  it('is the UTF-8 JSON of the payload, "null" for none', () => {
    expect(payloadJson({ a: 'é', n: 1 }).toString('utf8')).toBe('{"a":"é","n":1}');
    expect(payloadJson(null).toString('utf8')).toBe('null');
    expect(payloadJson(undefined).toString('utf8')).toBe('null');
  });

  it('encodes a payload object once and hands back the same bytes', () => {
    const payload = { body: 'hello' };
    expect(payloadJson(payload)).toBe(payloadJson(payload));
  });

  it('forgets the oldest encodings beyond its bound and still encodes them correctly', () => {
    const first = { body: 'first' };
    const encoded = payloadJson(first);
    for (let i = 0; i < 5000; i++) payloadJson({ i });
    const again = payloadJson(first);
    expect(again).not.toBe(encoded);
    expect(again.toString('utf8')).toBe('{"body":"first"}');
  });

  it('keeps the most recent encodings while it evicts, over many rounds of its bound', () => {
    const recent: { payload: object; bytes: Buffer }[] = [];
    for (let i = 0; i < 20_000; i++) {
      const payload = { i };
      recent.push({ payload, bytes: payloadJson(payload) });
      if (recent.length > 100) recent.shift();
    }
    // The last hundred are still cached: the very bytes encoded first come back.
    for (const { payload, bytes } of recent) {
      expect(payloadJson(payload)).toBe(bytes);
      expect(JSON.parse(bytes.toString('utf8'))).toEqual(payload);
    }
  });
});
