/**
 * A mistake in the user's flags, environment or config file. The CLI prints its message as one
 * line and exits with code 2; it never shows a stack trace.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Exit code for bad command-line input, as most Unix tools use it. */
export const USAGE_EXIT_CODE = 2;
