/**
 * An experiment may run with SQS's own failure modes switched on (`options.chaos`). Some of them
 * produce, on purpose, what a promise check would otherwise call a violation: a duplicate or an
 * early visibility expiry redelivers after an acknowledged delete, as real SQS may; a rule with
 * `fifo: true` breaks FIFO order or deduplication because it was asked to; an error injected
 * `after` the action with a 4xx code says "failed" of a send that was done. Those checks are
 * waived — still counted and shown, never called broken.
 */
import type { ChaosSpec } from '../chaos-spec.js';
import type { PromiseCheck } from './promises.js';

export function chaosWaivers(chaos: ChaosSpec | undefined): Set<PromiseCheck> {
  const waived = new Set<PromiseCheck>();
  if (!chaos) return waived;
  if (chaos.duplicates || chaos.earlyVisibility) waived.add('redeliveredAfterDelete');
  if (chaos.duplicates?.fifo || chaos.earlyVisibility?.fifo) waived.add('dedupViolations');
  if (chaos.duplicates?.fifo || chaos.reorder?.fifo || chaos.earlyVisibility?.fifo) waived.add('orderViolations');
  if (chaos.errors?.some((rule) => rule.when === 'after' && (rule.error === 'ThrottlingException' || rule.error === 'RequestThrottled'))) waived.add('unexpected');
  return waived;
}
