import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Tally } from "./tally.ts";

// Hostile app folders imported through the real CLI (`patchbay import <dir>`
// on a temporary DATA_DIR): each is refused with exit code 1 and a message
// naming the file (and key or line), before the database is even opened, so
// nothing is imported. The importer's own rules are unit-tested in
// packages/graph/test/graph-yml-validation.test.ts; here the filesystem
// (links, absolute paths, pipes, huge files) and the whole command are.

const tally = new Tally("imports");
afterAll(() => tally.save());

const REPO = fileURLToPath(new URL("../../../../", import.meta.url));
const MAIN = join(REPO, "apps/server/src/cli/main.ts");
const CLI_TIMEOUT_MS = 90_000;

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

let dataDir: string;
let scratch: string;
let outside: string;

function cli(...args: string[]): Promise<CliResult> {
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], { cwd: REPO, env: { ...inherited, DATA_DIR: dataDir, SEED_EXAMPLE: "false", WORKERS: "1" } });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), CLI_TIMEOUT_MS);
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** A folder `name` in the scratch area with these files (text, or a link when the value is { link }). */
function appFolder(name: string, files: Record<string, string | { link: string } | { fifo: true } | { dir: true }>): string {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    const full = join(dir, path);
    mkdirSync(join(full, ".."), { recursive: true });
    if (typeof content === "string") writeFileSync(full, content);
    else if ("link" in content) symlinkSync(content.link, full);
    else if ("fifo" in content) spawnSync("mkfifo", [full]);
    else mkdirSync(full);
  }
  return dir;
}

const oneFunction = (nodeFile: string) => `title: T\nfunctions:\n- id: a\n  node_file: ${nodeFile}\n`;

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), "patchbay-hostile-import-data-"));
  scratch = mkdtempSync(join(tmpdir(), "patchbay-hostile-import-"));
  // A file and a folder outside every app folder, which no import may read.
  outside = mkdtempSync(join(tmpdir(), "patchbay-hostile-outside-"));
  writeFileSync(join(outside, "secret.py"), "SECRET = 'outside the app'\n");
  writeFileSync(join(outside, "graph.yml"), oneFunction("secret.py"));
});

afterAll(() => {
  for (const dir of [dataDir, scratch, outside]) if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("hostile app folders through `patchbay import`", () => {
  it("refuses each one with exit code 1 and a message naming the file, before opening the database", async () => {
    const bigNode = "x = 1\n".repeat(1_800_000); // 10.8 MB: more than any file may hold
    const deepYaml = `title: T\nextra: ${"[".repeat(50_000)}${"]".repeat(50_000)}\n`;
    const manyNodes = `title: T\nstores:\n${Array.from({ length: 5_001 }, (_, i) => `- {id: s${i}, table: t${i}}`).join("\n")}\n`;
    const mergeBomb = ["title: T", "a: &a {k0: x, k1: x, k2: x, k3: x, k4: x, k5: x, k6: x, k7: x, k8: x, k9: x}", "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]", "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]", "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]", "e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]"].join("\n");
    const cases: { name: string; files: Parameters<typeof appFolder>[1]; message: RegExp }[] = [
      { name: "malformed YAML", files: { "graph.yml": "title: T\nfunctions:\n  - id: a\n   node_file: x.py\n" }, message: /graph\.yml, line \d+: YAML syntax error/ },
      { name: "a tab-indented, half-quoted YAML", files: { "graph.yml": 'title: "T\nfunctions:\n\t- id: a\n' }, message: /graph\.yml.*YAML syntax error/ },
      { name: "a YAML alias bomb of mappings", files: { "graph.yml": mergeBomb }, message: /graph\.yml: uses YAML aliases \(\*name\) that expand too far/ },
      { name: "YAML nested 50,000 deep", files: { "graph.yml": deepYaml }, message: /graph\.yml: nests lists and mappings too deeply to be read \(at most 64 levels/ },
      { name: "YAML nested 100 deep", files: { "graph.yml": `title: T\nextra: ${"[".repeat(100)}${"]".repeat(100)}\n` }, message: /graph\.yml.*(nested|deep|levels)/i },
      { name: "a graph.yml over 1,000,000 characters", files: { "graph.yml": `title: T\n#${"x".repeat(1_500_000)}\n` }, message: /graph\.yml.*more than 1,000,000 characters/ },
      { name: "a 10 MB node file", files: { "graph.yml": oneFunction("big.py"), "big.py": bigNode }, message: /big\.py in .* is 10\.8 MB; a file of an app may have at most 1,000,000 characters/ },
      { name: "5,001 nodes", files: { "graph.yml": manyNodes }, message: /graph\.yml.*declares 5001 functions, stores and docs; a graph may hold at most 5000/ },
      { name: "duplicate ids", files: { "graph.yml": "title: T\nfunctions:\n- id: a\n  node_file: a.py\n- id: a\n  node_file: a.py\n", "a.py": "print(1)\n" }, message: /graph\.yml, line \d+ \(functions\[1\]\.id\): "a" is used by another function/ },
      { name: "node_file ../", files: { "graph.yml": oneFunction("../secret.py") }, message: /graph\.yml, line 4 \(functions\[0\]\.node_file\): "\.\.\/secret\.py" uses "\.\."/ },
      { name: "node_file deep ../", files: { "graph.yml": oneFunction("sub/../../../../../etc/passwd.py") }, message: /functions\[0\]\.node_file.*"\.\."/ },
      { name: "an absolute node_file", files: { "graph.yml": oneFunction(join(outside, "secret.py")) }, message: /graph\.yml, line 4 \(functions\[0\]\.node_file\).*(absolute|relative)/i },
      { name: "a Windows-style ..\\ node_file", files: { "graph.yml": oneFunction("..\\\\secret.py") }, message: /functions\[0\]\.node_file/ },
      { name: "a node_file linking outside", files: { "graph.yml": oneFunction("leak.py"), "leak.py": { link: join(outside, "secret.py") } }, message: /leak\.py in .* links to .*outside the app folder/ },
      { name: "a folder linking outside", files: { "graph.yml": oneFunction("lib/secret.py"), lib: { link: outside } }, message: /lib\/secret\.py in .* links to .*outside the app folder/ },
      { name: "graph.yml itself linking outside", files: { "graph.yml": { link: join(outside, "graph.yml") } }, message: /graph\.yml in .* links to .*outside the app folder/ },
      { name: "a readme linking outside", files: { "graph.yml": "title: T\ndescription_file: README.md\n", "README.md": { link: join(outside, "secret.py") } }, message: /README\.md in .* links to .*outside the app folder/ },
      { name: "a node_file that is a named pipe", files: { "graph.yml": oneFunction("pipe.py"), "pipe.py": { fifo: true } }, message: /pipe\.py in .* is not a file/ },
      { name: "a node_file that is a folder", files: { "graph.yml": oneFunction("dir.py"), "dir.py": { dir: true } }, message: /dir\.py in .* is not a file/ },
      { name: "a node_file that is not UTF-8", files: { "graph.yml": oneFunction("bin.py"), "bin.py": "\u00ff" }, message: /bin\.py/ },
      { name: "a missing node_file", files: { "graph.yml": oneFunction("nowhere.py") }, message: /names the file "nowhere\.py", which is not in the app folder/ },
    ];
    // The non-UTF-8 file: written as raw bytes.
    const results: { name: string; result: CliResult; message: RegExp }[] = [];
    // Two at a time: the machine has two cores and other suites run alongside.
    for (let i = 0; i < cases.length; i += 2) {
      const batch = cases.slice(i, i + 2);
      const done = await Promise.all(
        batch.map(async (attempt) => {
          const dir = appFolder(attempt.name.replace(/[^a-z0-9]+/gi, "-"), attempt.files);
          if (attempt.name.includes("not UTF-8")) writeFileSync(join(dir, "bin.py"), Buffer.from([0xff, 0xfe, 0x00, 0xc3]));
          tally.attempt();
          return { name: attempt.name, result: await cli("import", dir), message: attempt.message };
        }),
      );
      results.push(...done);
    }
    for (const { name, result, message } of results) {
      expect({ name, code: result.code, stdout: result.stdout }, result.stderr).toEqual({ name, code: 1, stdout: "" });
      expect(result.stderr, name).toMatch(message);
      // Refused, not crashed: no stack trace, and in good time.
      expect(result.stderr, name).not.toMatch(/\n\s+at .*\.ts:\d+/);
      expect(result.ms, name).toBeLessThan(CLI_TIMEOUT_MS);
      tally.refused();
    }
    // The outside file's content never showed up anywhere.
    for (const { result } of results) expect(result.stderr + result.stdout).not.toContain("outside the app'");
    // Nothing was imported: the embedded database was never even created.
    expect(existsSync(join(dataDir, "pglite"))).toBe(false);
    tally.intact();
  }, 600_000);

  it("still imports a good folder afterwards, and lists only it; a YAML tag for code stays text", async () => {
    // The YAML library executes no tags: `!!js/function` leaves a plain string (the title).
    const tagged = "title: !!js/function 'function () { process.exit(3) }'\nfunctions:\n- id: a\n  node_file: load.py\n";
    const good = appFolder("good", { "graph.yml": tagged, "load.py": 'from patterns import Table\nTable("out", "w").append({"a": 1})\n' });
    tally.attempt();
    const imported = await cli("import", good);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toContain('Imported "function () { process.exit(3) }"');
    const listed = await cli("graphs", "--json");
    expect(listed.code, listed.stderr).toBe(0);
    const graphs: unknown = JSON.parse(listed.stdout);
    expect(Array.isArray(graphs) ? graphs.length : -1).toBe(1);
    tally.intact();
  }, 180_000);
});
