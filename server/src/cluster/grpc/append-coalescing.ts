/**
 * Fewer, larger appends: the raft core sends one append per proposal and follower, so a burst of
 * client requests handled in one event-loop turn becomes a burst of one-entry messages, each
 * paying gRPC framing, a follower step, a storage commit and a reply. A peer link collects what
 * the core sent in one turn and joins appends that continue each other into one message.
 *
 * Joining is what a pipelining leader could have sent in the first place: the joined append
 * starts where the first one did and carries the later commit index, and the follower's single
 * answer acknowledges the last entry (the leader's progress drops every in-flight append up to it).
 */
import type { AppendRequest, HeartbeatRequest, LogEntry } from '../raft/index.js';
import { payloadJson } from '../raft/index.js';

export type LeaderRaftMessage = AppendRequest<unknown> | HeartbeatRequest;

export interface CoalescedMessage {
  message: LeaderRaftMessage;
  /** How many of the core's messages it stands for (dropping it drops them all). */
  parts: number;
}

/**
 * Joins each run of appends in `messages` where one starts right after the previous one's last
 * entry in the same term, while the joined entries' payloads stay under `maxBytes` (a message
 * always keeps the entries it came with). Order is kept; heartbeats are never joined.
 */
export function coalesceAppends(messages: readonly LeaderRaftMessage[], maxBytes: number): CoalescedMessage[] {
  const out: CoalescedMessage[] = [];
  // The run being joined: its first message, the entries and highest commit so far. The joined
  // message is built once when the run closes, not once per part.
  let open: { first: AppendRequest<unknown>; entries: LogEntry<unknown>[]; commit: number; bytes: number; parts: number } | undefined;
  const close = (): void => {
    if (!open) return;
    const message = open.parts === 1 ? open.first : { ...open.first, entries: open.entries, commit: open.commit };
    out.push({ message, parts: open.parts });
    open = undefined;
  };
  for (const message of messages) {
    if (message.type !== 'append') {
      close();
      out.push({ message, parts: 1 });
      continue;
    }
    const bytes = entryBytes(message.entries);
    if (open && continues(open.first, open.entries, message) && open.bytes + bytes <= maxBytes) {
      for (const entry of message.entries) open.entries.push(entry);
      open.commit = Math.max(open.commit, message.commit);
      open.bytes += bytes;
      open.parts++;
      continue;
    }
    close();
    open = { first: message, entries: [...message.entries], commit: message.commit, bytes, parts: 1 };
  }
  close();
  return out;
}

function continues(previous: AppendRequest<unknown>, entries: readonly LogEntry<unknown>[], next: AppendRequest<unknown>): boolean {
  const last = entries.at(-1);
  const lastIndex = last?.index ?? previous.prevIndex;
  const lastTerm = last?.term ?? previous.prevTerm;
  return next.term === previous.term && next.prevIndex === lastIndex && next.prevTerm === lastTerm;
}

function entryBytes(entries: readonly LogEntry<unknown>[]): number {
  let bytes = 0;
  for (const entry of entries) bytes += payloadJson(entry.payload).length;
  return bytes;
}
