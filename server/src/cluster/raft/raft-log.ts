/**
 * The in-memory tail of a node's log, after the point its state-machine snapshot covers.
 *
 * Every entry here has already been applied: replimq applies on append, so there is no separate
 * "applied" cursor and nothing is ever truncated. Entries before `start` exist only inside the
 * state machine; their terms are unknown, except the term of `start` itself.
 */
import type { LogEntry, LogPosition } from './messages.js';

interface StoredEntry<P> {
  readonly entry: LogEntry<P>;
  /** Payload size for message byte limits, measured the first time the entry is sent (a node
   *  without followers, or a follower, never pays for it); -1 until then. */
  bytes: number;
}

export class RaftLog<P> {
  private start: LogPosition;
  private entries: StoredEntry<P>[] = [];

  constructor(
    start: LogPosition,
    private readonly payloadBytes: (payload: P) => number,
  ) {
    this.start = start;
  }

  get lastIndex(): number {
    return this.start.index + this.entries.length;
  }

  get lastTerm(): number {
    return this.entries.at(-1)?.entry.term ?? this.start.term;
  }

  /** The oldest entry still held (lastIndex + 1 when none is). */
  get firstIndex(): number {
    return this.start.index + 1;
  }

  /** The term of the entry at `index`, or undefined when it is compacted away or beyond the end. */
  termAt(index: number): number | undefined {
    if (index === this.start.index) return this.start.term;
    if (index < this.start.index || index > this.lastIndex) return undefined;
    return this.entries[index - this.start.index - 1]!.entry.term;
  }

  /** Does this log hold the entry (index, term)? By log matching it then holds all before it too. */
  holds(position: LogPosition): boolean {
    return this.termAt(position.index) === position.term;
  }

  /** Raft's election restriction: is a log ending at (lastIndex, lastTerm) at least as up to date? */
  isOutdatedBy(lastIndex: number, lastTerm: number): boolean {
    return lastTerm > this.lastTerm || (lastTerm === this.lastTerm && lastIndex >= this.lastIndex);
  }

  append(entry: LogEntry<P>): void {
    if (entry.index !== this.lastIndex + 1) {
      throw new Error(`raft log: appending index ${entry.index} after ${this.lastIndex}`);
    }
    this.entries.push({ entry, bytes: entry.payload === null ? 0 : -1 });
  }

  /** Entries from `from` on, at most `maxCount` and about `maxBytes` (at least one if any). */
  slice(from: number, maxCount: number, maxBytes: number): LogEntry<P>[] {
    const out: LogEntry<P>[] = [];
    let bytes = 0;
    for (let index = Math.max(from, this.firstIndex); index <= this.lastIndex; index++) {
      const stored = this.entries[index - this.start.index - 1]!;
      if (stored.bytes < 0) stored.bytes = this.payloadBytes(stored.entry.payload as P);
      if (out.length >= maxCount || (out.length > 0 && bytes + stored.bytes > maxBytes)) break;
      out.push(stored.entry);
      bytes += stored.bytes;
    }
    return out;
  }

  /** Forget entries up to `index` (their effect lives on in the state machine). */
  compactTo(index: number): void {
    const drop = Math.min(index, this.lastIndex) - this.start.index;
    if (drop <= 0) return;
    const newStart = this.entries[drop - 1]!.entry;
    this.start = { index: newStart.index, term: newStart.term };
    this.entries = this.entries.slice(drop);
  }

  /** The state machine was replaced by a snapshot at `position`: the log restarts there. */
  resetTo(position: LogPosition): void {
    this.start = position;
    this.entries = [];
  }
}
