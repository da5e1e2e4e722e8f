/**
 * Reads a config file (JSON, or YAML, which also reads JSON) into settings for the option table
 * plus the queues to create. Keys are the options' camelCase names (`sqsPort`, `ackMode`, …);
 * an unknown key is an error, so a typo never passes silently.
 */
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { parseYaml } from '../yaml-text.js';
import type { QueueDefinition } from '../config.js';
import { ConfigError } from './config-error.js';
import { OPTIONS, type OptionSpec } from './options.js';
import { parseQueueDefinitions } from './queue-definitions.js';
import { isHoconFile } from './hocon-document.js';

export interface ConfigFileContents {
  settings: { spec: OptionSpec; raw: unknown; source: string }[];
  queues: QueueDefinition[];
}

const BY_KEY = new Map(OPTIONS.map((spec) => [spec.key, spec]));

/** A config file read ahead of `resolveConfig` (HOCON needs an asynchronous parser): its path and
 *  the document, already in replimq's shape. */
export interface PreloadedConfigFile {
  path: string;
  document: unknown;
}

export function readConfigFile(path: string, preloaded?: PreloadedConfigFile): ConfigFileContents {
  if (preloaded !== undefined && preloaded.path === path) return configFromDocument(preloaded.document, basename(path));
  if (isHoconFile(path)) {
    throw new ConfigError(`config file ${basename(path)} is HOCON (ElasticMQ's format): it is read by the replimq command (npx replimq --config ${basename(path)})`);
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new ConfigError(`cannot read config file ${path}: ${reason}`);
  }
  const name = basename(path);
  return configFromDocument(parseDocument(text, path, name), name);
}

/** A parsed config document (JSON, YAML, or ElasticMQ's HOCON translated) as settings and queues. */
export function configFromDocument(document: unknown, name: string): ConfigFileContents {
  if (document === null || document === undefined) return { settings: [], queues: [] };
  if (typeof document !== 'object' || Array.isArray(document)) {
    throw new ConfigError(`config file ${name}: the top level must be a map of settings`);
  }

  const contents: ConfigFileContents = { settings: [], queues: [] };
  for (const [key, raw] of Object.entries(document as Record<string, unknown>)) {
    if (key === 'queues') {
      contents.queues = parseQueueDefinitions(raw, `config file ${name}: queues`);
      continue;
    }
    const spec = BY_KEY.get(key);
    if (!spec) throw new ConfigError(`config file ${name}: unknown setting "${key}" (expected one of ${[...BY_KEY.keys(), 'queues'].join(', ')})`);
    contents.settings.push({ spec, raw, source: `${key} in config file ${name}` });
  }
  return contents;
}

function parseDocument(text: string, path: string, name: string): unknown {
  try {
    return extname(path).toLowerCase() === '.json' ? (JSON.parse(text) as unknown) : (parseYaml(text) as unknown);
  } catch (error) {
    const reason = ((error as Error).message.split('\n')[0] ?? '').trim();
    throw new ConfigError(`config file ${name} is not valid ${extname(path).toLowerCase() === '.json' ? 'JSON' : 'YAML'}: ${reason}`);
  }
}
