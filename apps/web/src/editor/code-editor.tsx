import { useEffect, useRef } from "react";
import Editor from "@monaco-editor/react";
import { inferPorts } from "@patchbay/graph";
import { monaco } from "./monaco-setup.ts";
import { PORT_REFRESH_MS, sealUndoStep } from "./editor-store.ts";

const MARKER_OWNER = "patchbay-ports";

interface CodeEditorProps {
  /** Identifies the model, so each node keeps its own undo history. */
  path: string;
  language: "python" | "sql" | "markdown" | "json";
  value: string;
  readOnly?: boolean;
  onChange: (value: string) => void;
}

/** Marks the line the port reader could not read, after a pause in typing, as the canvas shows it on the node. */
function useSyntaxMarkers(path: string, language: CodeEditorProps["language"], value: string): void {
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    if (language !== "python" && language !== "sql") return;
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      const model = monaco.editor.getModels().find((m) => m.uri.path.endsWith(path));
      if (!model) return;
      const error = inferPorts(language, value).syntaxError;
      const line = error ? Math.min(Math.max(error.line, 1), model.getLineCount()) : 0;
      monaco.editor.setModelMarkers(
        model,
        MARKER_OWNER,
        error
          ? [{ severity: monaco.MarkerSeverity.Error, message: error.message, startLineNumber: line, endLineNumber: line, startColumn: 1, endColumn: model.getLineMaxColumn(line) }]
          : [],
      );
    }, PORT_REFRESH_MS);
    return () => {
      if (timer.current) clearTimeout(timer.current);
    };
  }, [path, language, value]);
}

export function CodeEditor({ path, language, value, readOnly = false, onChange }: CodeEditorProps) {
  useSyntaxMarkers(path, language, value);
  return (
    <div className="code-editor" data-testid="code-editor">
      <Editor
        path={path}
        language={language === "markdown" || language === "json" ? "plaintext" : language}
        value={value}
        theme="patchbay"
        onChange={(next) => {
          if (!readOnly) onChange(next ?? "");
        }}
        // Leaving the editor ends the burst of typing that undo takes back as one step.
        onMount={(editor) => editor.onDidBlurEditorText(() => sealUndoStep())}
        loading={<div className="muted pad">Loading the editor…</div>}
        options={{
          // Chromium's EditContext makes automated typing drop spaces; the textarea path is reliable.
          editContext: false,
          readOnly,
          readOnlyMessage: { value: "This is a saved version, open read-only." },
          minimap: { enabled: false },
          fontSize: 13,
          lineNumbersMinChars: 3,
          scrollBeyondLastLine: false,
          automaticLayout: true,
          tabSize: 4,
          insertSpaces: true,
          renderLineHighlight: "line",
          padding: { top: 8 },
        }}
      />
    </div>
  );
}
