#!/usr/bin/env node
// `patchbay`: the bin of @patchbay/server (npx patchbay --help).
import { runCli } from "./cli.ts";
import { processOutput } from "./output.ts";

// stdout carries only a command's result (so `patchbay table … --json` pipes
// into other tools); what the services log on the way goes to stderr.
console.log = console.error;
console.info = console.error;

const code = await runCli(process.argv.slice(2), processOutput, process.env);
// Exit now: the run queue and the database leave timers behind that would keep the process up.
process.exit(code);
