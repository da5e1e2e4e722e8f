/**
 * Configuration changes from outside the raft core, on every node: the admin API's
 * `POST/DELETE /cluster/members`, and the `ChangeMembership` RPC that members forward to the
 * leader and that a new node started with `--join` calls.
 *
 * Only the leader changes the configuration (one change at a time, raft-replicator.ts with the
 * core). Anywhere else a change is forwarded to the leader; while no leader is known it waits and
 * retries for up to three election timeouts, then fails `not-leader` (503). A node that is not a
 * member yet may only ask to add itself; a member it asked forwards that for it, once.
 */
import type { MembershipChangeWire, MembershipReplyWire } from './grpc/wire-messages.js';
import {
  decodeChange,
  decodeMembershipReply,
  encodeChange,
  encodeMembers,
  encodeRefusal,
  MembershipError,
  type MemberInfo,
  type MembershipChange,
} from './membership.js';
import type { Member } from './transport.js';

/** What the raft side offers: the configuration as this node knows it, and changes on the leader. */
export interface ConfigurationAuthority {
  /** The latest configuration this node knows (the leader's is the cluster's). */
  configuration(): readonly MemberInfo[];
  isLeader(): boolean;
  leaderId(): string | undefined;
  /** Leader only: makes the change, resolves with the configuration once it is committed.
   *  Rejects with a `MembershipError`. */
  changeMembership(change: MembershipChange): Promise<MemberInfo[]>;
}

/** The call to another node (grpc-transport.ts). */
export interface MembershipCaller {
  changeMembership(member: Member, request: MembershipChangeWire, deadline: number): Promise<MembershipReplyWire>;
}

export interface MembershipServiceOptions {
  nodeId: string;
  authority: ConfigurationAuthority;
  caller: MembershipCaller;
  electionTimeoutMs: number;
  /** How long a forwarded change may take at the leader (it waits for the commit). */
  changeTimeoutMs: number;
  now?: () => number;
}

const RETRY_PAUSE_MS = 50;

export class MembershipService {
  private readonly now: () => number;

  constructor(private readonly options: MembershipServiceOptions) {
    this.now = options.now ?? Date.now;
  }

  /** A change asked on this node (admin API): made here on the leader, else forwarded to it. */
  async change(change: MembershipChange): Promise<MemberInfo[]> {
    const { authority, nodeId, electionTimeoutMs } = this.options;
    const giveUpAt = this.now() + 3 * electionTimeoutMs;
    let hint: string | undefined;
    let lastProblem = 'no leader is known';
    for (;;) {
      if (authority.isLeader()) return authority.changeMembership(change);
      const leader = hint ?? authority.leaderId();
      hint = undefined;
      if (leader !== undefined && leader !== nodeId) {
        try {
          return await this.ask(leader, change);
        } catch (error) {
          if (!(error instanceof MembershipError) || error.reason !== 'not-leader') throw error;
          lastProblem = error.message;
          hint = error.leaderId;
        }
      }
      if (this.now() >= giveUpAt) throw new MembershipError('not-leader', `no leader could take the change (${lastProblem}); try again`);
      await pause(RETRY_PAUSE_MS);
    }
  }

  /** The `ChangeMembership` RPC: `wire.from` is authenticated (or trusted with --insecure-cluster). */
  async serve(wire: MembershipChangeWire): Promise<MembershipReplyWire> {
    const { authority } = this.options;
    try {
      const change = decodeChange(wire);
      const fromMember = authority.configuration().some((member) => member.id === wire.from);
      if (!fromMember && !(change.kind === 'add' && change.id === wire.from)) {
        throw new MembershipError('invalid', `"${wire.from}" is not a member: it may only ask to add itself`);
      }
      if (authority.isLeader()) return encodeMembers(await authority.changeMembership(change));
      const leader = authority.leaderId();
      // A joining node knows only the members it was given: forward for it, one hop.
      if (!fromMember && leader !== undefined && leader !== this.options.nodeId) return encodeMembers(await this.ask(leader, change));
      throw new MembershipError('not-leader', `${this.options.nodeId} is not the leader`, leader);
    } catch (error) {
      return encodeRefusal(error);
    }
  }

  private async ask(leaderId: string, change: MembershipChange): Promise<MemberInfo[]> {
    const leader = this.options.authority.configuration().find((member) => member.id === leaderId);
    if (!leader) throw new MembershipError('not-leader', `the leader ${leaderId} is not in this node's configuration yet`);
    let reply: MembershipReplyWire;
    try {
      reply = await this.options.caller.changeMembership(leader, encodeChange(this.options.nodeId, change), this.now() + this.options.changeTimeoutMs);
    } catch (error) {
      throw new MembershipError('unavailable', `the leader ${leaderId} did not answer: ${error instanceof Error ? error.message : String(error)}`);
    }
    return decodeMembershipReply(reply);
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
