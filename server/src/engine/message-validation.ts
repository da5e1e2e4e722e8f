/**
 * Checks on what a sender puts in a message: body characters, message and system attributes,
 * group and deduplication ids, and the total size against the queue's MaximumMessageSize.
 */
import type { MessageAttributeValue, MessageSystemAttributeValue } from './actions.js';
import { SqsError } from './errors.js';

// The XML 1.0 character set SQS accepts (#x9 | #xA | #xD | #x20–#xD7FF | #xE000–#xFFFD | #x10000–#x10FFFF).
// With the `u` flag a lone surrogate is a code point of its own, outside every allowed range.
const INVALID_CHARACTER = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
/** The same set as SQS's error texts spell it. */
const ALLOWED_CHARACTERS = '#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]';
const MAX_MESSAGE_ATTRIBUTES = 10;
const MAX_ATTRIBUTE_NAME_LENGTH = 256;
const MAX_DATA_TYPE_LENGTH = 256;
// Alphanumerics, '-', '_' and '.' per the developer guide, and the accented Latin letters real SQS
// also takes (recorded: LocalStack's AWS-validated test_send_message_with_invalid_string_attributes
// sends 'attr.1øßä' successfully, while '!', '"', '§', '(' and '?' are refused).
const ATTRIBUTE_NAME = /^[A-Za-z0-9_.\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u017F-]+$/;
const DATA_TYPE = /^(String|Number|Binary)(\..+)?$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const MAX_ID_LENGTH = 128;
// Alphanumerics and punctuation, as SQS allows in MessageGroupId and MessageDeduplicationId.
const GROUP_OR_DEDUPLICATION_ID = /^[A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]+$/;

/** Whether text holds a character outside the set SQS accepts (and XML 1.0 can carry). */
export function hasInvalidCharacters(text: string): boolean {
  return INVALID_CHARACTER.test(text);
}

export function validateBody(body: string): void {
  if (body.length === 0) throw new SqsError('MissingParameter', 'The request must contain the parameter MessageBody.');
  // SQS's own words (a real answer quoted in asim/nitro-plugins#437).
  if (INVALID_CHARACTER.test(body)) {
    throw new SqsError(
      'InvalidMessageContents',
      `Invalid binary character '${firstInvalidCharacter(body)}' was found in the message body, the set of allowed characters is ${ALLOWED_CHARACTERS}.`,
    );
  }
}

/** Validates user message attributes; returns their size in bytes (names, types and values). */
export function validateMessageAttributes(attributes: Readonly<Record<string, MessageAttributeValue>> | undefined): number {
  if (attributes === undefined) return 0;
  const names = Object.keys(attributes);
  if (names.length > MAX_MESSAGE_ATTRIBUTES) {
    throw new SqsError('InvalidParameterValue', `Number of message attributes [${names.length}] exceeds the allowed maximum [${MAX_MESSAGE_ATTRIBUTES}].`);
  }
  let size = 0;
  for (const name of names) {
    validateAttributeName(name);
    size += attributeSize(name, attributes[name] as MessageAttributeValue);
  }
  return size;
}

/** Validates MessageSystemAttributes (only AWSTraceHeader exists). */
export function validateSystemAttributes(attributes: Readonly<Record<string, MessageSystemAttributeValue>> | undefined): void {
  if (attributes === undefined) return;
  for (const [name, value] of Object.entries(attributes)) {
    if (name !== 'AWSTraceHeader') {
      throw new SqsError('InvalidParameterValue', `Message system attribute name '${name}' is invalid.`);
    }
    if (value.DataType !== 'String' || value.StringValue === undefined || value.StringValue.length === 0) {
      throw new SqsError('InvalidParameterValue', `Message system attribute '${name}' must be of type String with a non-empty value.`);
    }
    if (INVALID_CHARACTER.test(value.StringValue)) throw invalidAttributeCharacter('system', name, value.StringValue);
  }
}

/** Recorded SQS words the limit differently for a batch entry: "One or more parameters cannot be
 *  validated." where SendMessage says "… are invalid." (LocalStack's AWS-validated
 *  test_send_batch_message_size and test_send_oversized_message). */
export function validateMessageSize(bodyBytes: number, attributeBytes: number, maximum: number, inBatch = false): void {
  if (bodyBytes + attributeBytes > maximum) {
    const lead = inBatch ? 'One or more parameters cannot be validated.' : 'One or more parameters are invalid.';
    throw new SqsError('InvalidParameterValue', `${lead} Reason: Message must be shorter than ${maximum} bytes.`);
  }
}

export function validateDelaySeconds(delay: number): void {
  if (!Number.isInteger(delay) || delay < 0 || delay > 900) {
    throw new SqsError('InvalidParameterValue', `Value ${delay} for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.`);
  }
}

/** MessageGroupId / MessageDeduplicationId: 1–128 alphanumerics and punctuation. */
export function validateGroupOrDeduplicationId(parameter: 'MessageGroupId' | 'MessageDeduplicationId', value: string): void {
  if (value.length === 0 || value.length > MAX_ID_LENGTH || !GROUP_OR_DEDUPLICATION_ID.test(value)) {
    throw new SqsError(
      'InvalidParameterValue',
      `Value ${value} for parameter ${parameter} is invalid. Reason: ${parameter} can only include alphanumeric and punctuation characters. 1 to 128 in length.`,
    );
  }
}

function validateAttributeName(name: string): void {
  const lower = name.toLowerCase();
  const invalid = name.length === 0 || name.length > MAX_ATTRIBUTE_NAME_LENGTH || !ATTRIBUTE_NAME.test(name)
    || name.startsWith('.') || name.endsWith('.') || name.includes('..')
    || lower.startsWith('aws.') || lower.startsWith('amazon.');
  if (invalid) {
    throw new SqsError(
      'InvalidParameterValue',
      `Message (user) attribute name '${name}' is invalid. Names may contain alphanumerics, hyphens, underscores and periods (not leading, trailing or consecutive), must not start with AWS. or Amazon., and be 1 to 256 in length.`,
    );
  }
}

function attributeSize(name: string, value: MessageAttributeValue): number {
  // The model has list values "reserved for future use"; SQS refuses them as unsupported.
  if ((value.StringListValues?.length ?? 0) > 0 || (value.BinaryListValues?.length ?? 0) > 0) {
    throw new SqsError('UnsupportedOperation', 'Message attribute list values in SendMessage operation are not supported.');
  }
  const dataType = value.DataType ?? '';
  if (dataType.length === 0) {
    throw new SqsError('InvalidParameterValue', `The message attribute '${name}' must contain non-empty message attribute type.`);
  }
  const match = DATA_TYPE.exec(dataType);
  if (match === null || dataType.length > MAX_DATA_TYPE_LENGTH) {
    throw new SqsError(
      'InvalidParameterValue',
      `The type of message (user) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`,
    );
  }
  if (INVALID_CHARACTER.test(dataType)) throw invalidAttributeCharacter('user', name, dataType);
  const base = match[1] as 'String' | 'Number' | 'Binary';
  let valueBytes: number;
  if (base === 'Binary') {
    if (value.BinaryValue === undefined || value.BinaryValue.length === 0) throw emptyValue(name, base);
    valueBytes = Buffer.byteLength(value.BinaryValue, 'base64');
  } else {
    const text = value.StringValue;
    if (text === undefined || text.length === 0) throw emptyValue(name, base);
    if (INVALID_CHARACTER.test(text)) throw invalidAttributeCharacter('user', name, text);
    if (base === 'Number' && !isSqsNumber(text)) {
      throw new SqsError('InvalidParameterValue', `Can't cast the value of message (user) attribute '${name}' to a number.`);
    }
    valueBytes = Buffer.byteLength(text, 'utf8');
  }
  return Buffer.byteLength(name, 'utf8') + Buffer.byteLength(dataType, 'utf8') + valueBytes;
}

/**
 * A character outside the allowed set in an attribute is InvalidParameterValue (recorded SQS:
 * LocalStack's AWS-validated test_invalid_string_attributes_cause_invalid_parameter_value_error);
 * InvalidMessageContents is the body's error. No recording shows the text, so it follows the
 * body's wording (validateBody), naming the attribute.
 */
function invalidAttributeCharacter(kind: 'user' | 'system', name: string, text: string): SqsError {
  return new SqsError(
    'InvalidParameterValue',
    `Invalid binary character '${firstInvalidCharacter(text)}' was found in the value of message (${kind}) attribute '${name}', the set of allowed characters is ${ALLOWED_CHARACTERS}.`,
  );
}


/** The first refused character as SQS names it: `#x` and its code point in hex. */
function firstInvalidCharacter(text: string): string {
  const match = INVALID_CHARACTER.exec(text);
  return `#x${(match?.[0].codePointAt(0) ?? 0).toString(16).toUpperCase()}`;
}

function emptyValue(name: string, type: string): SqsError {
  return new SqsError('InvalidParameterValue', `Message (user) attribute '${name}' must contain a non-empty value of type '${type}'.`);
}

/** SQS numbers: up to 38 significant digits, from -10^128 to +10^126. */
function isSqsNumber(text: string): boolean {
  const trimmed = text.trim();
  if (!NUMBER.test(trimmed)) return false;
  const digits = trimmed.replace(/[eE].*$/, '').replace(/[^0-9]/g, '').replace(/^0+/, '');
  if (digits.length > 38) return false;
  const value = Number(trimmed);
  return Number.isFinite(value) && value >= -1e128 && value <= 1e126;
}
