/**
 * Where the CLI writes. Results go to stdout (so `table --json` can be piped),
 * everything else (progress, warnings, errors) to stderr.
 */
export interface CliOutput {
  result(line: string): void;
  info(line: string): void;
}

export const processOutput: CliOutput = {
  result: (line) => process.stdout.write(`${line}\n`),
  info: (line) => process.stderr.write(`${line}\n`),
};
