/**
 * Counters and a latency histogram of the replication runtime, rendered in the Prometheus text
 * format as part of the node's `GET /metrics`.
 */
import type { ClusterStatus } from '../admin/cluster-status.js';
import type { AckMode } from './replicator.js';

/** Upper bounds (seconds) of the replication latency buckets: propose → ack mode met. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

interface Histogram {
  buckets: number[];
  count: number;
  sum: number;
}

export interface ClusterGauges {
  nodeId: string;
  role: string;
  term: number;
  commitIndex: number;
  appliedIndex: number;
  peers: readonly { id: string; lag?: number; connected: boolean }[];
}

/** The gauges as `GET /cluster` shows them. */
export function clusterGauges(status: ClusterStatus): ClusterGauges {
  return {
    nodeId: status.nodeId,
    role: String(status.raftRole ?? status.role),
    term: status.term,
    commitIndex: status.commitIndex,
    appliedIndex: status.appliedIndex,
    peers: status.peers.map((peer) => ({ id: peer.id, lag: peer.lag, connected: peer.connected === true })),
  };
}

export class ClusterMetrics {
  electionsStarted = 0;
  leaderChanges = 0;
  snapshotsSent = 0;
  snapshotsFailed = 0;
  snapshotsInstalled = 0;
  proposalsTimedOut = 0;
  private readonly latency = new Map<AckMode, Histogram>();

  observeReplication(mode: AckMode, seconds: number): void {
    let histogram = this.latency.get(mode);
    if (!histogram) {
      histogram = { buckets: LATENCY_BUCKETS.map(() => 0), count: 0, sum: 0 };
      this.latency.set(mode, histogram);
    }
    // Every write passes here: a plain loop, no closure per call.
    for (let at = 0; at < LATENCY_BUCKETS.length; at++) {
      if (seconds <= LATENCY_BUCKETS[at]!) histogram.buckets[at]! += 1;
    }
    histogram.count += 1;
    histogram.sum += seconds;
  }

  render(gauges: ClusterGauges): string {
    const lines: string[] = [];
    const family = (name: string, type: 'counter' | 'gauge' | 'histogram', help: string): void => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    };
    const node = { node: gauges.nodeId };

    family('replimq_raft_term', 'gauge', 'Current raft term.');
    lines.push(`replimq_raft_term${labels(node)} ${gauges.term}`);
    family('replimq_raft_role', 'gauge', '1 for the role this node has now.');
    for (const role of ['leader', 'follower', 'candidate', 'preCandidate']) {
      lines.push(`replimq_raft_role${labels({ ...node, role })} ${gauges.role === role ? 1 : 0}`);
    }
    family('replimq_raft_commit_index', 'gauge', 'Highest log index known committed.');
    lines.push(`replimq_raft_commit_index${labels(node)} ${gauges.commitIndex}`);
    family('replimq_raft_applied_index', 'gauge', 'Highest log index applied to this node\'s state.');
    lines.push(`replimq_raft_applied_index${labels(node)} ${gauges.appliedIndex}`);
    family('replimq_raft_peer_lag', 'gauge', 'Entries a follower is behind the leader (leader only).');
    for (const peer of gauges.peers) {
      if (peer.lag !== undefined) lines.push(`replimq_raft_peer_lag${labels({ ...node, peer: peer.id })} ${peer.lag}`);
    }
    family('replimq_raft_peer_connected', 'gauge', '1 when the peer is reachable.');
    for (const peer of gauges.peers) {
      lines.push(`replimq_raft_peer_connected${labels({ ...node, peer: peer.id })} ${peer.connected ? 1 : 0}`);
    }

    const counters: [string, string, number][] = [
      ['replimq_raft_elections_total', 'Elections this node started.', this.electionsStarted],
      ['replimq_raft_leader_changes_total', 'Times this node saw a new leader.', this.leaderChanges],
      ['replimq_raft_snapshots_sent_total', 'Snapshots this node streamed to followers.', this.snapshotsSent],
      ['replimq_raft_snapshots_failed_total', 'Snapshot transfers that failed.', this.snapshotsFailed],
      ['replimq_raft_snapshots_installed_total', 'Snapshots this node installed from a leader.', this.snapshotsInstalled],
      ['replimq_raft_proposals_timed_out_total', 'Writes answered 503 because their ack mode was not met in time.', this.proposalsTimedOut],
    ];
    for (const [name, help, value] of counters) {
      family(name, 'counter', help);
      lines.push(`${name}${labels(node)} ${value}`);
    }

    family('replimq_replication_seconds', 'histogram', 'Time from proposing a write to meeting its ack mode.');
    for (const [mode, histogram] of this.latency) {
      LATENCY_BUCKETS.forEach((bound, at) => {
        lines.push(`replimq_replication_seconds_bucket${labels({ ...node, ack_mode: mode, le: String(bound) })} ${histogram.buckets[at]}`);
      });
      lines.push(`replimq_replication_seconds_bucket${labels({ ...node, ack_mode: mode, le: '+Inf' })} ${histogram.count}`);
      lines.push(`replimq_replication_seconds_sum${labels({ ...node, ack_mode: mode })} ${histogram.sum}`);
      lines.push(`replimq_replication_seconds_count${labels({ ...node, ack_mode: mode })} ${histogram.count}`);
    }
    return lines.join('\n') + '\n';
  }
}

function labels(values: Record<string, string>): string {
  const pairs = Object.entries(values).map(([key, value]) => `${key}="${value.replace(/["\\\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`))}"`);
  return `{${pairs.join(',')}}`;
}
