/**
 * Logging in the `debug` package's manner, without depending on it: silent unless the `DEBUG`
 * environment variable enables the namespace (`DEBUG=replimq*`, `DEBUG=replimq:cluster`), lines
 * to stderr prefixed with the namespace.
 */
export type DebugLog = (message: string) => void;

export function debugLog(namespace: string): DebugLog {
  if (!isEnabled(namespace, process.env.DEBUG ?? '')) return () => {};
  return (message) => process.stderr.write(`${new Date().toISOString()} ${namespace} ${message}\n`);
}

/** `debug`'s syntax: comma- or space-separated patterns, `*` wildcards, `-pattern` excludes. */
export function isEnabled(namespace: string, patterns: string): boolean {
  let enabled = false;
  for (const pattern of patterns.split(/[\s,]+/).filter(Boolean)) {
    const excluded = pattern.startsWith('-');
    const glob = excluded ? pattern.slice(1) : pattern;
    if (globToRegExp(glob).test(namespace)) {
      if (excluded) return false;
      enabled = true;
    }
  }
  return enabled;
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}
