/** Request ids: UUID-shaped like SQS's, distinct within a process and across restarts. */
import { describe, expect, it } from 'vitest';
import { requestIdSource } from '../../../server/src/sqs/request-ids.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('requestIdSource', () => {
  it('makes distinct UUID-shaped ids', () => {
    const next = requestIdSource();
    const ids = Array.from({ length: 1000 }, () => next());
    for (const id of ids) expect(id).toMatch(UUID);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('starts from a fresh random prefix in every source (a restarted process repeats no id)', () => {
    const first = requestIdSource()();
    const second = requestIdSource()();
    expect(first.slice(0, 24)).not.toBe(second.slice(0, 24));
  });

  it('counts in the last twelve hex digits after a prefix drawn once', () => {
    let draws = 0;
    const next = requestIdSource(() => `0f0f0f0f-1111-4222-8333-44444444444${draws++}`);
    expect([next(), next(), next()]).toEqual([
      '0f0f0f0f-1111-4222-8333-000000000000',
      '0f0f0f0f-1111-4222-8333-000000000001',
      '0f0f0f0f-1111-4222-8333-000000000002',
    ]);
    expect(draws).toBe(1);
  });
});
