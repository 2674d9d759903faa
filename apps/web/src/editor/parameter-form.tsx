import { useEffect, useMemo, useState } from "react";
import { inferPorts, isFunctionKind, type GraphNode, type ParameterSpec } from "@patchbay/graph";
import { setParameterValue } from "./editor-store.ts";
import { parameterInputError, schemaRows, schemaValue, textValue, type SchemaRow } from "./parameter-values.ts";

interface FieldProps {
  nodeId: string;
  spec: ParameterSpec;
  value: unknown;
  readOnly: boolean;
}

/** The default as the form shows it: the placeholder of an empty field. */
function defaultText(spec: ParameterSpec): string {
  if (!spec.hasDefault || spec.default === undefined || spec.default === null) return spec.hasDefault ? "" : "required";
  return Array.isArray(spec.default) ? spec.default.join(", ") : typeof spec.default === "object" ? JSON.stringify(spec.default) : String(spec.default);
}

function asText(value: unknown): string {
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);
}

/** Text, number, date and secret fields: typed text, saved when it is valid; empty means "use the default". */
function TextField({ nodeId, spec, value, readOnly }: FieldProps) {
  const [draft, setDraft] = useState(asText(value));
  // Follow the stored value when it changes from elsewhere (undo), not while it matches what is typed ("4." is 4).
  useEffect(() => setDraft((current) => (JSON.stringify(textValue(spec, current)) === JSON.stringify(value) ? current : asText(value))), [spec, value]);
  const error = parameterInputError(spec, draft);
  const inputType = spec.type === "date" ? "date" : spec.type === "datetime" ? "datetime-local" : "text";
  const commit = (text: string) => {
    setDraft(text);
    if (!parameterInputError(spec, text)) setParameterValue(nodeId, spec.name, textValue(spec, text));
  };
  return (
    <>
      <input
        type={inputType}
        inputMode={spec.type === "int" ? "numeric" : spec.type === "float" ? "decimal" : undefined}
        step={spec.type === "datetime" ? 1 : undefined}
        data-testid={`param-${spec.name}`}
        value={draft}
        placeholder={spec.type === "connection" ? "${{ secret_name }}" : defaultText(spec)}
        readOnly={readOnly}
        aria-invalid={error !== null}
        spellCheck={false}
        onChange={(e) => commit(e.target.value)}
      />
      {error ? (
        <span className="field-error" role="alert" data-testid={`param-error-${spec.name}`}>
          {error}
        </span>
      ) : null}
    </>
  );
}

function BoolField({ nodeId, spec, value, readOnly }: FieldProps) {
  const fallback = spec.default === true;
  const checked = typeof value === "boolean" ? value : fallback;
  return (
    <label className="switch">
      <input type="checkbox" role="switch" data-testid={`param-${spec.name}`} checked={checked} disabled={readOnly} onChange={(e) => setParameterValue(nodeId, spec.name, e.target.checked)} />
      <span>{checked ? "On" : "Off"}</span>
    </label>
  );
}

/** A list: one item per line. */
function ListField({ nodeId, spec, value, readOnly }: FieldProps) {
  const toText = (v: unknown) => (Array.isArray(v) ? v.map(asText).join("\n") : asText(v));
  const [draft, setDraft] = useState(toText(value));
  useEffect(() => setDraft(toText(value)), [value]);
  return (
    <textarea
      data-testid={`param-${spec.name}`}
      rows={3}
      value={draft}
      readOnly={readOnly}
      placeholder={Array.isArray(spec.default) ? spec.default.map(asText).join("\n") : "one item per line"}
      onChange={(e) => {
        setDraft(e.target.value);
        const items = e.target.value.split("\n").map((line) => line.trim()).filter(Boolean);
        setParameterValue(nodeId, spec.name, items.length ? items : undefined);
      }}
    />
  );
}

/** A schema: rows of column name and type. */
function SchemaField({ nodeId, spec, value, readOnly }: FieldProps) {
  const [rows, setRows] = useState<SchemaRow[]>(() => schemaRows(value ?? spec.default));
  useEffect(() => setRows(schemaRows(value ?? spec.default)), [value, spec.default]);
  const update = (next: SchemaRow[]) => {
    setRows(next);
    const schema = schemaValue(next);
    setParameterValue(nodeId, spec.name, Object.keys(schema).length ? schema : undefined);
  };
  return (
    <div className="schema-editor" data-testid={`param-${spec.name}`}>
      {rows.map((row, index) => (
        <div key={index} className="schema-row">
          <input aria-label="Column" placeholder="column" value={row.column} readOnly={readOnly} onChange={(e) => update(rows.map((r, i) => (i === index ? { ...r, column: e.target.value } : r)))} />
          <select aria-label="Type" value={row.type} disabled={readOnly} onChange={(e) => update(rows.map((r, i) => (i === index ? { ...r, type: e.target.value } : r)))}>
            {["Text", "Integer", "Float", "Boolean", "Date", "DateTime", "Json"].map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
          <button type="button" className="icon-button" aria-label="Remove column" disabled={readOnly} onClick={() => update(rows.filter((_, i) => i !== index))}>
            ×
          </button>
        </div>
      ))}
      <button type="button" className="link-button small" disabled={readOnly} onClick={() => setRows([...rows, { column: "", type: "Text" }])}>
        + Add column
      </button>
    </div>
  );
}

const TYPE_LABEL: Record<ParameterSpec["type"], string> = {
  str: "text",
  text: "text",
  bool: "switch",
  int: "whole number",
  float: "number",
  date: "date",
  datetime: "date and time",
  list: "list",
  schema: "schema",
  connection: "connection",
};

/**
 * The node's parameters as a form, generated from the `Parameter(...)` calls in its code.
 * Values are saved per node (one undo step per field edited in a burst) and used by the next run.
 */
export function ParameterForm({ node, readOnly }: { node: GraphNode; readOnly: boolean }) {
  const parameters = useMemo(() => (isFunctionKind(node.kind) ? inferPorts(node.kind, node.code).parameters : []), [node.kind, node.code]);
  if (parameters.length === 0) return null;
  return (
    <section className="parameter-form" data-testid="parameter-form" aria-label="Parameters">
      <h3 className="panel-heading">Parameters</h3>
      {parameters.map((spec) => {
        const props: FieldProps = { nodeId: node.id, spec, value: node.parameterValues[spec.name], readOnly };
        const missing = !spec.hasDefault && props.value === undefined;
        return (
          <div key={spec.name} className="field parameter-field" data-param={spec.name}>
            <span className="field-label">
              {spec.name} <span className="muted">· {spec.type === "connection" && spec.connectionKind ? `${spec.connectionKind} connection` : TYPE_LABEL[spec.type]}</span>
              {missing ? <span className="field-required"> · needs a value</span> : null}
            </span>
            {spec.type === "bool" ? <BoolField {...props} /> : spec.type === "list" ? <ListField {...props} /> : spec.type === "schema" ? <SchemaField {...props} /> : <TextField {...props} />}
            {spec.description ? <span className="field-hint">{spec.description}</span> : null}
          </div>
        );
      })}
    </section>
  );
}
