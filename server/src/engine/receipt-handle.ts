/**
 * Receipt handles: `base64url("r1:" + messageId + ":" + nonce)`. The message id finds the
 * message in O(1); the nonce (one leader-made random value per receive) tells the latest
 * receive from earlier ones. Both are replicated state, so a handle works on every node.
 */
import { RecentHandles } from './recent-handles.js';

const PREFIX = 'r1:';
const MAX_HANDLE_LENGTH = 1024;

export interface ReceiptHandle {
  readonly messageId: string;
  readonly nonce: string;
}

/** A compact nonce from a leader-made UUID. */
export function nonceFrom(randomValue: string): string {
  return randomValue.replace(/-/g, '');
}

/** Handles made by this process lately (every node renders the receives it applies): the last
 *  256–512, i.e. the last 25–50 receives of ten — a consumer deleting what it just received —
 *  well under 200 KB. */
const recent = new RecentHandles<ReceiptHandle>(256);
/** Parts that decode back to themselves: ASCII (the UTF-8 round trip is the identity), no colon
 *  (the decoder splits at the last one), not empty (the decoder refuses an empty part). Leader-made
 *  ids and nonces always are; anything else is simply not remembered. */
const PLAIN_PART = /^[0-9A-Za-z-]+$/;

export function encodeReceiptHandle(messageId: string, nonce: string): string {
  const handle = Buffer.from(`${PREFIX}${messageId}:${nonce}`, 'utf8').toString('base64url');
  if (handle.length <= MAX_HANDLE_LENGTH && PLAIN_PART.test(messageId) && PLAIN_PART.test(nonce)) {
    recent.remember(handle, { messageId, nonce });
  }
  return handle;
}

/** The handle's parts, or undefined for anything replimq did not make. */
export function decodeReceiptHandle(handle: string): ReceiptHandle | undefined {
  return recent.recall(handle) ?? decodeText(handle);
}

function decodeText(handle: string): ReceiptHandle | undefined {
  if (handle.length === 0 || handle.length > MAX_HANDLE_LENGTH || !/^[A-Za-z0-9_-]+$/.test(handle)) return undefined;
  const text = Buffer.from(handle, 'base64url').toString('utf8');
  if (!text.startsWith(PREFIX)) return undefined;
  const rest = text.slice(PREFIX.length);
  const colon = rest.lastIndexOf(':');
  if (colon <= 0 || colon === rest.length - 1) return undefined;
  return { messageId: rest.slice(0, colon), nonce: rest.slice(colon + 1) };
}
