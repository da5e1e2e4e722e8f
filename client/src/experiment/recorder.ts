/**
 * Collects the history while the experiment runs: operation ids are taken at invocation, so the
 * history's order is the order operations were invoked in; totals feed the progress line.
 */
import type { FaultRecord, OperationRecord, Outcome } from './history.js';

export type OperationDraft = Omit<OperationRecord, 'id' | 'invokeMs' | 'completeMs' | 'outcome'>;

export class HistoryRecorder {
  readonly operations: OperationRecord[] = [];
  readonly faults: FaultRecord[] = [];
  readonly totals: Record<Outcome, number> = { ok: 0, fail: 0, unknown: 0 };
  private nextId = 0;
  private readonly origin = performance.now();

  /** ms since the workload started, to a tenth. */
  now(): number {
    return Math.round((performance.now() - this.origin) * 10) / 10;
  }

  /** Runs `perform` as one operation and records it with its outcome and times. */
  async record(
    draft: OperationDraft,
    perform: () => Promise<Pick<OperationRecord, 'outcome'> & Partial<OperationRecord>>,
  ): Promise<OperationRecord> {
    const id = this.nextId++;
    const invokeMs = this.now();
    const result = await perform();
    const record: OperationRecord = { id, ...draft, invokeMs, completeMs: this.now(), ...result };
    this.operations.push(record);
    this.totals[record.outcome] += 1;
    return record;
  }

  /** The operations in invocation order. */
  sortedOperations(): OperationRecord[] {
    return [...this.operations].sort((a, b) => a.id - b.id);
  }
}
