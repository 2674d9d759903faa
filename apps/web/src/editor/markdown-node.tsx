import { useMemo, useState } from "react";
import type { NodeProps } from "@xyflow/react";
import DOMPurify from "dompurify";
import { marked } from "marked";
import { editCode } from "./editor-store.ts";
import type { NoteFlowNode } from "./flow-mapping.ts";

/** Markdown as safe HTML: marked renders it, DOMPurify strips scripts and event handlers. */
export function renderMarkdown(text: string): string {
  const html = marked.parse(text, { async: false, gfm: true, breaks: false });
  return DOMPurify.sanitize(html);
}

/** A Markdown note drawn as rendered text; double-click to edit its source in place. */
export function MarkdownNodeView({ id, data, selected }: NodeProps<NoteFlowNode>) {
  const [draft, setDraft] = useState<string | null>(null);
  const html = useMemo(() => renderMarkdown(data.code), [data.code]);
  const commit = () => {
    if (draft !== null) editCode(id, draft);
    setDraft(null);
  };
  return (
    <div
      className={`graph-node note-node markdown-node${selected ? " is-selected" : ""}${draft !== null ? " is-editing" : ""}`}
      data-testid="graph-node"
      data-title={data.title}
      data-kind="markdown"
      onDoubleClick={(event) => {
        event.stopPropagation();
        if (draft === null) setDraft(data.code);
      }}
    >
      {draft !== null ? (
        <textarea
          className="markdown-editor nodrag nowheel"
          data-testid="markdown-editor"
          aria-label={`Markdown of ${data.title}`}
          value={draft}
          autoFocus
          spellCheck
          onChange={(event) => setDraft(event.target.value)}
          onBlur={commit}
          onKeyDown={(event) => {
            // Keys typed here are text, not canvas shortcuts (Delete, Shift+Enter, …).
            event.stopPropagation();
            if (event.key === "Escape") setDraft(null);
            if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) commit();
          }}
        />
      ) : (
        <div
          className="markdown-body"
          data-testid="markdown-body"
          title="Double-click to edit"
          // Sanitized by DOMPurify in renderMarkdown.
          dangerouslySetInnerHTML={{ __html: html }}
        />
      )}
    </div>
  );
}
