export { importGraphYml, type GraphYmlImport, type GraphYmlImportOptions } from "./import-graph-yml.ts";
export { exportGraphYml, type GraphYmlExportMeta } from "./export-graph-yml.ts";
export { graphYmlFileReferences } from "./file-references.ts";
export { GraphYmlError, describeProblem, type GraphYmlProblem } from "./problems.ts";
export { GRAPH_YML, GRAPH_YML_LIMITS } from "./limits.ts";
export { GRID_CELL } from "./layout.ts";
export { resolveAppPath, type AppPathResult } from "./app-paths.ts";
