/**
 * The fencing token of shared-db storage: the lease epoch a node won (shared-db/lease.ts). Every
 * write transaction locks the lease row and checks that the epoch is still the writer's own; a
 * node that lost the lease (paused, cut off, slow) writes nothing, however late its write
 * arrives, because the node that took over raised the epoch first.
 */
export interface Fence {
  holder: string;
  /** bigint in the database; kept as its decimal text, which is exact and what pg returns. */
  epoch: string;
}

/** A write was refused: this node does not hold the lease (any more). Nothing was written. */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
}
