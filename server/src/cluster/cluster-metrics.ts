/**
 * The replication runtime's families in the node's Prometheus registry: raft gauges read from
 * `GET /cluster`'s status at scrape time, counters the replicator bumps as plain numbers on its
 * hot path (read in `collect()`), and the propose → ack-mode-met latency histogram.
 */
import { labelledGaugeReadAtScrape } from '../metrics/labelled-gauge-read-at-scrape.js';
import { counterReadAtScrape, gaugeReadAtScrape } from '../metrics/read-at-scrape.js';
import { LabelledHistogram, type Observer } from '../metrics/labelled-histogram.js';
import type { MetricsRegistry } from '../metrics/metrics-registry.js';
import type { ClusterStatus } from '../admin/cluster-status.js';
import type { AckMode } from './replicator.js';

/** Upper bounds (seconds) of the replication latency buckets: propose → ack mode met. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

const ROLES = ['leader', 'follower', 'candidate', 'preCandidate'] as const;

export interface ClusterGauges {
  role: string;
  leaderId: string | null;
  term: number;
  commitIndex: number;
  appliedIndex: number;
  /** `reachable`: the peer spoke or answered within an election timeout — an open gRPC channel
   *  alone is not enough, since a cut link or a dropping fault rule can leave it READY. */
  peers: readonly { id: string; lag?: number; reachable: boolean; lastContactSeconds?: number }[];
}

/** The gauges as `GET /cluster` shows them. */
export function clusterGauges(status: ClusterStatus, electionTimeoutMs: number): ClusterGauges {
  return {
    role: String(status.raftRole ?? status.role),
    leaderId: status.leaderId,
    term: status.term,
    commitIndex: status.commitIndex,
    appliedIndex: status.appliedIndex,
    peers: status.peers.map((peer) => {
      const lastContactMs = typeof peer.lastContactMs === 'number' ? peer.lastContactMs : undefined;
      return {
        id: peer.id,
        lag: peer.lag,
        reachable: lastContactMs !== undefined && lastContactMs <= electionTimeoutMs,
        ...(lastContactMs === undefined ? {} : { lastContactSeconds: lastContactMs / 1000 }),
      };
    }),
  };
}

/**
 * The peers whose connectivity means something from this node: a leader streams to every
 * follower, a follower hears only its leader. Followers never talk to each other, so a 0 for
 * them would be no fault — and an alert on `replimq_raft_peer_connected == 0` would always fire.
 */
export function peersThisNodeMustReach(gauges: ClusterGauges): ClusterGauges['peers'] {
  if (gauges.role === 'leader') return gauges.peers;
  return gauges.peers.filter((peer) => peer.id === gauges.leaderId);
}

export class ClusterMetrics {
  electionsStarted = 0;
  leaderChanges = 0;
  snapshotsSent = 0;
  snapshotsFailed = 0;
  snapshotsInstalled = 0;
  proposalsTimedOut = 0;
  private readonly latency = new LabelledHistogram('replimq_replication_seconds', 'Time from proposing a write to meeting its ack mode.', ['ack_mode'], LATENCY_BUCKETS);
  private readonly latencyByMode = new Map<AckMode, Observer>();

  observeReplication(mode: AckMode, seconds: number): void {
    let latency = this.latencyByMode.get(mode);
    if (latency === undefined) {
      latency = this.latency.labels({ ack_mode: mode });
      this.latencyByMode.set(mode, latency);
    }
    latency.observe(seconds);
  }

  /** Adds the replication families to `registry`; `gauges` is read at every scrape. */
  register(registry: MetricsRegistry, gauges: () => ClusterGauges): void {
    registry.defineHistogram(this.latency);
    gaugeReadAtScrape(registry, 'replimq_raft_term', 'Current raft term.', () => gauges().term);
    gaugeReadAtScrape(registry, 'replimq_raft_commit_index', 'Highest log index known committed.', () => gauges().commitIndex);
    gaugeReadAtScrape(registry, 'replimq_raft_applied_index', "Highest log index applied to this node's state.", () => gauges().appliedIndex);
    labelledGaugeReadAtScrape(registry, 'replimq_raft_role', '1 for the role this node has now, 0 for the others.', 'role', () => {
      const { role } = gauges();
      return ROLES.map((candidate) => [candidate, role === candidate ? 1 : 0] as const);
    });
    labelledGaugeReadAtScrape(registry, 'replimq_raft_peer_lag', 'Entries a follower is behind the leader (on the leader only).', 'peer', () =>
      gauges().peers.flatMap((peer) => (peer.lag === undefined ? [] : [[peer.id, peer.lag] as const])),
    );
    labelledGaugeReadAtScrape(
      registry,
      'replimq_raft_peer_connected',
      'For the peers this node must reach (every follower on the leader, the leader on a follower): 1 when the peer spoke or answered within an election timeout.',
      'peer',
      () => peersThisNodeMustReach(gauges()).map((peer) => [peer.id, peer.reachable ? 1 : 0] as const),
    );
    labelledGaugeReadAtScrape(
      registry,
      'replimq_raft_peer_last_contact_seconds',
      'Seconds since this node last heard from the peer (peers it has heard from at all).',
      'peer',
      () => gauges().peers.flatMap((peer) => (peer.lastContactSeconds === undefined ? [] : [[peer.id, peer.lastContactSeconds] as const])),
    );
    const counter = (name: string, help: string, read: () => number): void => counterReadAtScrape(registry, name, help, read);
    counter('replimq_raft_elections_total', 'Elections this node started.', () => this.electionsStarted);
    counter('replimq_raft_leader_changes_total', 'Times this node saw a new leader.', () => this.leaderChanges);
    counter('replimq_raft_snapshots_sent_total', 'Snapshots this node streamed to followers.', () => this.snapshotsSent);
    counter('replimq_raft_snapshots_failed_total', 'Snapshot transfers that failed.', () => this.snapshotsFailed);
    counter('replimq_raft_snapshots_installed_total', 'Snapshots this node installed from a leader.', () => this.snapshotsInstalled);
    counter('replimq_raft_proposals_timed_out_total', 'Writes answered 503 because their ack mode was not met in time.', () => this.proposalsTimedOut);
  }
}
