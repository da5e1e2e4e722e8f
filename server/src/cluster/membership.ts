/**
 * A cluster's configuration as the operations side sees it (admin API, `--join`, the CLI, the
 * `ChangeMembership` RPC): who the members are, where they listen, whether they vote — and the
 * typed refusals of a change, each with its HTTP status in one place.
 */
import { NODE_ID, NODE_ID_EXPECTED } from '../cli/value-parsers.js';
import type { Member } from './raft/index.js';
import type { MemberWire, MembershipChangeWire, MembershipReplyWire } from './grpc/wire-messages.js';

export type { MemberRole } from './raft/index.js';

/** A member as the admin API shows it: the core's `Member` without its promotion flag. */
export type MemberInfo = Pick<Member, 'id' | 'address' | 'role'>;

export function memberInfo(member: Member): MemberInfo {
  return { id: member.id, address: member.address, role: member.role };
}

/** One change at a time (Raft single-server changes). */
export type MembershipChange = { kind: 'add'; id: string; address: string } | { kind: 'remove'; id: string };

/** `conflict`: the id is a member at another address, or the address is another member's. */
export type MembershipRefusal = 'not-leader' | 'in-progress' | 'conflict' | 'unknown-member' | 'invalid' | 'unavailable';

/** HTTP status of each refusal on the admin API. */
export const REFUSAL_STATUS: Readonly<Record<MembershipRefusal, number>> = {
  invalid: 400,
  'unknown-member': 404,
  'in-progress': 409,
  conflict: 409,
  'not-leader': 503,
  unavailable: 503,
};

export class MembershipError extends Error {
  override readonly name = 'MembershipError';

  constructor(
    readonly reason: MembershipRefusal,
    message: string,
    /** With `not-leader`: whom the refusing node believes leads. */
    readonly leaderId?: string,
  ) {
    super(message);
  }
}

/** `host:port` (an IPv6 literal in brackets), port 1–65535. */
export function isMemberAddress(address: string): boolean {
  const match = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9][A-Za-z0-9.-]*):(\d{1,5})$/.exec(address);
  if (!match) return false;
  const port = Number(match[2]);
  return port >= 1 && port <= 65535;
}

/** Checks a change asked from outside (admin API body, RPC); throws `invalid` naming the field. */
export function checkedChange(kind: unknown, id: unknown, address?: unknown): MembershipChange {
  if (typeof id !== 'string' || !NODE_ID.test(id)) {
    throw new MembershipError('invalid', `"id" must be ${NODE_ID_EXPECTED}`);
  }
  if (kind === 'remove') return { kind, id };
  if (kind !== 'add') throw new MembershipError('invalid', `unknown change "${String(kind)}"`);
  if (typeof address !== 'string' || !isMemberAddress(address)) {
    throw new MembershipError('invalid', '"address" must be the member\'s gRPC address as host:port (e.g. 10.0.0.4:9326)');
  }
  return { kind, id, address };
}

export function encodeChange(from: string, change: MembershipChange): MembershipChangeWire {
  return { from, kind: change.kind, id: change.id, address: change.kind === 'add' ? change.address : '' };
}

export function decodeChange(wire: MembershipChangeWire): MembershipChange {
  return checkedChange(wire.kind, wire.id, wire.address);
}

export function encodeMembers(members: readonly MemberInfo[]): MembershipReplyWire {
  return { error: '', message: '', leader_id: '', members: members.map((member) => ({ ...member })) };
}

export function encodeRefusal(error: unknown): MembershipReplyWire {
  const refusal = error instanceof MembershipError ? error : new MembershipError('unavailable', error instanceof Error ? error.message : String(error));
  return { error: refusal.reason, message: refusal.message, leader_id: refusal.leaderId ?? '', members: [] };
}

/** The members of a successful reply; throws the reply's refusal otherwise. */
export function decodeMembershipReply(wire: MembershipReplyWire): MemberInfo[] {
  if (wire.error !== '') {
    const reason = (Object.keys(REFUSAL_STATUS) as MembershipRefusal[]).find((known) => known === wire.error) ?? 'unavailable';
    throw new MembershipError(reason, wire.message, wire.leader_id === '' ? undefined : wire.leader_id);
  }
  return wire.members.map(decodeMember);
}

function decodeMember(wire: MemberWire): MemberInfo {
  return { id: wire.id, address: wire.address, role: wire.role === 'learner' ? 'learner' : 'voter' };
}
