/**
 * Typed client of a node's admin API (port 9325): health, cluster state, fault injection, queues.
 *
 * The shapes restate the server's (server/src/admin/) on purpose: they are the HTTP contract the
 * testkit depends on, and the testkit must not depend on the server package (container users
 * never install it).
 */
import { ReplimqTestkitError } from './errors.js';

export type NodeRole = 'leader' | 'follower' | 'candidate';

/** One peer as the node sees it (`GET /cluster`). */
export interface PeerStatus {
  id: string;
  matchIndex?: number;
  lag?: number;
  [detail: string]: unknown;
}

/** `GET /cluster`. */
export interface ClusterStatus {
  nodeId: string;
  role: NodeRole;
  term: number;
  leaderId: string | null;
  appliedIndex: number;
  commitIndex: number;
  peers: PeerStatus[];
}

/** One queue in `GET /queues`. */
export interface QueueSummary {
  name: string;
  url: string;
  arn?: string;
  fifo: boolean;
  visible: number;
  inFlight: number;
  delayed: number;
  deadLetterTargetArn?: string;
}

/** `POST /faults` body: cut or slow replication traffic with chosen peers (by node id). */
export interface FaultSpec {
  /** Drop traffic to and from these peers. */
  isolate?: string[];
  dropTo?: string[];
  dropFrom?: string[];
  delayTo?: Record<string, number>;
  delayFrom?: Record<string, number>;
  /** Answer every SQS request with 503 ServiceUnavailable. */
  refuseClients?: boolean;
}

export interface HealthStatus {
  healthy: boolean;
  status: number;
  body: unknown;
}

export interface AdminClientOptions {
  /** Per-request timeout; a paused node does not answer at all. */
  timeoutMs?: number;
  /** The node's admin token (`--admin-token`), sent as `Authorization: Bearer`. */
  token?: string;
}

export class AdminRequestError extends ReplimqTestkitError {
  override readonly name = 'AdminRequestError';
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
    return { healthy: response.status === 200, status: response.status, body: await readBody(response) };
  }

  async cluster(): Promise<ClusterStatus> {
    return (await this.json('GET', '/cluster')) as ClusterStatus;
  }

  /** Queues and their message counts in this node's own state (no forwarding to the leader). */
  async queues(): Promise<QueueSummary[]> {
    return ((await this.json('GET', '/queues')) as { queues: QueueSummary[] }).queues;
  }

  async faults(): Promise<unknown> {
    return this.json('GET', '/faults');
  }

  /** Replaces the node's fault rules. */
  async setFaults(spec: FaultSpec): Promise<unknown> {
    return this.json('POST', '/faults', spec);
  }

  async clearFaults(): Promise<unknown> {
    return this.json('DELETE', '/faults');
  }

  private async json(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await this.request(method, path, body);
    const parsed = await readBody(response);
    if (!response.ok) {
      throw new AdminRequestError(`${method} ${this.endpoint}${path} answered ${response.status}: ${JSON.stringify(parsed)}`);
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
