import { MAX_CODE_CHARS, MAX_NODES } from "../document.ts";

/** Limits on an app folder read through graph.yml; they keep a hostile folder from exhausting memory. */
export const GRAPH_YML_LIMITS = {
  /** Longest file (graph.yml, a node file, a readme), in characters: the longest code a node may hold. */
  maxFileChars: MAX_CODE_CHARS,
  /** Functions, stores and docs together. */
  maxNodes: MAX_NODES,
  /** Files one app may name, node files and attached files together. */
  maxFiles: 2_000,
  /** All files of one app together, in characters. */
  maxTotalChars: 50_000_000,
  /** Weighted count of YAML alias expansions: a few are fine, a "billion laughs" is not. */
  maxAliasCount: 100,
  /** Subgraphs inside subgraphs. */
  maxSubgraphDepth: 5,
  /** Nesting of lists and mappings in graph.yml values. */
  maxValueDepth: 64,
} as const;

/** The file name of a Patterns app's graph description. */
export const GRAPH_YML = "graph.yml";
