/** Queue tag rules: at most 50 per queue, keys 1–128 characters, values up to 256. */
import { SqsError } from './errors.js';
import { hasInvalidCharacters } from './message-validation.js';

const MAX_TAGS = 50;
const MAX_KEY_LENGTH = 128;
const MAX_VALUE_LENGTH = 256;

export function validateTags(tags: Readonly<Record<string, string>>): void {
  for (const [key, value] of Object.entries(tags)) {
    if (key.length === 0 || key.length > MAX_KEY_LENGTH) {
      throw new SqsError('InvalidParameterValue', `Tag key must be between 1 and ${MAX_KEY_LENGTH} characters long: '${key}'.`);
    }
    if (typeof value !== 'string' || value.length > MAX_VALUE_LENGTH) {
      throw new SqsError('InvalidParameterValue', `Tag value must be at most ${MAX_VALUE_LENGTH} characters long for key '${key}'.`);
    }
    if (hasInvalidCharacters(key) || hasInvalidCharacters(value)) {
      throw new SqsError('InvalidParameterValue', 'Tag keys and values can only contain valid Unicode characters.');
    }
  }
}

/** The tags after merging `added` into `current`, checked against the per-queue limit. */
export function mergeTags(queueName: string, current: Readonly<Record<string, string>>, added: Readonly<Record<string, string>>): Record<string, string> {
  validateTags(added);
  const merged = { ...current, ...added };
  if (Object.keys(merged).length > MAX_TAGS) {
    throw new SqsError('InvalidParameterValue', `Too many tags added for queue ${queueName}.`);
  }
  return merged;
}
