/**
 * `GET /chaos` (the rules in force and how often each fired), `POST /chaos` (replace the rules;
 * body in chaos-spec.ts and the README) and `DELETE /chaos` (off): this node's SQS failure modes.
 */
import { json, type AdminRoute } from '../admin/admin-route.js';
import type { Logger } from '../log.js';
import type { ChaosService } from './chaos-service.js';
import { ChaosSpecError, parseChaosSpec } from './chaos-spec.js';

export function chaosRoutes(chaos: ChaosService, logger: Logger): AdminRoute[] {
  return [
    { method: 'GET', path: '/chaos', handle: () => json(200, chaos.current()) },
    {
      method: 'POST',
      path: '/chaos',
      handle: (request) => {
        try {
          const state = chaos.set(parseChaosSpec(request.body === undefined ? {} : request.body));
          logger.info('chaos rules set', { rules: JSON.stringify(state.rules) });
          return json(200, state);
        } catch (error) {
          if (error instanceof ChaosSpecError) return json(400, { error: error.message });
          throw error;
        }
      },
    },
    {
      method: 'DELETE',
      path: '/chaos',
      handle: () => {
        logger.info('chaos rules cleared');
        return json(200, chaos.clear());
      },
    },
  ];
}
