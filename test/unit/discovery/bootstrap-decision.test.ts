/**
 * The bootstrap rule of --discover/--bootstrap-expect (server/src/discovery/bootstrap-decision.ts),
 * decided without DNS or gRPC: what each kind of observation makes a node do, and a seeded
 * simulation in which nodes appear at different times, see partial and stale DNS answers, fail
 * to answer, and restart (keeping their record, as SQLite nodes do): a cluster never splits in
 * two, and every node of one deployment forms once DNS has shown it everyone.
 */
import { describe, expect, it } from 'vitest';
import {
  initialBootstrapState,
  stepBootstrap,
  type BootstrapState,
  type MemberAddress,
  type Observation,
} from '../../../server/src/discovery/bootstrap-decision.js';

const at = (id: string): MemberAddress => ({ host: `10.0.0.${id.slice(1)}`, port: 9326 });
const identified = (id: string, lock?: string[]): Observation => ({ kind: 'identified', id, address: at(id), lock });
const start = (id: string, expect = 3, lock?: readonly string[]): BootstrapState => initialBootstrapState(id, at(id), expect, lock);

describe('the bootstrap decision', () => {
  it('waits below the expected count and locks on exactly the expected members, itself included', () => {
    expect(stepBootstrap(start('n1'), [identified('n1'), identified('n2')]).decision).toMatchObject({ kind: 'wait', reason: expect.stringContaining('2 of 3') });
    const step = stepBootstrap(start('n1'), [identified('n2'), identified('n3')]);
    expect(step.decision).toEqual({ kind: 'lock', lock: ['n1', 'n2', 'n3'] });
    expect(step.state.lock).toEqual(['n1', 'n2', 'n3']);
  });

  it('does not lock while any address it resolved is unidentified, nor when it sees more members than expected', () => {
    const unknown: Observation = { kind: 'unidentified', address: { host: '10.0.0.9', port: 9326 }, reason: 'connection refused' };
    expect(stepBootstrap(start('n1'), [identified('n2'), identified('n3'), unknown]).decision.kind).toBe('wait');
    expect(stepBootstrap(start('n1'), [identified('n2'), identified('n3'), identified('n4')]).decision).toMatchObject({
      kind: 'wait',
      reason: expect.stringContaining('4 members found but --bootstrap-expect is 3'),
    });
  });

  it('refuses an id that answers at two addresses', () => {
    const twin: Observation = { kind: 'identified', id: 'n2', address: { host: '10.0.0.7', port: 9326 }, lock: undefined };
    expect(stepBootstrap(start('n1'), [identified('n2'), twin]).decision).toMatchObject({ kind: 'wait', reason: expect.stringContaining('two addresses') });
  });

  it('adopts the lock of a peer that names it, and never one that leaves it out', () => {
    expect(stepBootstrap(start('n1'), [identified('n2', ['n1', 'n2', 'n3'])]).decision).toEqual({ kind: 'lock', lock: ['n1', 'n2', 'n3'] });
    expect(stepBootstrap(start('n1'), [identified('n2', ['n2', 'n3', 'n4']), identified('n3')]).decision).toMatchObject({
      kind: 'wait',
      reason: expect.stringContaining('without this node'),
    });
    expect(stepBootstrap(start('n1'), [identified('n2', ['n1', 'n2', 'n3']), identified('n4', ['n1', 'n4', 'n5'])]).decision.kind).toBe('wait');
  });

  it('forms only once every member was seen locked on the same set, remembering who was', () => {
    const lock = ['n1', 'n2', 'n3'];
    let state = start('n1', 3, lock);
    let step = stepBootstrap(state, [identified('n2', lock), identified('n3')]);
    expect(step.decision).toMatchObject({ kind: 'wait', reason: expect.stringContaining('waiting for n3') });
    state = step.state;
    // n2 formed meanwhile: its gRPC port no longer identifies; what n1 saw of it stays true.
    step = stepBootstrap(state, [identified('n3', ['n1', 'n2', 'n3'])]);
    expect(step.decision).toEqual({ kind: 'form', members: lock.map((id) => ({ id, ...at(id) })) });
  });

  it('takes a member that answers as a formed cluster listing it as locked on its set, and ignores a lock on another set', () => {
    const lock = ['n1', 'n2', 'n3'];
    const formed: Observation = { kind: 'formed', id: 'n2', address: at('n2') };
    const stray = stepBootstrap(start('n1', 3, lock), [formed, identified('n3', ['n3', 'n4', 'n5'])]);
    expect(stray.decision.kind).toBe('wait');
    expect(stepBootstrap(stray.state, [identified('n3', lock)]).decision.kind).toBe('form');
  });

  it('keeps a lock it was restarted with, whatever DNS says now', () => {
    const step = stepBootstrap(start('n1', 3, ['n3', 'n1', 'n2']), [identified('n4'), identified('n5')]);
    expect(step.state.lock).toEqual(['n1', 'n2', 'n3']);
    expect(step.decision.kind).toBe('wait');
  });
});

/** mulberry32: a small seeded generator, so a failing schedule can be replayed by its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface SimNode {
  id: string;
  appearsAt: number;
  state: BootstrapState;
  /** What survives a restart (the bootstrap record of a SQLite node). */
  persistedLock: readonly string[] | undefined;
  formed: readonly string[] | undefined;
  downUntil: number;
}

/**
 * One schedule: `count` nodes behind the name, `expect` expected. Each round every live node sees
 * a random subset of the nodes that have appeared (DNS answers that are partial or stale), each
 * of which may fail to answer; formed nodes answer only the raft probe, and only to members of
 * their configuration. Nodes crash and restart with their record. Returns every formed set.
 */
function simulate(seed: number, count: number, expect: number, rounds: number, completeViewsAfter: number): { formed: string[][]; nodes: SimNode[] } {
  const rand = random(seed);
  const nodes: SimNode[] = Array.from({ length: count }, (_, i) => {
    const id = `n${i + 1}`;
    return { id, appearsAt: Math.floor(rand() * 20), state: start(id, expect), persistedLock: undefined, formed: undefined, downUntil: 0 };
  });
  for (let round = 0; round < rounds; round++) {
    const visible = nodes.filter((node) => node.appearsAt <= round);
    for (const node of visible) {
      if (node.formed || node.downUntil > round) continue;
      if (rand() < 0.03) {
        // Crash: everything but the record is lost.
        node.downUntil = round + 1 + Math.floor(rand() * 5);
        node.state = start(node.id, expect, node.persistedLock);
        continue;
      }
      const complete = round >= completeViewsAfter;
      const seen = visible.filter((other) => complete || other === node || rand() < 0.6);
      const observations: Observation[] = [];
      for (const other of seen) {
        const down = other.downUntil > round || (!complete && rand() < 0.2);
        if (down) {
          observations.push({ kind: 'unidentified', address: at(other.id), reason: 'down' });
        } else if (other.formed) {
          if (node.state.lock?.includes(other.id) && other.formed.includes(node.id)) observations.push({ kind: 'formed', id: other.id, address: at(other.id) });
          else observations.push({ kind: 'unidentified', address: at(other.id), reason: 'UNIMPLEMENTED' });
        } else {
          observations.push(identified(other.id, other.state.lock ? [...other.state.lock] : undefined));
        }
      }
      const step = stepBootstrap(node.state, observations);
      node.state = step.state;
      if (step.decision.kind === 'lock') node.persistedLock = step.decision.lock;
      if (step.decision.kind === 'form') node.formed = step.decision.members.map((member) => member.id);
    }
  }
  const formed = new Map<string, string[]>();
  for (const node of nodes) if (node.formed) formed.set(node.formed.join(','), [...node.formed]);
  return { formed: [...formed.values()], nodes };
}

describe('bootstrap under nodes that appear at different times (seeded)', () => {
  it('one deployment of N nodes forms exactly one cluster of all N, in every schedule', () => {
    let schedules = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const size = seed % 2 === 0 ? 3 : 5;
      const { formed, nodes } = simulate(seed, size, size, 200, 60);
      expect(formed, `seed ${seed}`).toHaveLength(1);
      expect(formed[0], `seed ${seed}`).toEqual(nodes.map((node) => node.id).sort());
      expect(nodes.every((node) => node.formed !== undefined), `seed ${seed}`).toBe(true);
      schedules++;
    }
    expect(schedules).toBe(400);
  });

  it('more nodes than expected behind the name never puts one node in two clusters, nor forms one larger or smaller than expected', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const { formed } = simulate(seed, 7, 3, 120, 1_000);
      for (const set of formed) expect(set, `seed ${seed}`).toHaveLength(3);
      const owners = new Map<string, string>();
      for (const set of formed) {
        for (const id of set) {
          expect(owners.get(id), `seed ${seed}: ${id} in {${owners.get(id)}} and {${set.join(',')}}`).toBeUndefined();
          owners.set(id, set.join(','));
        }
      }
    }
  });
});
