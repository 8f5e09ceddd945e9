// A CLI command: parses its own argv, returns the exit code.
export interface Command {
  name: string;
  summary: string;
  run(argv: string[]): Promise<number>;
}
