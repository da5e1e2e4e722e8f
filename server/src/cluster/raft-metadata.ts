/**
 * The raft state a node keeps next to its records, in the storage's metadata: term and vote
 * (the hard state), the (index, term) of the last entry whose changes are stored, which is
 * where the log restarts after a restart, and the cluster configuration in use at that point
 * (written in the same transaction as the state it belongs to). A node that stored a
 * configuration comes back with it, whatever `--peers` says: the flag only bootstraps.
 */
import { APPLIED_INDEX_META, type Storage } from '../storage/storage.js';
import type { ConfigurationAt, HardState, LogPosition, RestoredState } from './raft/index.js';

const TERM_META = 'raftTerm';
const VOTED_FOR_META = 'raftVotedFor';
const APPLIED_TERM_META = 'appliedTerm';
/** JSON of the `ConfigurationAt` in use; absent until the first membership change. */
const CONFIGURATION_META = 'raftConfiguration';

export function restoredState(storage: Storage): RestoredState {
  const number = (key: string): number => Number(storage.getMeta(key) ?? 0) || 0;
  const votedFor = storage.getMeta(VOTED_FOR_META);
  const configuration = storedConfiguration(storage);
  return {
    term: number(TERM_META),
    votedFor: votedFor ? votedFor : null,
    snapshot: { index: number(APPLIED_INDEX_META), term: number(APPLIED_TERM_META) },
    ...(configuration ? { configuration } : {}),
  };
}

/** The configuration this node stored, if it ever took part in a membership change. */
export function storedConfiguration(storage: Storage): ConfigurationAt | undefined {
  const text = storage.getMeta(CONFIGURATION_META);
  if (!text) return undefined;
  const parsed = JSON.parse(text) as ConfigurationAt;
  if (!Array.isArray(parsed.configuration?.members)) throw new Error(`stored ${CONFIGURATION_META} is not a configuration: ${text}`);
  return parsed;
}

export function configurationMeta(at: ConfigurationAt): Record<string, string> {
  return { [CONFIGURATION_META]: JSON.stringify(at) };
}

export function hardStateMeta(state: HardState): Record<string, string> {
  return { [TERM_META]: String(state.term), [VOTED_FOR_META]: state.votedFor ?? '' };
}

export function appliedMeta(position: LogPosition): Record<string, string> {
  return { [APPLIED_INDEX_META]: String(position.index), [APPLIED_TERM_META]: String(position.term) };
}
