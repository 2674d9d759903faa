/**
 * Entry of the one-off child process that makes the runtime's memory
 * snapshot: boots Pyodide, imports the patterns runtime and what every run
 * needs, and sends the snapshot bytes to the parent over IPC. It runs no node
 * code, but gets the same permission model as a sandbox worker.
 */
import "./permission-shim.ts";
import { createPyodide } from "./create-pyodide.ts";

const send = process.send?.bind(process);
const pyodideDir = process.argv[2];
if (!send || !pyodideDir) throw new Error("snapshot-maker.ts must be started by makeRuntimeSnapshot");

const pyodide = await createPyodide({ indexURL: pyodideDir, makeSnapshot: true });
// Modules every run (or the package step before it) uses, so they are part of
// the snapshot and of the state each run is reset to.
pyodide.runPython(`
import importlib.util, json, linecache, traceback, datetime, decimal, uuid, math
import pyodide.code, pyodide._package_loader
import patterns._runner
patterns._runner.missing_imports("import json")
patterns._runner.capture_baseline()
`);
const snapshot = pyodide.makeMemorySnapshot();
send({ type: "snapshot", bytes: snapshot }, () => process.exit(0));
