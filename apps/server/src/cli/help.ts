/** The text of `patchbay --help`. */
export const HELP = `patchbay: work with Patchbay graphs from the command line.

Usage:
  patchbay import <dir>                      Import the Patterns app in <dir> (its graph.yml and
                                             the files it names) as a new graph; prints its id
                                             on the last line.
  patchbay export <graph> <dir> [--force]    Write <graph> as a Patterns app (graph.yml and one
                                             file per node) into <dir>, which must be new or
                                             empty unless --force.
  patchbay run <graph> [--node <id>] [--downstream] [--logs]
                                             Run the whole graph, or one node (and, with
                                             --downstream, everything below it), on the server
                                             runtime in this process. Prints each node as it
                                             finishes; exits 1 if a node fails.
  patchbay table <graph> <store> [--json] [--limit N]
                                             Print the rows of a Table or Stream (default 100),
                                             or with --json one JSON array of row objects.
  patchbay graphs [--json]                   List graphs: id, slug and title.
  patchbay worker                            Run nodes for API servers started with
                                             RUN_WORKERS=false (needs DATABASE_URL); Ctrl-C stops.
  patchbay help [<command>]                  This text.

<graph> is a graph id, a slug, or a folder with a graph.yml (imported first, as a new graph).
<store> is a store's name (or its node id).

Settings come from the environment, as for the server: DATA_DIR (default ./data), DATABASE_URL,
WORKERS, RUN_TIME_LIMIT_SECONDS, SEED_EXAMPLE.

Against a remote server, set PATCHBAY_SERVER (its address) and PATCHBAY_TOKEN (an API token
from its Settings → API tokens): graphs, table and run then go through the server's API and
are checked like any caller; the nodes run on the server (--logs is not available there).

With the embedded database (no DATABASE_URL) the command opens the database in DATA_DIR
itself, and PGlite allows one process at a time: stop the Patchbay server using the same
DATA_DIR first (the command refuses to start while it holds the database). With DATABASE_URL
the server and any number of commands can run at the same time.

Exit codes: 0 done, 1 failed (a node failed, a graph or store was not found, a bad app folder),
2 bad command line.
`;

/** One command's usage line, for errors about that command. */
export const USAGE: Record<string, string> = {
  import: "patchbay import <dir>",
  export: "patchbay export <graph> <dir> [--force]",
  run: "patchbay run <graph> [--node <id>] [--downstream] [--logs]",
  table: "patchbay table <graph> <store> [--json] [--limit N]",
  graphs: "patchbay graphs [--json]",
  worker: "patchbay worker",
};
