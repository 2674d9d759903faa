import Editor from "@monaco-editor/react";
import "./monaco-setup.ts";

interface CodeEditorProps {
  /** Identifies the model, so each node keeps its own undo history. */
  path: string;
  language: "python" | "sql" | "markdown";
  value: string;
  onChange: (value: string) => void;
}

export function CodeEditor({ path, language, value, onChange }: CodeEditorProps) {
  return (
    <div className="code-editor" data-testid="code-editor">
      <Editor
        path={path}
        language={language === "markdown" ? "plaintext" : language}
        value={value}
        theme="patchbay"
        onChange={(next) => onChange(next ?? "")}
        loading={<div className="muted pad">Loading the editor…</div>}
        options={{
          // Chromium's EditContext makes automated typing drop spaces; the textarea path is reliable.
          editContext: false,
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
