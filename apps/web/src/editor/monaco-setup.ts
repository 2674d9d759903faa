// Monaco from the local package, never a CDN: the editor core, a few editing features, and
// only the Python and SQL grammars. monaco-editor 0.56+ maps `monaco-editor/<path>` to
// `esm/vs/<path>.js`; `features/<name>/register` are its per-feature entry points.
import * as monaco from "monaco-editor/editor/editor.api";
import "monaco-editor/features/codicon/register";
import "monaco-editor/features/bracketMatching/register";
import "monaco-editor/features/clipboard/register";
import "monaco-editor/features/comment/register";
import "monaco-editor/features/contextmenu/register";
import "monaco-editor/features/cursorUndo/register";
import "monaco-editor/features/find/register";
import "monaco-editor/features/folding/register";
import "monaco-editor/features/indentation/register";
import "monaco-editor/features/linesOperations/register";
import "monaco-editor/features/multicursor/register";
import "monaco-editor/features/wordOperations/register";
import "monaco-editor/features/wordHighlighter/register";
import "monaco-editor/features/suggest/register";
// The suggest widget itself: no feature entry point registers it in 0.57, only the full bundle.
import "monaco-editor/editor/contrib/suggest/browser/suggestController";
import "monaco-editor/features/snippet/register";
import "monaco-editor/features/hover/register";
import "monaco-editor/languages/definitions/python/register";
import "monaco-editor/languages/definitions/sql/register";
import EditorWorker from "monaco-editor/editor/editor.worker?worker";
import { loader } from "@monaco-editor/react";
import { registerNodeApiSupport } from "./monaco-node-api.ts";

self.MonacoEnvironment = {
  getWorker: () => new EditorWorker(),
};

loader.config({ monaco });
registerNodeApiSupport(monaco);

monaco.editor.defineTheme("patchbay", {
  base: "vs",
  inherit: true,
  rules: [],
  colors: {
    "editor.background": "#fcfcfd",
    "editorLineNumber.foreground": "#a0a6b1",
    "editor.lineHighlightBackground": "#f2f4f7",
  },
});

export { monaco };
