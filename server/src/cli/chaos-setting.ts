/**
 * The `chaos` setting: JSON text from `--chaos` / `REPLIMQ_CHAOS`, or an object in the config
 * file, checked by the chaos rules' own parser (chaos/chaos-spec.ts).
 */
import { ChaosSpecError, parseChaosSpec } from '../chaos/chaos-spec.js';
import type { ChaosSpec } from '../chaos/chaos-spec.js';
import { ConfigError } from './config-error.js';
import type { ValueSource } from './value-parsers.js';

export function parseChaosSetting(raw: unknown, source: ValueSource): ChaosSpec | undefined {
  let value = raw;
  if (typeof raw === 'string') {
    if (raw.trim() === '' || raw.trim() === 'off') return undefined;
    try {
      value = JSON.parse(raw);
    } catch {
      throw new ConfigError(`invalid value for ${source}: expected the chaos rules as JSON (see README, "SQS failure modes on demand")`);
    }
  }
  try {
    return parseChaosSpec(value);
  } catch (error) {
    if (error instanceof ChaosSpecError) throw new ConfigError(`invalid chaos rules in ${source}: ${error.message}`);
    throw error;
  }
}
