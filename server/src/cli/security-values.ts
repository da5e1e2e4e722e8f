/**
 * Settings whose values are secrets or name files of secrets: the admin token (given, or read
 * from a file) and the SigV4 credentials file, read and checked while the configuration is
 * resolved so that a bad file is a one-line usage error before anything listens.
 */
import { readFileSync } from 'node:fs';
import type { SigV4Credential } from '../sqs/sigv4/credentials.js';
import { CredentialsFileError, readCredentialsFile } from '../sqs/sigv4/credentials.js';
import { ConfigError } from './config-error.js';
import { parseText, type ValueSource } from './value-parsers.js';

/** Visible ASCII without spaces: what fits an `Authorization: Bearer` header and a cookie. */
const TOKEN = /^[\x21-\x7e]{1,1024}$/;
const TOKEN_EXPECTED = 'a token of visible ASCII characters without spaces';

export function parseAdminToken(raw: unknown, source: ValueSource): string {
  return parseText(raw, source, TOKEN, TOKEN_EXPECTED);
}

export function readAdminTokenFile(raw: unknown, source: ValueSource): string {
  const path = parseText(raw, source, /\S/, 'a file path');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read the admin token file ${path} (${source}): ${(error as Error).message.split('\n')[0]}`);
  }
  const token = text.trim();
  if (!TOKEN.test(token)) throw new ConfigError(`the admin token file ${path} (${source}) must hold ${TOKEN_EXPECTED}`);
  return token;
}

export function parseCredentials(raw: unknown, source: ValueSource): SigV4Credential[] {
  const path = parseText(raw, source, /\S/, 'a file path');
  try {
    return readCredentialsFile(path);
  } catch (error) {
    if (error instanceof CredentialsFileError) throw new ConfigError(`${error.message} (${source})`);
    throw error;
  }
}
