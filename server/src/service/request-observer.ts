/** Hears how each SQS request ended (metrics). Kept as an interface so the service does not
 *  depend on the admin layer that renders the numbers. */
import type { ActionName, ActionOutput } from '../engine/actions.js';

/** `ok` or the `SqsError` code the request failed with (`InternalFailure` for anything else). */
export type RequestOutcome = string;

export interface RequestObserver {
  /** `seconds`: from the decoded request reaching the service to its answer or error. */
  requestDone<A extends ActionName>(action: A, outcome: RequestOutcome, seconds: number, output?: ActionOutput<A>): void;
}

export const ignoreRequests: RequestObserver = { requestDone: () => undefined };
