/** Failed calls of a round: how many, and the first one's message (enough to see what broke). */
export class ErrorTally {
  count = 0;
  first: string | undefined;

  /** Bound, so it can be passed straight to `.catch`. */
  readonly record = (error: unknown): void => {
    this.count++;
    this.first ??= error instanceof Error ? error.message : String(error);
  };
}
