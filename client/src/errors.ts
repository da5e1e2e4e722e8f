/**
 * Every error the testkit throws. Messages name what was awaited or asserted and what was seen,
 * so a failing test explains itself without a debugger.
 */
export class ReplimqTestkitError extends Error {
  override readonly name: string = 'ReplimqTestkitError';
}

/** An argument to a `withX()` or cluster method was out of range: thrown at once, not at start. */
export class InvalidOptionError extends ReplimqTestkitError {
  override readonly name = 'InvalidOptionError';
}

/** Something awaited did not happen in time (`what` says what). */
export class WaitTimeoutError extends ReplimqTestkitError {
  override readonly name = 'WaitTimeoutError';
}

/** A node did not become healthy; carries its last log lines. */
export class NodeStartError extends ReplimqTestkitError {
  override readonly name = 'NodeStartError';
  constructor(
    message: string,
    readonly nodeId: string,
    readonly lastLogLines: readonly string[],
    options?: ErrorOptions,
  ) {
    super(`${message}${lastLogLines.length ? `\nlast log lines of ${nodeId}:\n  ${lastLogLines.join('\n  ')}` : ''}`, options);
  }
}

/**
 * The image is neither on the Docker engine nor pullable: thrown before any container or network
 * is made, naming the image and how to get it (rather than one "did not become healthy" per node).
 */
export class ImageUnavailableError extends ReplimqTestkitError {
  override readonly name = 'ImageUnavailableError';
  constructor(
    message: string,
    readonly image: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A cluster did not form: names the node that did not join and quotes its last log lines. */
export class ClusterFormationError extends ReplimqTestkitError {
  override readonly name = 'ClusterFormationError';
  constructor(
    message: string,
    /** 1-based number of the node that did not join. */
    readonly nodeNumber: number,
    readonly lastLogLines: readonly string[],
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A replication assertion (`expectReplicated`, `expectAckModeHolds`, `expectConverged`) failed. */
export class ReplicationAssertionError extends ReplimqTestkitError {
  override readonly name = 'ReplicationAssertionError';
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
