/**
 * Typed client of a node's admin API (port 9325): health, cluster state, fault injection, queues.
 *
 * The shapes are the server's own (`replimq`'s public types), imported as types only: nothing of
 * the server loads into the test process, and the two cannot drift apart.
 */
import type { ClusterStatus, FaultSpec, FaultState, HealthAnswer, MemberInfo, MembersAnswer, QueueSummary } from 'replimq';
import type { ChaosSpec, ChaosState } from './chaos-spec.js';
import { ReplimqTestkitError } from './errors.js';

export type { ClusterStatus, FaultSpec, FaultState, HealthAnswer, MemberInfo, MembersAnswer, NodeRole, PeerStatus, QueueSummary } from 'replimq';

/** `GET /state/digest`: a fingerprint of the node's whole state; equal on nodes that converged. */
export interface StateDigest {
  nodeId: string;
  appliedIndex: number;
  digest: string;
  records: number;
}

export interface HealthStatus {
  /** The node answered 200: it follows an elected leader and serves. */
  healthy: boolean;
  /** The HTTP status (200 or 503). */
  status: number;
  /** The endpoint's answer, as it sent it. */
  body: HealthAnswer;
}

export interface AdminClientOptions {
  /** Per-request timeout; a paused node does not answer at all. */
  timeoutMs?: number;
  /** The node's admin token (`--admin-token`), sent as `Authorization: Bearer`. */
  token?: string;
}

export class AdminRequestError extends ReplimqTestkitError {
  override readonly name = 'AdminRequestError';
  /** The HTTP status of an answer that was an error; undefined when the node did not answer. */
  status?: number;
}

export class AdminClient {
  private readonly timeoutMs: number;
  private readonly headers: Record<string, string>;

  constructor(
    readonly endpoint: string,
    options: AdminClientOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 2_000;
    this.headers = options.token === undefined ? {} : { authorization: `Bearer ${options.token}` };
  }

  /** `GET /health`: never throws for an unhealthy answer; throws when the node does not answer. */
  async health(): Promise<HealthStatus> {
    const response = await this.request('GET', '/health');
    return { healthy: response.status === 200, status: response.status, body: (await readBody(response)) as HealthAnswer };
  }

  async cluster(): Promise<ClusterStatus> {
    return (await this.json('GET', '/cluster')) as ClusterStatus;
  }

  /** Queues and their message counts in this node's own state (no forwarding to the leader). */
  async queues(): Promise<QueueSummary[]> {
    return ((await this.json('GET', '/queues')) as { queues: QueueSummary[] }).queues;
  }

  async faults(): Promise<FaultState> {
    return (await this.json('GET', '/faults')) as FaultState;
  }

  /** Replaces the node's fault rules; answers the rules now in force. */
  async setFaults(spec: FaultSpec): Promise<FaultState> {
    return (await this.json('POST', '/faults', spec)) as FaultState;
  }

  async clearFaults(): Promise<FaultState> {
    return (await this.json('DELETE', '/faults')) as FaultState;
  }

  /** `GET /chaos`: the SQS failure modes in force on this node and how often each fired. */
  async chaos(): Promise<ChaosState> {
    return (await this.json('GET', '/chaos')) as ChaosState;
  }

  /** Replaces the node's chaos rules (client/README.md, "SQS failure modes on demand"). */
  async setChaos(spec: ChaosSpec): Promise<ChaosState> {
    return (await this.json('POST', '/chaos', spec)) as ChaosState;
  }

  async clearChaos(): Promise<ChaosState> {
    return (await this.json('DELETE', '/chaos')) as ChaosState;
  }

  /** `GET /cluster/members`: the configuration as this node knows it (progress on the leader). */
  async members(): Promise<MembersAnswer> {
    return (await this.json('GET', '/cluster/members')) as MembersAnswer;
  }

  /** `POST /cluster/members`: adds a member (a learner the leader promotes once caught up). */
  async addMember(id: string, address: string): Promise<MemberInfo[]> {
    return ((await this.json('POST', '/cluster/members', { id, address })) as { members: MemberInfo[] }).members;
  }

  /** `DELETE /cluster/members/{id}`. */
  async removeMember(id: string): Promise<MemberInfo[]> {
    return ((await this.json('DELETE', `/cluster/members/${encodeURIComponent(id)}`)) as { members: MemberInfo[] }).members;
  }

  async stateDigest(): Promise<StateDigest> {
    return (await this.json('GET', '/state/digest')) as StateDigest;
  }

  private async json(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await this.request(method, path, body);
    const parsed = await readBody(response);
    if (!response.ok) {
      const error = new AdminRequestError(`${method} ${this.endpoint}${path} answered ${response.status}: ${JSON.stringify(parsed)}`);
      error.status = response.status;
      throw error;
    }
    return parsed;
  }

  private async request(method: string, path: string, body?: unknown): Promise<Response> {
    try {
      return await fetch(`${this.endpoint}${path}`, {
        method,
        signal: AbortSignal.timeout(this.timeoutMs),
        headers: body === undefined ? this.headers : { ...this.headers, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      throw new AdminRequestError(`${method} ${this.endpoint}${path} failed: ${describe(error)}`, { cause: error });
    }
  }
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return text;
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}
