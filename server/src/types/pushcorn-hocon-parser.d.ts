/** The part of @pushcorn/hocon-parser (which ships no types) that replimq uses. */
declare module '@pushcorn/hocon-parser' {
  interface ParseOptions {
    text?: string;
    url?: string;
    strict?: boolean;
  }
  function parse(options: ParseOptions): Promise<unknown>;
  export default parse;
}
