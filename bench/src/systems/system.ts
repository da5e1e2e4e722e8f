/**
 * A system under test: something that speaks SQS on 127.0.0.1 and runs in processes of its own,
 * so its CPU and memory can be read from /proc apart from the loader's.
 */
export interface RunningSystem {
  /** `http://127.0.0.1:<port>`: where the loader sends SQS requests. */
  readonly endpoint: string;
  /** Every server process: CPU and memory figures are summed over them. */
  readonly pids: readonly number[];
  /** Admin base URLs of cluster nodes, sampled for replication lag; empty for a single process. */
  readonly adminUrls: readonly string[];
  /** Multi-node systems: kill the leader and time until a survivor acknowledges a write (ms).
   *  Leaves the system one node short: the last thing done with it. */
  failover?(): Promise<number>;
  stop(): Promise<void>;
}

export interface SystemDefinition {
  /** Short stable name used in tables, JSON and `--systems`. */
  readonly name: string;
  /** Nodes in the system (1 for single processes): a scale dimension. */
  readonly nodes: number;
  /** Why this system cannot run in this checkout, or undefined when it can. */
  unavailable(): string | undefined;
  /** Why this system cannot run the given workload, or undefined when it can. */
  unsupported(workload: string): string | undefined;
  start(): Promise<RunningSystem>;
}
