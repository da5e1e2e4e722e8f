/**
 * testcontainers' reaper (Ryuk), used where it can be had, never switched off for the user.
 *
 * The testkit used to set TESTCONTAINERS_RYUK_DISABLED at import, which took the reaper away from
 * every other container of the same test run. Now the user's setting stands: disabled, and
 * testcontainers gives every container a no-op reaper; enabled (the default), and the testkit asks
 * testcontainers for the reaper once per process. When that fails — its image cannot be pulled
 * where no registry answers, which testcontainers reports as a failed start of every container —
 * the testkit's containers start without one (`withAutoCleanup(false)`), and only they: what the
 * testkit started, its own cleanup removes (stop(), exit-cleanup.ts, orphan-sweep.ts).
 */
import { LABEL_TESTCONTAINERS_SESSION_ID, getContainerRuntimeClient, getReaper } from 'testcontainers';
import { debugLog } from './debug-log.js';
import { describeError } from './errors.js';

export type ReaperSession =
  /** Ryuk runs: label containers and networks with its session, and it removes them too. */
  | { kind: 'ryuk'; sessionId: string }
  /** The user disabled Ryuk: testcontainers handles that itself. */
  | { kind: 'disabled' }
  /** Ryuk could not be started: start the testkit's containers without it. */
  | { kind: 'unavailable'; reason: string };

const log = debugLog('replimq:cleanup');
let session: Promise<ReaperSession> | undefined;

export function reaperSession(): Promise<ReaperSession> {
  session ??= findReaper();
  return session;
}

/** Labels that hand a network the testkit creates to the reaper, when there is one. */
export function reaperLabels(found: ReaperSession): Record<string, string> {
  return found.kind === 'ryuk' ? { [LABEL_TESTCONTAINERS_SESSION_ID]: found.sessionId } : {};
}

async function findReaper(): Promise<ReaperSession> {
  if (process.env.TESTCONTAINERS_RYUK_DISABLED === 'true') {
    log('Ryuk disabled by TESTCONTAINERS_RYUK_DISABLED: the testkit removes what it starts');
    return { kind: 'disabled' };
  }
  try {
    const reaper = await getReaper(await getContainerRuntimeClient());
    log(`Ryuk ${reaper.containerId.slice(0, 12)} reaps session ${reaper.sessionId}`);
    return { kind: 'ryuk', sessionId: reaper.sessionId };
  } catch (error) {
    const reason = describeError(error).trim();
    log(`Ryuk unavailable (${reason}): the testkit's containers start without it and the testkit removes them`);
    return { kind: 'unavailable', reason };
  }
}
