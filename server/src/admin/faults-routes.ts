/**
 * `GET /faults`, `POST /faults` (replace the rules; body documented in faults.ts and the README)
 * and `DELETE /faults` (heal): the admin endpoints of fault injection.
 */
import { json, type AdminRoute } from './admin-route.js';
import { FaultSpecError, parseFaultSpec, type FaultInjector } from './faults.js';
import type { Logger } from '../log.js';

/** `members`: the node ids rules may name, asked at each change (the configuration changes at runtime). */
export function faultRoutes(faults: FaultInjector, members: readonly string[] | (() => readonly string[]), logger: Logger): AdminRoute[] {
  return [
    { method: 'GET', path: '/faults', handle: () => json(200, faults.current()) },
    {
      method: 'POST',
      path: '/faults',
      handle: (request) => {
        try {
          // No body at all means "no rules"; a JSON `null` is a malformed body, like any non-object.
          const state = faults.set(parseFaultSpec(request.body === undefined ? {} : request.body, typeof members === 'function' ? members() : members));
          logger.info('fault rules set', { rules: JSON.stringify(state) });
          return json(200, state);
        } catch (error) {
          if (error instanceof FaultSpecError) return json(400, { error: error.message });
          throw error;
        }
      },
    },
    {
      method: 'DELETE',
      path: '/faults',
      handle: () => {
        logger.info('fault rules cleared');
        return json(200, faults.clear());
      },
    },
  ];
}
