// Completion and hover for the node API in the code editor: Table, Stream, State, Parameter
// and Connection with their methods, the graph's store names where a store is named, and
// store references in SQL templates.
import { isStoreKind } from "@patchbay/graph";
import type * as Monaco from "monaco-editor/editor/editor.api";
import { useEditorStore } from "./editor-store.ts";
import { hoverTarget, pythonCompletionContext, signatureParameters, sqlCompletionContext, type CompletionContext } from "./code-completion.ts";
import { apiClass, NODE_API, PARAMETER_TYPE_NAMES } from "./node-api-docs.ts";

type MonacoApi = typeof Monaco;

function storesOfGraph(kind?: "table" | "stream"): { name: string; kind: "table" | "stream" }[] {
  const doc = useEditorStore.getState().document;
  const stores: { name: string; kind: "table" | "stream" }[] = [];
  for (const node of doc?.nodes ?? []) {
    if (isStoreKind(node.kind) && (kind === undefined || node.kind === kind)) stores.push({ name: node.title, kind: node.kind });
  }
  return stores;
}

function suggestions(monaco: MonacoApi, context: CompletionContext, range: Monaco.IRange): Monaco.languages.CompletionItem[] {
  const { CompletionItemKind, CompletionItemInsertTextRule } = monaco.languages;
  const snippet = CompletionItemInsertTextRule.InsertAsSnippet;
  switch (context.type) {
    case "storeName": {
      // A Stream port may also read a table, so Stream offers every store; Table only tables.
      const stores = storesOfGraph(context.kind === "table" ? "table" : undefined);
      return stores.map((s) => ({ label: s.name, kind: CompletionItemKind.Value, detail: `${s.kind} in this graph`, insertText: s.name, range }));
    }
    case "member": {
      const cls = apiClass(context.className);
      return (cls?.members ?? []).map((member) => ({
        label: member.name,
        kind: member.signature.includes("(") ? CompletionItemKind.Method : CompletionItemKind.Property,
        detail: member.signature,
        documentation: { value: member.doc },
        insertText: member.signature.includes("(") ? `${member.name}($0)` : member.name,
        insertTextRules: snippet,
        range,
      }));
    }
    case "argument": {
      const cls = apiClass(context.className);
      const signature = context.member ? cls?.members.find((m) => m.name === context.member)?.signature : cls?.signature;
      if (!signature) return [];
      return signatureParameters(signature)
        .filter((name) => !context.used.includes(name))
        .map((name, index) => ({
          label: `${name}=`,
          kind: CompletionItemKind.Field,
          detail: signature,
          insertText: `${name}=`,
          sortText: String(index).padStart(2, "0"),
          range,
        }));
    }
    case "parameterType":
      return [
        ...PARAMETER_TYPE_NAMES.map((name) => ({ label: name, kind: CompletionItemKind.TypeParameter, insertText: name, range })),
        { label: "Connection", kind: CompletionItemKind.Class, insertText: 'Connection("${1:kind}")', insertTextRules: snippet, range },
      ];
    case "sqlStore":
      return storesOfGraph().map((s) => ({
        label: s.name,
        kind: CompletionItemKind.Value,
        detail: `{{ ${s.kind === "table" ? "Table" : "Stream"}("${s.name}") }}`,
        documentation: { value: `The ${s.kind} "${s.name}" of this graph; the template becomes its SQL table name and an input port.` },
        insertText: `{{ Table("${s.name}") }}`,
        range,
      }));
    case "sqlTemplate":
      return [
        ...storesOfGraph().map((s) => ({ label: `Table("${s.name}")`, kind: CompletionItemKind.Value, detail: `${s.kind} in this graph`, insertText: `Table("${s.name}")`, range })),
        { label: "Table", kind: CompletionItemKind.Class, detail: "Table(name)", insertText: 'Table("${1:name}")', insertTextRules: snippet, range },
        { label: "Parameter", kind: CompletionItemKind.Class, detail: 'Parameter(name, type=int, default=3)', insertText: 'Parameter("${1:name}", type=${2:int}, default=${3:1})', insertTextRules: snippet, range },
      ];
    case "global":
      return NODE_API.map((cls) => ({
        label: cls.name,
        kind: CompletionItemKind.Class,
        detail: cls.signature,
        documentation: { value: cls.doc },
        insertText: cls.snippet,
        insertTextRules: snippet,
        range,
      }));
  }
}

function hoverMarkdown(code: string, model: Monaco.editor.ITextModel, position: Monaco.Position): { value: string }[] | null {
  const word = model.getWordAtPosition(position);
  if (!word) return null;
  const target = hoverTarget(code, model.getLineContent(position.lineNumber), word.startColumn - 1, word.word);
  if (target.member === null) {
    const cls = target.className ? apiClass(target.className) : undefined;
    return cls ? [{ value: `\`\`\`python\n${cls.signature}\n\`\`\`` }, { value: cls.doc }] : null;
  }
  const owners = target.className ? [apiClass(target.className)] : [];
  const member = owners.flatMap((cls) => cls?.members.filter((m) => m.name === target.member).map((m) => ({ cls: cls.name, m })) ?? [])[0];
  return member ? [{ value: `\`\`\`python\n${member.cls}.${member.m.signature}\n\`\`\`` }, { value: member.m.doc }] : null;
}

let registered = false;

/** Registers the providers once for Python and SQL models. */
export function registerNodeApiSupport(monaco: MonacoApi): void {
  if (registered) return;
  registered = true;
  for (const language of ["python", "sql"] as const) {
    monaco.languages.registerCompletionItemProvider(language, {
      triggerCharacters: ['"', "'", ".", "(", "=", " ", "{", ","],
      provideCompletionItems(model, position) {
        const code = model.getValue();
        const offset = model.getOffsetAt(position);
        const context = language === "python" ? pythonCompletionContext(code, offset) : sqlCompletionContext(code, offset);
        // A space only asks for completions where one is expected (after FROM, inside {{ }}).
        if (language === "python" && context.type === "global" && /\s$/.test(code.slice(0, offset))) return { suggestions: [] };
        if (language === "sql" && context.type === "global") return { suggestions: [] };
        const word = model.getWordUntilPosition(position);
        const range = { startLineNumber: position.lineNumber, endLineNumber: position.lineNumber, startColumn: word.startColumn, endColumn: word.endColumn };
        return { suggestions: suggestions(monaco, context, range) };
      },
    });
    monaco.languages.registerHoverProvider(language, {
      provideHover(model, position) {
        const contents = hoverMarkdown(model.getValue(), model, position);
        return contents ? { contents } : null;
      },
    });
  }
}
