/**
 * The wire-shape errors both protocols raise while decoding, worded as SQS words them.
 */
import { SqsError } from '../engine/errors.js';

export function missingParameter(name: string): SqsError {
  return new SqsError('MissingParameter', `The request must contain the parameter ${name}.`);
}

/** A Query parameter that is not the number (or boolean) its member needs. */
export function invalidParameterValue(name: string, value: string, reason: string): SqsError {
  return new SqsError('InvalidParameterValue', `Value ${value} for parameter ${name} is invalid. Reason: ${reason}`);
}

export function unknownAction(action: string): SqsError {
  if (action === '') return new SqsError('MissingAction', 'The request must contain an Action parameter.');
  return new SqsError('InvalidAction', `The action ${action} is not valid for this endpoint.`);
}
