import { describe, expect, it } from 'vitest';
import type { RaftStatus } from '../../../server/src/cluster/raft/index.js';
import { activeTickMs, isQuietAlone } from '../../../server/src/cluster/tick-pace.js';

function status(overrides: Partial<RaftStatus> = {}, members: readonly string[] = ['n1']): RaftStatus {
  return {
    id: 'n1',
    role: 'leader',
    term: 1,
    leader: 'n1',
    votedFor: 'n1',
    commitIndex: 7,
    lastIndex: 7,
    lastTerm: 1,
    firstIndex: 1,
    persistedIndex: 7,
    peers: [],
    configuration: {
      index: 0,
      term: 0,
      configuration: { members: members.map((id) => ({ id, address: id, role: 'voter' as const })) },
      committed: true,
    },
    member: 'voter',
    ...overrides,
  } as RaftStatus;
}

const nothingWaiting = { proposals: 0, membershipChanges: 0 };

describe('tick pace', () => {
  it('ticks at a fifth of the heartbeat interval, within 5–20 ms', () => {
    expect(activeTickMs(100)).toBe(20);
    expect(activeTickMs(50)).toBe(10);
    expect(activeTickMs(10)).toBe(5);
    expect(activeTickMs(1000)).toBe(20);
  });

  it('calls a lone leader with nothing waiting quiet', () => {
    expect(isQuietAlone(status(), nothingWaiting)).toBe(true);
  });

  it('is not quiet while a write or a membership change waits', () => {
    expect(isQuietAlone(status(), { proposals: 1, membershipChanges: 0 })).toBe(false);
    expect(isQuietAlone(status(), { proposals: 0, membershipChanges: 1 })).toBe(false);
  });

  it('is not quiet while its own copy of an entry is not durable yet', () => {
    expect(isQuietAlone(status({ persistedIndex: 6 }), nothingWaiting)).toBe(false);
  });

  it('is never quiet in a cluster, with a learner, or before it leads', () => {
    expect(isQuietAlone(status({}, ['n1', 'n2', 'n3']), nothingWaiting)).toBe(false);
    const learner = { id: 'n2', role: 'learner', match: 0, next: 1, state: 'probe', recentActive: false } as const;
    expect(isQuietAlone(status({ peers: [learner] }), nothingWaiting)).toBe(false);
    expect(isQuietAlone(status({ role: 'follower', leader: undefined }), nothingWaiting)).toBe(false);
    expect(isQuietAlone(status({ role: 'candidate', leader: undefined }), nothingWaiting)).toBe(false);
    expect(isQuietAlone(status({}, []), nothingWaiting)).toBe(false);
    expect(isQuietAlone(status({}, ['n2']), nothingWaiting)).toBe(false);
  });
});
