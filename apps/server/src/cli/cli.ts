import { parseArgs } from "node:util";
import { GraphError } from "@patchbay/graph";
import { NotFoundError, StoreError } from "@patchbay/db";
import { readEnv, type ServerEnv } from "../env.ts";
import { CliError, EXIT, UsageError } from "./cli-error.ts";
import { DataDirLockedError } from "../data-dir-lock.ts";
import { exportCommand } from "./commands/export.ts";
import { graphsCommand } from "./commands/graphs.ts";
import { importCommand } from "./commands/import.ts";
import { runCommand } from "./commands/run.ts";
import { tableCommand } from "./commands/table.ts";
import { workerCommand } from "./commands/worker.ts";
import { remoteClient, remoteGraphs, remoteRun, remoteTable } from "./commands/remote.ts";
import { HELP, USAGE } from "./help.ts";
import { openCliServices, type Services } from "./open-services.ts";
import type { CliOutput } from "./output.ts";

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 100_000;

type Options = Record<string, { type: "boolean" | "string" }>;
type Parsed = { positionals: string[]; values: Record<string, string | boolean | undefined> };

/** What a command gets: its parsed command line, and the services, opened when it first asks. */
interface CommandContext {
  env: ServerEnv;
  parsed: Parsed;
  output: CliOutput;
  /** Opens the database (and, with `work`, the sandboxed workers); later calls return the same services. */
  services(options?: { work: boolean }): Promise<Services>;
}

interface Command {
  options: Options;
  args: number;
  run(context: CommandContext): Promise<number>;
}

const str = (parsed: Parsed, name: string): string | null => {
  const value = parsed.values[name];
  return typeof value === "string" ? value : null;
};
const flag = (parsed: Parsed, name: string): boolean => parsed.values[name] === true;
const arg = (parsed: Parsed, index: number): string => parsed.positionals[index] ?? "";

function limitOf(parsed: Parsed): number {
  const text = str(parsed, "limit");
  if (text === null) return DEFAULT_LIMIT;
  const limit = Number(text);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw new UsageError(`--limit must be a whole number from 1 to ${MAX_LIMIT}, not "${text}".`);
  return limit;
}

const COMMANDS: Record<string, Command> = {
  import: { options: {}, args: 1, run: (c) => importCommand(c.services, arg(c.parsed, 0), c.output) },
  export: { options: { force: { type: "boolean" } }, args: 2, run: async (c) => exportCommand(await c.services(), arg(c.parsed, 0), arg(c.parsed, 1), flag(c.parsed, "force"), c.output) },
  run: {
    options: { node: { type: "string" }, downstream: { type: "boolean" }, logs: { type: "boolean" } },
    args: 1,
    async run(c) {
      const node = str(c.parsed, "node");
      if (flag(c.parsed, "downstream") && node === null) throw new UsageError("--downstream needs --node <id>: the node to start from.");
      c.output.info("Starting the database and the sandboxed Python workers…");
      return runCommand(await c.services({ work: true }), arg(c.parsed, 0), { node, downstream: flag(c.parsed, "downstream"), logs: flag(c.parsed, "logs") }, c.output);
    },
  },
  table: {
    options: { json: { type: "boolean" }, limit: { type: "string" } },
    args: 2,
    async run(c) {
      const options = { json: flag(c.parsed, "json"), limit: limitOf(c.parsed) };
      return tableCommand(await c.services(), arg(c.parsed, 0), arg(c.parsed, 1), options, c.output);
    },
  },
  graphs: { options: { json: { type: "boolean" } }, args: 0, run: async (c) => graphsCommand(await c.services(), flag(c.parsed, "json"), c.output) },
  worker: { options: {}, args: 0, run: (c) => workerCommand(c.env, c.output) },
};

function parseCommandLine(name: string, command: Command, argv: string[]): Parsed {
  try {
    const parsed = parseArgs({ args: argv, options: { ...command.options, help: { type: "boolean", short: "h" } }, allowPositionals: true, strict: true });
    return { positionals: parsed.positionals, values: parsed.values };
  } catch (error) {
    throw new UsageError(`${error instanceof Error ? error.message : String(error)}\nUsage: ${USAGE[name] ?? name}`);
  }
}

/**
 * Runs one `patchbay` command line and returns the exit code. Errors a person
 * can act on are printed as one message; the database is always closed.
 */
export async function runCli(argv: string[], output: CliOutput, environment: NodeJS.ProcessEnv): Promise<number> {
  try {
    const [name, ...rest] = argv;
    if (name === undefined || name === "help" || name === "--help" || name === "-h") {
      const topic = name === "help" ? rest[0] : undefined;
      output.result(topic && USAGE[topic] ? `Usage: ${USAGE[topic]}\n\n${HELP}` : HELP);
      return EXIT.ok;
    }
    const command = COMMANDS[name];
    if (!command) throw new UsageError(`Unknown command "${name}". Commands: ${Object.keys(COMMANDS).join(", ")}. See patchbay --help.`);
    const parsed = parseCommandLine(name, command, rest);
    if (parsed.values["help"] === true) {
      output.result(`Usage: ${USAGE[name] ?? name}\n\nSee patchbay --help for what it does.`);
      return EXIT.ok;
    }
    if (parsed.positionals.length !== command.args) {
      throw new UsageError(`${name} takes ${command.args} argument${command.args === 1 ? "" : "s"}, got ${parsed.positionals.length}.\nUsage: ${USAGE[name] ?? name}`);
    }
    let env: ServerEnv;
    try {
      env = readEnv(environment);
    } catch (error) {
      throw new CliError(error instanceof Error ? error.message : String(error));
    }
    if (env.remote) {
      // PATCHBAY_SERVER: talk to that server's API with the API token instead of opening a database.
      const client = remoteClient(env.remote);
      if (name === "graphs") return await remoteGraphs(client, flag(parsed, "json"), output);
      if (name === "table") return await remoteTable(client, arg(parsed, 0), arg(parsed, 1), { json: flag(parsed, "json"), limit: limitOf(parsed) }, output);
      if (name === "run" && flag(parsed, "logs")) {
        throw new UsageError("--logs works on a local database only: against a server, read a run's logs in the app (its Logs tab).");
      }
      if (name === "run") return await remoteRun(client, arg(parsed, 0), { node: str(parsed, "node"), downstream: flag(parsed, "downstream") }, output);
      throw new UsageError(`"${name}" works on a local database only (DATA_DIR or DATABASE_URL); unset PATCHBAY_SERVER to use it.`);
    }
    const session: { services: Promise<Services> | null } = { services: null };
    try {
      return await command.run({
        env,
        parsed,
        output,
        services(options = { work: false }) {
          session.services ??= openCliServices(env, options);
          return session.services;
        },
      });
    } finally {
      const services = await session.services?.catch(() => null);
      await services?.close();
    }
  } catch (error) {
    if (error instanceof CliError || error instanceof GraphError || error instanceof NotFoundError || error instanceof StoreError || error instanceof DataDirLockedError) {
      output.info(`patchbay: ${error.message}`);
      return error instanceof CliError ? error.exitCode : EXIT.failed;
    }
    output.info(`patchbay: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return EXIT.failed;
  }
}
