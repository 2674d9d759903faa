import { GraphError } from "../document.ts";

/** One thing wrong with (or worth knowing about) an app folder, located as precisely as possible. */
export interface GraphYmlProblem {
  /** Path of the file, relative to the app folder. */
  file: string;
  /** Where in the file, e.g. `functions[2].node_file`. */
  key?: string;
  /** 1-based line in the file, when known. */
  line?: number;
  /** What is wrong and what to do about it. */
  message: string;
}

/** "graph.yml, line 7 (functions[2].node_file): …" */
export function describeProblem(problem: GraphYmlProblem): string {
  const where = [problem.line !== undefined ? `line ${problem.line}` : null, problem.key ? `(${problem.key})` : null].filter((part) => part !== null).join(" ");
  return `${problem.file}${where ? `, ${where}` : ""}: ${problem.message}`;
}

/** Thrown when an app folder cannot be imported; `problems` lists every error found, not just the first. */
export class GraphYmlError extends GraphError {
  readonly problems: GraphYmlProblem[];
  constructor(problems: GraphYmlProblem[]) {
    const lines = problems.map(describeProblem);
    super("invalid_graph_yml", lines.length === 1 ? (lines[0] ?? "") : `${lines.length} problems in the app folder:\n${lines.map((l) => `  - ${l}`).join("\n")}`);
    this.name = "GraphYmlError";
    this.problems = problems;
  }
}

/** Collects problems while an import goes on, so one run reports all of them. */
export class ProblemList {
  readonly errors: GraphYmlProblem[] = [];
  readonly warnings: GraphYmlProblem[] = [];
  // A folder with thousands of bad entries needs the first few, not a wall of text.
  private static readonly MAX_ERRORS = 50;

  error(problem: GraphYmlProblem): void {
    if (this.errors.length < ProblemList.MAX_ERRORS) this.errors.push(problem);
  }

  warn(problem: GraphYmlProblem): void {
    if (this.warnings.length < ProblemList.MAX_ERRORS) this.warnings.push(problem);
  }

  throwIfAny(): void {
    if (this.errors.length) this.fail();
  }

  fail(): never {
    throw new GraphYmlError(this.errors);
  }
}
