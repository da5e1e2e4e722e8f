/**
 * The bodies the workloads send. One fixed body per size, so the raw loader can pre-build its
 * requests and the ceiling can answer with a pre-computed MD5 (the SDK checks it).
 */
import { createHash } from 'node:crypto';

export const DEFAULT_BODY_BYTES = 256;

/** `bytes` characters of printable ASCII (one byte each in UTF-8). */
export function fixedBody(bytes: number): string {
  const pattern = 'replimq-bench-0123456789-abcdefghijklmnopqrstuvwxyz-';
  return pattern.repeat(Math.ceil(bytes / pattern.length)).slice(0, bytes);
}

export function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/** Batch entry ids the workloads use: `0` … `9`, the same every call. */
export const BATCH_IDS: readonly string[] = Array.from({ length: 10 }, (_, index) => String(index));
