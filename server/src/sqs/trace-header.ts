/**
 * The `X-Amzn-Trace-Id` HTTP header of a SendMessage or SendMessageBatch request becomes the
 * `AWSTraceHeader` system attribute of every message it sends that does not set one itself, as
 * real SQS does (recorded: a header-only send is received with `Attributes.AWSTraceHeader`).
 * Done at the HTTP edge, before the engine: the attribute is then replicated, validated and
 * stored like one the client set explicitly.
 */
import type { MessageSystemAttributeValue, SqsRequest } from '../engine/actions.js';

type SystemAttributes = Record<string, MessageSystemAttributeValue>;

export function applyTraceHeader(request: SqsRequest, header: string | string[] | undefined): void {
  const trace = Array.isArray(header) ? header[0] : header;
  if (trace === undefined || trace.length === 0) return;
  if (request.action === 'SendMessage') {
    request.input.MessageSystemAttributes = withTrace(request.input.MessageSystemAttributes, trace);
  } else if (request.action === 'SendMessageBatch') {
    for (const entry of request.input.Entries ?? []) entry.MessageSystemAttributes = withTrace(entry.MessageSystemAttributes, trace);
  }
}

function withTrace(attributes: SystemAttributes | undefined, trace: string): SystemAttributes {
  if (attributes?.['AWSTraceHeader'] !== undefined) return attributes;
  return { ...attributes, AWSTraceHeader: { DataType: 'String', StringValue: trace } };
}
