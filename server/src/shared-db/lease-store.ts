/**
 * The group's lease and membership rows in PostgreSQL (tables in storage/postgres/migrations.ts),
 * on a session of their own, so that renewing the lease never queues behind a large write.
 *
 * Time is the database's (`now()`): nodes' clocks are never compared with each other. A lease is
 * won by raising its epoch, which is the fencing token every write checks
 * (storage/postgres/postgres-storage.ts): whoever takes over makes every older holder's writes
 * fail, and the row lock those writes take orders them before or after the take-over, never
 * astride it.
 */
import type { Fence } from '../storage/postgres/fencing.js';
import type { PostgresConnection } from '../storage/postgres/postgres-connection.js';

export interface LeaseView {
  /** The holder of a lease that has not expired, if any. */
  holder: string | undefined;
  epoch: string;
  /** The holder's gRPC address from the members table. */
  holderAddress: string | undefined;
}

export interface MemberRow {
  nodeId: string;
  forwardAddress: string;
  sqsUrl: string | null;
  /** Milliseconds since the member last wrote its row (by the database's clock). */
  lastSeenMs: number;
}

/** Members that have not written their row for this long are left out of the member list. */
const MEMBER_FORGOTTEN_AFTER_S = 60;

export class LeaseStore {
  constructor(
    private readonly connection: PostgresConnection,
    private readonly nodeId: string,
    private readonly leaseMs: number,
  ) {}

  /** Takes the lease if it expired (or is this node's own, from an earlier life): a new epoch. */
  async acquire(): Promise<Fence | undefined> {
    const rows = await this.connection.query(
      `UPDATE replimq_lease
          SET holder = $1, epoch = epoch + 1, expires_at = now() + $2 * interval '1 millisecond', acquired_at = now()
        WHERE id = 1 AND (expires_at <= now() OR holder = $1)
        RETURNING epoch::text AS epoch`,
      [this.nodeId, this.leaseMs],
    );
    const epoch = rows[0]?.['epoch'];
    return typeof epoch === 'string' ? { holder: this.nodeId, epoch } : undefined;
  }

  /** Extends this node's lease; false when it is no longer this node's (another took over). */
  async renew(fence: Fence): Promise<boolean> {
    const rows = await this.connection.query(
      `UPDATE replimq_lease SET expires_at = now() + $3 * interval '1 millisecond'
        WHERE id = 1 AND holder = $1 AND epoch = $2::bigint RETURNING 1`,
      [fence.holder, fence.epoch, this.leaseMs],
    );
    return rows.length > 0;
  }

  /** Gives the lease up at once, so a standby need not wait for it to expire. */
  async release(fence: Fence): Promise<void> {
    await this.connection.query(
      `UPDATE replimq_lease SET expires_at = '-infinity' WHERE id = 1 AND holder = $1 AND epoch = $2::bigint`,
      [fence.holder, fence.epoch],
    );
  }

  async view(): Promise<LeaseView> {
    const rows = await this.connection.query(
      `SELECT CASE WHEN l.expires_at > now() THEN l.holder END AS holder, l.epoch::text AS epoch, m.forward_address
         FROM replimq_lease l LEFT JOIN replimq_members m ON m.node_id = l.holder WHERE l.id = 1`,
    );
    const row = rows[0] ?? {};
    return {
      holder: optionalText(row['holder']),
      epoch: String(row['epoch'] ?? '0'),
      holderAddress: optionalText(row['forward_address']),
    };
  }

  /** Writes this node's row: where standbys forward to, and that it is alive. */
  async announce(forwardAddress: string, sqsUrl: string | undefined): Promise<void> {
    await this.connection.query(
      `INSERT INTO replimq_members (node_id, forward_address, sqs_url, started_at, seen_at) VALUES ($1, $2, $3, now(), now())
       ON CONFLICT (node_id) DO UPDATE SET forward_address = excluded.forward_address, sqs_url = excluded.sqs_url, seen_at = now()`,
      [this.nodeId, forwardAddress, sqsUrl ?? null],
    );
  }

  /** Is `nodeId` a live member (its row written recently)? */
  async isMember(nodeId: string): Promise<boolean> {
    const rows = await this.connection.query(
      `SELECT 1 FROM replimq_members WHERE node_id = $1 AND seen_at > now() - $2 * interval '1 second'`,
      [nodeId, MEMBER_FORGOTTEN_AFTER_S],
    );
    return rows.length > 0;
  }

  async members(): Promise<MemberRow[]> {
    const rows = await this.connection.query(
      `SELECT node_id, forward_address, sqs_url, (extract(epoch FROM now() - seen_at) * 1000)::float8 AS last_seen_ms
         FROM replimq_members WHERE seen_at > now() - $1 * interval '1 second' ORDER BY node_id`,
      [MEMBER_FORGOTTEN_AFTER_S],
    );
    return rows.map((row) => ({
      nodeId: String(row['node_id']),
      forwardAddress: String(row['forward_address']),
      sqsUrl: optionalText(row['sqs_url']) ?? null,
      lastSeenMs: Math.max(0, Math.round(Number(row['last_seen_ms']))),
    }));
  }
}

function optionalText(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
