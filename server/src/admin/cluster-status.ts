/**
 * What `GET /cluster` and `GET /health` report, supplied by whoever runs replication: the
 * single-node replicator below, or the raft replicator (cluster layer) with real roles and peers.
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
  [detail: string]: unknown;
}

export interface ClusterStatusProvider {
  status(): ClusterStatus;
  /** Can this node serve clients correctly (a leader is known and this node caught up)? */
  ready(): boolean;
}

/** A cluster of one: always its own leader in term 1, everything applied is committed. */
export function singleNodeStatus(nodeId: string, appliedIndex: () => number): ClusterStatusProvider {
  return {
    status: () => ({
      nodeId,
      role: 'leader',
      term: 1,
      leaderId: nodeId,
      appliedIndex: appliedIndex(),
      commitIndex: appliedIndex(),
      peers: [],
    }),
    ready: () => true,
  };
}
