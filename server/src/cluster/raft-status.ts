/**
 * `GET /cluster` and `GET /health` for a raft node.
 *
 * Ready means: a leader is known, this node's state is not known to be wrong (diverged, waiting
 * for a snapshot), and it has applied everything it knows committed; a follower must also have
 * heard from the leader within an election timeout. A follower learns only the commit index the
 * leader shares with it, so "caught up" on a follower is as good as its last heartbeat.
 */
import type { ClusterStatus, ClusterStatusProvider, NodeRole, PeerStatus } from '../admin/cluster-status.js';
import type { RaftRole } from './raft/index.js';
import type { RaftReplicator } from './raft-replicator.js';
import type { PeerTransport } from './transport.js';

export function raftStatusProvider(
  nodeId: string,
  replicator: RaftReplicator,
  transport: PeerTransport,
  electionTimeoutMs: number,
): ClusterStatusProvider {
  const status = (): ClusterStatus => {
    const raft = replicator.raftStatus();
    const progress = new Map(raft.peers.map((peer) => [peer.id, peer]));
    const peers: PeerStatus[] = transport.peers().map((link) => {
      const peer = progress.get(link.id);
      return {
        id: link.id,
        address: link.address,
        ...(peer ? { matchIndex: peer.match, lag: Math.max(0, raft.lastIndex - peer.match), state: peer.state } : {}),
        connected: link.connected,
        lastContactMs: link.lastContactMs,
        droppedMessages: link.dropped,
        droppedByFaults: link.droppedByFaults,
      };
    });
    return {
      nodeId,
      role: nodeRole(raft.role),
      raftRole: raft.role,
      term: raft.term,
      leaderId: raft.leader ?? null,
      appliedIndex: raft.lastIndex,
      commitIndex: raft.commitIndex,
      persistedIndex: raft.persistedIndex,
      diverged: replicator.isDiverged,
      peers,
      // The configuration in use: every member with its address and whether it votes.
      members: replicator.configuration(),
    };
  };
  const ready = (): boolean => {
    const raft = replicator.raftStatus();
    if (raft.leader === undefined || replicator.isDiverged || raft.lastIndex < raft.commitIndex) return false;
    if (raft.role === 'leader') return true;
    const leader = transport.peers().find((peer) => peer.id === raft.leader);
    return leader?.lastContactMs !== null && leader?.lastContactMs !== undefined && leader.lastContactMs <= electionTimeoutMs;
  };
  return { status, ready };
}

function nodeRole(role: RaftRole): NodeRole {
  return role === 'preCandidate' ? 'candidate' : role;
}
