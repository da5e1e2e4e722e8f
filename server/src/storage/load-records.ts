/**
 * Loading a node's state from storage at start-up, upgrading files written before queues had
 * accounts and regions.
 *
 * Such a file keys a queue's records by its bare name (`q/orders`, `m/orders/<id>`); the engine
 * reads them as queues of the node's own account and region (records.ts). Left as they are, the
 * file would then hold two spellings of one record — the old key, and the new one every later
 * change writes — and a message deleted under the new key would come back under the old one at
 * the next start. So a file with any old key is rewritten once, in the new keys, before the node
 * applies anything.
 */
import type { QueueEngine } from '../engine/queue-engine.js';
import { isLegacyRecordKey } from '../engine/record-keys.js';
import type { Storage } from './storage.js';

export async function loadRecordsUpgrading(engine: QueueEngine, storage: Storage): Promise<void> {
  let legacy = false;
  function* watched(): IterableIterator<[string, string]> {
    for (const record of storage.loadRecords()) {
      if (!legacy && isLegacyRecordKey(record[0])) legacy = true;
      yield record;
    }
  }
  engine.importRecords(watched());
  if (legacy) await storage.replaceRecords(engine.exportRecords());
}
