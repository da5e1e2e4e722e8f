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
});
