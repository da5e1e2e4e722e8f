/**
 * What every role of a node shares: term and vote, the log, the commit and durability cursors,
 * the clock as last ticked, and the output of the step in progress. `RaftCore` owns it and runs
 * elections; `Leader` and `FollowerLink` work on it while this node leads or follows.
 */
import { ActiveConfiguration } from './active-configuration.js';
import type { RaftConfig, RestoredState } from './config.js';
import type { RaftRole } from './effects.js';
import type { ConfigurationAt } from './membership.js';
import type { LogEntry, LogPosition, NodeId, RaftMessage } from './messages.js';
import { RaftLog } from './raft-log.js';
import { StepOutput } from './step-output.js';

export class NodeState<P> {
  readonly log: RaftLog<P>;
  term: number;
  votedFor: NodeId | null;
  role: RaftRole = 'follower';
  leader: NodeId | undefined = undefined;
  /** Highest index known committed (a majority holds it, in a term whose entry is held too). */
  commitIndex = 0;
  /** This node's state is durable up to here (and matches the log there). */
  persistedIndex: number;
  /** Monotonic milliseconds, as of the last tick. */
  now = 0;
  out = new StepOutput<P>();
  /** The latest configuration in the log (membership.ts), in effect whether committed or not. */
  membership: ActiveConfiguration;

  constructor(
    readonly config: RaftConfig<P>,
    restored: RestoredState,
    configuration: ConfigurationAt,
  ) {
    this.log = new RaftLog(restored.snapshot, config.payloadBytes);
    this.term = restored.term;
    this.votedFor = restored.votedFor;
    this.persistedIndex = restored.snapshot.index;
    this.membership = new ActiveConfiguration(config.id, configuration);
  }

  send(to: NodeId, message: RaftMessage<P>): void {
    this.out.send(to, message);
  }

  /** Append to the log and hand the entry out for applying; a configuration entry takes effect
   *  at once. */
  appendEntry(entry: LogEntry<P>): void {
    this.log.append(entry);
    this.out.entries.push(entry);
    if (entry.configuration !== undefined) {
      this.useConfiguration({ index: entry.index, term: entry.term, configuration: entry.configuration });
    }
  }

  /** The state was replaced by a snapshot at `position` holding `configuration`. */
  resetTo(position: LogPosition, configuration: ConfigurationAt): void {
    this.log.resetTo(position);
    // What is on disk is the replaced state: nothing of the new log is durable yet.
    this.persistedIndex = 0;
    this.commitIndex = Math.min(this.commitIndex, position.index);
    this.useConfiguration(configuration);
  }

  private useConfiguration(configuration: ConfigurationAt): void {
    this.membership = new ActiveConfiguration(this.config.id, configuration);
    this.out.configuration = configuration;
  }

  /** Keep about `retainedEntries` in memory; never drop what is not durable yet. */
  compact(): void {
    const retained = this.config.retainedEntries;
    const held = this.log.lastIndex - this.log.firstIndex + 1;
    const slack = Math.max(8, Math.floor(retained / 4)); // compact in batches, not per entry
    if (held < retained + slack) return;
    this.log.compactTo(Math.min(this.persistedIndex, this.log.lastIndex - retained));
  }
}
