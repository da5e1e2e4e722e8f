/**
 * The action a request names, as the table's own string. The name read from a header or a form
 * is a fresh string on every request; the table's constant is interned, so every later
 * comparison and keyed lookup on `request.action` (shape table, engine dispatch, metrics labels)
 * is a pointer check instead of a string walk or a string-table lookup.
 */
import { ACTION_NAMES, type ActionName } from '../engine/actions.js';

const JSON_TARGET_PREFIX = 'AmazonSQS.';

const BY_NAME: ReadonlyMap<string, ActionName> = new Map(ACTION_NAMES.map((name) => [name, name]));
const BY_JSON_TARGET: ReadonlyMap<string, ActionName> = new Map(ACTION_NAMES.map((name) => [JSON_TARGET_PREFIX + name, name]));

/** `SendMessage` → the SQS action of that name, if it is one. */
export function sqsActionNamed(name: string): ActionName | undefined {
  return BY_NAME.get(name);
}

/** `AmazonSQS.SendMessage` (AWS JSON 1.0's `X-Amz-Target`) → its SQS action, if it names one. */
export function sqsActionOfTarget(target: string): ActionName | undefined {
  return BY_JSON_TARGET.get(target);
}
