/** Rules every *Batch action shares: 1–10 entries, distinct well-formed ids, per-entry failures. */
import type { BatchResultErrorEntry } from './actions.js';
import { SqsError } from './errors.js';

const MAX_BATCH_ENTRIES = 10;
const BATCH_ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;

export function validateBatchEntries(entries: readonly { Id: string }[], entryShape = 'SendMessageBatchRequestEntry'): void {
  if (entries.length === 0) {
    throw new SqsError('EmptyBatchRequest', `There should be at least one ${entryShape} in the request.`);
  }
  if (entries.length > MAX_BATCH_ENTRIES) {
    throw new SqsError('TooManyEntriesInBatchRequest', `Maximum number of entries per request are ${MAX_BATCH_ENTRIES}. You have sent ${entries.length}.`);
  }
  const seen = new Set<string>();
  for (const { Id: id } of entries) {
    if (!BATCH_ENTRY_ID.test(id)) {
      throw new SqsError('InvalidBatchEntryId', 'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.');
    }
    if (seen.has(id)) throw new SqsError('BatchEntryIdsNotDistinct', `Id ${id} repeated.`);
    seen.add(id);
  }
}

export function batchFailure(id: string, error: SqsError): BatchResultErrorEntry {
  return { Id: id, SenderFault: error.fault === 'Sender', Code: error.code, Message: error.message };
}

/** Runs `attempt` per entry, sorting outcomes into Successful and Failed. */
export function runBatch<E extends { Id: string }>(
  entries: readonly E[],
  attempt: (entry: E) => void,
): { Successful: { Id: string }[]; Failed: BatchResultErrorEntry[] } {
  const output = { Successful: [] as { Id: string }[], Failed: [] as BatchResultErrorEntry[] };
  for (const entry of entries) {
    try {
      attempt(entry);
      output.Successful.push({ Id: entry.Id });
    } catch (error) {
      if (!(error instanceof SqsError)) throw error;
      output.Failed.push(batchFailure(entry.Id, error));
    }
  }
  return output;
}
