/**
 * The admin API of the cluster's configuration (behind the admin token like every endpoint):
 *
 *   GET    /cluster/members        { leaderId, members: [{ id, address, role, matchIndex?, lag?, state? }] }
 *                                  (this node's view; progress on the leader only)
 *   POST   /cluster/members        { "id", "address" } → 201 { members }: added as a learner, made a
 *                                  voter by the leader once it caught up
 *   DELETE /cluster/members/:id    → 200 { members }
 *
 * Changes are made by the leader, forwarded there from any node. Refusals: 400 bad input, 404
 * unknown member, 409 another change in progress (or the id or address is another member's), 415 a
 * body that is not JSON, 503 no leader (or it did not answer).
 */
import { json, type AdminRequest, type AdminResponse, type AdminRoute } from '../admin/admin-route.js';
import { checkedChange, MembershipError, REFUSAL_STATUS, type MemberInfo, type MembershipChange } from './membership.js';
import type { ConfigurationAuthority, MembershipService } from './membership-service.js';

/** A follower's replication progress as the leader sees it. */
export interface MemberProgress {
  matchIndex: number;
  lag: number;
  state: string;
}

export interface MembershipRoutesOptions {
  service: MembershipService;
  authority: ConfigurationAuthority;
  /** Leader only: each peer's progress (empty elsewhere). */
  progress(): ReadonlyMap<string, MemberProgress>;
}

/** `GET /cluster/members`' answer (the testkit and the CLI read this type). */
export interface MembersAnswer {
  leaderId: string | null;
  members: (MemberInfo & Partial<MemberProgress>)[];
}

export function membershipRoutes(options: MembershipRoutesOptions): AdminRoute[] {
  return [
    { method: 'GET', path: '/cluster/members', handle: () => json(200, membersAnswer(options)) },
    { method: 'POST', path: '/cluster/members', handle: (request) => post(options, request) },
    { method: 'DELETE', path: '/cluster/members/:id', handle: (request) => change(options, () => checkedChange('remove', request.params?.['id']), 200) },
  ];
}

export function membersAnswer({ authority, progress }: MembershipRoutesOptions): MembersAnswer {
  const peers = progress();
  return {
    leaderId: authority.leaderId() ?? null,
    members: authority.configuration().map((member) => ({ ...member, ...peers.get(member.id) })),
  };
}

function post(options: MembershipRoutesOptions, request: AdminRequest): Promise<AdminResponse> | AdminResponse {
  // As on POST /sqs: a page of another site may send text/plain without a preflight, never JSON.
  if (!/^application\/json\b/i.test(request.contentType ?? '')) {
    return json(415, { error: 'POST /cluster/members takes Content-Type: application/json' });
  }
  const body = request.body;
  return change(options, () => {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new MembershipError('invalid', 'the body must be a JSON object { "id", "address" }');
    }
    const { id, address, ...rest } = body as Record<string, unknown>;
    const unknown = Object.keys(rest);
    if (unknown.length > 0) throw new MembershipError('invalid', `unknown field "${unknown[0]}" (the body is { "id", "address" })`);
    return checkedChange('add', id, address);
  }, 201);
}

async function change(options: MembershipRoutesOptions, parse: () => MembershipChange, okStatus: number): Promise<AdminResponse> {
  try {
    const members = await options.service.change(parse());
    return json(okStatus, { members });
  } catch (error) {
    if (!(error instanceof MembershipError)) throw error;
    return json(REFUSAL_STATUS[error.reason], { error: error.message, reason: error.reason });
  }
}
