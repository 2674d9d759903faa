import { resolveAppPath } from "./app-paths.ts";
import { GRAPH_YML, GRAPH_YML_LIMITS } from "./limits.ts";
import { fileReferencesIn } from "./plain-data.ts";
import { ProblemList } from "./problems.ts";
import { parseYamlSource } from "./yaml-source.ts";

const isYml = (path: string) => /\.ya?ml$/i.test(path);

/**
 * The files an app's graph.yml names (node files, readmes, schema files, and
 * the files of subgraphs already in `files`), as paths relative to the app
 * folder. Paths that would leave the folder are left out: importGraphYml
 * reports them. A reader calls this, reads what is new, and calls it again
 * until nothing new appears (a subgraph's graph.yml names more files).
 */
export function graphYmlFileReferences(files: Readonly<Record<string, string>>, root = GRAPH_YML): string[] {
  const found = new Set<string>();
  const visit = (ymlPath: string, depth: number): void => {
    const text = files[ymlPath];
    if (text === undefined || text.length > GRAPH_YML_LIMITS.maxFileChars || depth > GRAPH_YML_LIMITS.maxSubgraphDepth) return;
    // Problems are the importer's to report; here only the references matter.
    const source = parseYamlSource(ymlPath, text, new ProblemList());
    if (!source) return;
    for (const { reference } of fileReferencesIn(source.value)) {
      const resolved = resolveAppPath(ymlPath, reference);
      if (!resolved.ok || found.has(resolved.path) || found.size >= GRAPH_YML_LIMITS.maxFiles) continue;
      found.add(resolved.path);
      if (isYml(resolved.path)) visit(resolved.path, depth + 1);
    }
  };
  visit(root, 0);
  return [...found];
}
