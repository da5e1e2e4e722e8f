/**
 * Reads a HOCON file (ElasticMQ's `elasticmq.conf`) into a plain object with a maintained HOCON
 * parser, in strict mode (values stay as written: `5 seconds` is a string for the translator).
 *
 * ElasticMQ's own files start with `include classpath("application.conf")`: its built-in
 * defaults, which have no meaning here (replimq's defaults apply), so that include is dropped;
 * any other include is read by the parser as HOCON says.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { ConfigError } from './config-error.js';

const ELASTICMQ_DEFAULTS_INCLUDE = /^\s*include\s+classpath\(\s*"application\.conf"\s*\)\s*$/gm;

/** Files read as HOCON by their name. */
export function isHoconFile(path: string): boolean {
  return /\.(conf|hocon)$/i.test(path);
}

export async function readHoconDocument(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new ConfigError(`cannot read config file ${path}: ${reason}`);
  }
  // Loaded here, not at start-up: only an ElasticMQ config file needs the parser.
  const { default: parseHocon } = await import('@pushcorn/hocon-parser');
  try {
    return await parseHocon({ text: text.replace(ELASTICMQ_DEFAULTS_INCLUDE, ''), strict: true });
  } catch (error) {
    const reason = ((error as Error).message.split('\n')[0] ?? '').trim();
    throw new ConfigError(`config file ${basename(path)} is not valid HOCON: ${reason}`);
  }
}
