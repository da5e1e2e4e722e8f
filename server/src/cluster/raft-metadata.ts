/**
 * The raft state a node keeps next to its records, in the storage's metadata: term and vote
 * (the hard state), and the (index, term) of the last entry whose changes are stored, which is
 * where the log restarts after a restart.
 */
import { APPLIED_INDEX_META, type Storage } from '../storage/storage.js';
import type { HardState, LogPosition, RestoredState } from './raft/index.js';

const TERM_META = 'raftTerm';
const VOTED_FOR_META = 'raftVotedFor';
const APPLIED_TERM_META = 'appliedTerm';

export function restoredState(storage: Storage): RestoredState {
  const number = (key: string): number => Number(storage.getMeta(key) ?? 0) || 0;
  const votedFor = storage.getMeta(VOTED_FOR_META);
  return {
    term: number(TERM_META),
    votedFor: votedFor ? votedFor : null,
    snapshot: { index: number(APPLIED_INDEX_META), term: number(APPLIED_TERM_META) },
  };
}

export function hardStateMeta(state: HardState): Record<string, string> {
  return { [TERM_META]: String(state.term), [VOTED_FOR_META]: state.votedFor ?? '' };
}

export function appliedMeta(position: LogPosition): Record<string, string> {
  return { [APPLIED_INDEX_META]: String(position.index), [APPLIED_TERM_META]: String(position.term) };
}
