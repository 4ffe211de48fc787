/** What every command gets: parsed flags and where to write. */
export interface CommandContext {
  args: string[];
  flags: Record<string, string | boolean | undefined>;
  json: boolean;
  out: (line: string) => void;
  err: (line: string) => void;
}
