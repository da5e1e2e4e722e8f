import { describe, expect, it } from 'vitest';
import { waitFor } from '../../../client/src/clock.js';
import type { Clock } from '../../../client/src/clock.js';
import { isEnabled } from '../../../client/src/debug-log.js';
import { WaitTimeoutError } from '../../../client/src/errors.js';
import { LogTail } from '../../../client/src/log-tail.js';

function fakeClock(): Clock & { sleeps: number[] } {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

describe('waitFor', () => {
  it('returns the first defined result, polling at the interval', async () => {
    const clock = fakeClock();
    let calls = 0;
    const result = await waitFor('three calls', async () => (++calls === 3 ? 'done' : undefined), { timeoutMs: 1_000, intervalMs: 50, clock });
    expect(result).toBe('done');
    expect(clock.sleeps).toEqual([50, 50]);
  });

  it('names what it waited for and what it last saw when time is up', async () => {
    const clock = fakeClock();
    const waiting = waitFor('a leader', async () => undefined, { timeoutMs: 300, intervalMs: 100, clock }, () => 'n1: candidate');
    await expect(waiting).rejects.toThrow(WaitTimeoutError);
    await expect(waitFor('a leader', async () => undefined, { timeoutMs: 300, clock: fakeClock() }, () => 'n1: candidate')).rejects.toThrow(
      'timed out after 300 ms waiting for a leader; last seen: n1: candidate',
    );
  });
});

describe('debug namespaces', () => {
  it('follows the debug package syntax: wildcards, lists and exclusions', () => {
    expect(isEnabled('replimq:cluster', 'replimq*')).toBe(true);
    expect(isEnabled('replimq:cluster', 'replimq:container')).toBe(false);
    expect(isEnabled('replimq:cluster', 'other, replimq:*')).toBe(true);
    expect(isEnabled('replimq:cluster', 'replimq*,-replimq:cluster')).toBe(false);
    expect(isEnabled('replimq:cluster', '')).toBe(false);
  });
});

describe('LogTail', () => {
  it('joins chunks into lines and keeps only the last ones', () => {
    const tail = new LogTail(2);
    tail.write('one\ntw');
    tail.write('o\r\nthree\nfour');
    expect(tail.last(10)).toEqual(['two', 'three', 'four']);
    expect(tail.last(1)).toEqual(['four']);
  });
});
