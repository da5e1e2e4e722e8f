/**
 * What `GET /cluster` and `GET /health` report, supplied by the replication layer (the raft
 * replicator's view, `cluster/raft-status.ts`, for one node as for many).
 */
export type NodeRole = 'leader' | 'follower' | 'candidate';

export interface PeerStatus {
  id: string;
  address: string;
  /** Highest log index known to be on that peer (leader's view). */
  matchIndex?: number;
  /** How many entries it is behind the leader's last index. */
  lag?: number;
  [detail: string]: unknown;
}

export interface ClusterStatus {
  nodeId: string;
  role: NodeRole;
  term: number;
  leaderId: string | null;
  appliedIndex: number;
  commitIndex: number;
  peers: PeerStatus[];
  /** `shared-db` on nodes sharing one PostgreSQL database (absent on raft nodes). */
  mode?: 'shared-db';
  /** Shared-db: the lease epoch (the fencing token), also reported as `term`. */
  epoch?: number;
  [detail: string]: unknown;
}

export interface ClusterStatusProvider {
  status(): ClusterStatus;
  /** Can this node serve clients correctly (a leader is known and this node caught up)? */
  ready(): boolean;
}
