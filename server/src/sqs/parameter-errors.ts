/**
 * The wire-shape errors both protocols raise while decoding, worded as SQS words them.
 */
import { SqsError } from '../engine/errors.js';

export function missingParameter(name: string): SqsError {
  return new SqsError('MissingParameter', `The request must contain the parameter ${name}.`);
}

/**
 * What SQS answers when an AWS JSON request lacks a top-level required member. Real SQS was
 * recorded answering a request without QueueUrl as if it named no queue (QueueDoesNotExist), and
 * one without QueueName with InvalidParameterValue; every other member is MissingParameter.
 */
export function missingJsonMember(name: string): SqsError {
  if (name === 'QueueUrl') return new SqsError('QueueDoesNotExist', 'The specified queue does not exist.');
  if (name === 'QueueName') {
    return new SqsError('InvalidParameterValue', 'Value for parameter QueueName is invalid. Reason: Must specify a queue name.');
  }
  return missingParameter(name);
}

/** A Query parameter that is not the number (or boolean) its member needs. */
export function invalidParameterValue(name: string, value: string, reason: string): SqsError {
  return new SqsError('InvalidParameterValue', `Value ${value} for parameter ${name} is invalid. Reason: ${reason}`);
}

/** A request that carries nothing at all: not an SQS call SQS could name. */
export function unrecognizedRequest(): SqsError {
  return new SqsError('UnrecognizedRequest', 'The request names no operation.');
}

export function unknownAction(action: string): SqsError {
  if (action === '') return new SqsError('MissingAction', 'The request must contain an Action parameter.');
  return new SqsError('InvalidAction', `The action ${action} is not valid for this endpoint.`);
}
