/**
 * The fresh-start wait on its own: when it begins and ends, when probes are due, and which logs
 * end it early (every other voter's empty, and this node's own).
 */
import { describe, expect, it } from 'vitest';
import { FreshStartWait } from '../../../server/src/cluster/raft/fresh-start-wait.js';

const OTHERS = ['n2', 'n3'];

describe('FreshStartWait', () => {
  it('waits from before the first tick until the delay after it; no wait when inactive', () => {
    const wait = new FreshStartWait(true);
    expect(wait.waiting(0)).toBe(true);
    wait.start(100, 500);
    expect(wait.waiting(599)).toBe(true);
    expect(wait.waiting(600)).toBe(false);
    expect(wait.endsAt).toBe(600);
    expect(new FreshStartWait(false).waiting(0)).toBe(false);
  });

  it('ends once every other voter showed an empty log, not before', () => {
    const wait = new FreshStartWait(true);
    wait.start(0, 10_000);
    expect(wait.sawLog('n2', 0, 0, OTHERS)).toBe(false);
    expect(wait.sawLog('n2', 0, 0, OTHERS)).toBe(false);
    expect(wait.sawLog('n3', 0, 0, OTHERS)).toBe(true);
    expect(wait.waiting(1)).toBe(false);
    expect(wait.sawLog('n3', 0, 0, OTHERS)).toBe(false); // over already
  });

  it('a voter seen with entries since is no longer counted empty', () => {
    const wait = new FreshStartWait(true);
    wait.start(0, 10_000);
    wait.sawLog('n2', 0, 0, OTHERS);
    wait.sawLog('n2', 3, 0, OTHERS);
    expect(wait.sawLog('n3', 0, 0, OTHERS)).toBe(false);
    expect(wait.waiting(1)).toBe(true);
  });

  it('never ends early when this node holds entries, before the first tick, or with no other voter', () => {
    const own = new FreshStartWait(true);
    own.start(0, 10_000);
    own.sawLog('n2', 0, 5, OTHERS);
    expect(own.sawLog('n3', 0, 5, OTHERS)).toBe(false);
    const early = new FreshStartWait(true);
    early.sawLog('n2', 0, 0, OTHERS);
    expect(early.sawLog('n3', 0, 0, OTHERS)).toBe(false);
    early.start(0, 10_000);
    // Seen before the first tick still counts once the wait has begun.
    expect(early.sawLog('n3', 0, 0, OTHERS)).toBe(true);
    const alone = new FreshStartWait(true);
    alone.start(0, 10_000);
    expect(alone.sawLog('n2', 0, 0, [])).toBe(false);
  });

  it('hearing from a leader ends it; probes are due once per interval', () => {
    const wait = new FreshStartWait(true);
    wait.start(0, 10_000);
    expect(wait.probeDue(0, 100)).toBe(true);
    expect(wait.probeDue(99, 100)).toBe(false);
    expect(wait.probeDue(100, 100)).toBe(true);
    wait.end();
    expect(wait.waiting(101)).toBe(false);
  });
});
