import { PARAMETER_TYPES } from "@patchbay/graph";
/** One callable of the node API, documented for completion and hover in the code editor. */
export interface ApiMember {
  name: string;
  signature: string;
  doc: string;
}

export interface ApiClass {
  name: "Table" | "Stream" | "State" | "Parameter" | "Connection";
  signature: string;
  doc: string;
  /** A snippet inserted by completion (Monaco snippet syntax). */
  snippet: string;
  members: ApiMember[];
}

const m = (name: string, signature: string, doc: string): ApiMember => ({ name, signature, doc });

/** The `patterns` node API (both eras of Patterns), as DESIGN.md describes it. */
export const NODE_API: readonly ApiClass[] = [
  {
    name: "Table",
    signature: 'Table(name, mode="r", description=None, schema=None, required=True)',
    doc: 'A table store, and a port on the canvas: `Table("orders")` reads the store "orders", `Table("summary", "w")` writes it.',
    snippet: 'Table("${1:name}"${2:, "w"})',
    members: [
      m("read", 'read(as_format="records", chunksize=None)', 'The rows: a list of dicts, a DataFrame (`as_format="dataframe"`), or an iterator of chunks when `chunksize` is given.'),
      m("read_dataframe", "read_dataframe(chunksize=None)", "The rows as a pandas DataFrame (or an iterator of DataFrames)."),
      m("read_sql", 'read_sql(sql, as_format="records", chunksize=None)', "Runs SQL over the stores; `{{ other_table }}` or `{{ Table(\"x\") }}` in it is replaced by that store's table name."),
      m("init", 'init(schema=None, schema_hints=None, unique_on=None, add_created=None, add_monotonic_id="patterns_id", auto_indexes=True)', "Declares how the table is written: its schema, its unique key for upserts, and extra columns."),
      m("append", "append(records)", "Adds rows: a dict, a list of dicts, or a DataFrame. The first write creates the table."),
      m("upsert", "upsert(records)", "Inserts rows, replacing those with the same `unique_on` key (set it with `init`)."),
      m("replace", "replace(records)", "Replaces all rows: a reset followed by an append."),
      m("truncate", "truncate()", "Deletes every row of the active version."),
      m("reset", "reset()", "Starts a new, empty active version; old versions are kept until retention removes them."),
      m("signal_reset", "signal_reset()", "Same as `reset()`."),
      m("execute_sql", "execute_sql(sql)", "Runs SQL (e.g. UPDATE or DELETE) on this output table."),
      m("flush", "flush()", "Sends buffered writes now; they are still committed together with the run."),
      m("create_new_version", "create_new_version()", "Makes a new version of the table to write into."),
      m("get_active_version", "get_active_version()", "The version readers see."),
      m("set_active_version", "set_active_version(version)", "Makes `version` the one readers see."),
      m("signal_create", "signal_create()", "Marks the table as created, even without rows."),
      m("signal_update", "signal_update()", "Tells downstream nodes the table changed."),
      m("as_stream", "as_stream(order_by=None, starting_value=None)", "A Stream over this table's rows, ordered by `order_by` (default `patterns_id`)."),
      m("sql_name", "sql_name", "The quoted SQL name of the active version; `str(table)` gives the same."),
      m("is_connected", "is_connected", "True when the port is bound to a store."),
      m("exists", "exists", "True when the table has been created."),
      m("record_count", "record_count", "How many rows the active version has."),
      m("schema", "schema", "The table's columns and their types."),
    ],
  },
  {
    name: "Stream",
    signature: 'Stream(name, mode="r", description=None, schema=None, required=True)',
    doc: "An append-only log store, and a port: each consuming node reads every record exactly once, through its own cursor.",
    snippet: 'Stream("${1:name}"${2:, "w"})',
    members: [
      m("consume_records", "consume_records(with_metadata=False)", "Iterates the records this node has not consumed yet."),
      m("checkpoint", "checkpoint()", "Commits the cursor up to the last record consumed: a failure later resumes from here."),
      m("rollback", "rollback()", "Goes back to the last checkpoint."),
      m("rewind", "rewind()", "Starts consuming again from the first record."),
      m("seek", "seek(value)", "Skips to the first record whose `order_by_field` is past `value`."),
      m("order_by_field", "order_by_field", "The field records are ordered by."),
      m("consume_with_rollback", "consume_with_rollback()", "A context manager: consumed records are checkpointed at the end, rolled back on an exception."),
      m("write", "write(records)", "Appends a record, a list of records, or a DataFrame (mode \"w\")."),
      m("append", "append(records)", "Same as `write`."),
      m("signal_reset", "signal_reset()", "Starts the stream afresh."),
    ],
  },
  {
    name: "State",
    signature: "State()",
    doc: "This node's own state, kept between runs and committed with its writes.",
    snippet: "State()",
    members: [
      m("set", "set(state)", "Replaces the whole state with a dict."),
      m("get", "get()", "The whole state, a dict."),
      m("set_value", "set_value(key, value)", "Sets one value."),
      m("get_value", "get_value(key, default=None)", "One value, or `default`."),
      m("get_datetime", "get_datetime(key, default=None)", "One value as a datetime."),
      m("reset", "reset()", "Clears the state."),
      m("signal_reset", "signal_reset()", "Same as `reset()`."),
      m("should_continue", "should_continue(pct_of_limit=None, seconds_till_limit=None)", "False near the run's time limit (80% of it, or 120 s before): save progress and stop."),
      m("request_new_run", "request_new_run(trigger_downstream=True, wait_atleast_seconds=None)", "Asks for another run of this node after this one, e.g. to continue a long job."),
    ],
  },
  {
    name: "Parameter",
    signature: "Parameter(name, description=None, type=str, default=<missing>)",
    doc: "A value set in the node's parameter form. Types: str, text, bool, int, float, date, datetime, list, schema, or Connection(\"kind\"). Without a default, a run without a value fails naming it. Values may reference secrets: `${{ my_secret }}`.",
    snippet: 'Parameter("${1:name}", type=${2:str}, default=${3:None})',
    members: [],
  },
  {
    name: "Connection",
    signature: "Connection(connection_type)",
    doc: 'A parameter type: `Parameter("db", type=Connection("postgres"))` gives a dict of credentials.',
    snippet: 'Connection("${1:kind}")',
    members: [],
  },
];

/** The `type=` names of Parameter(); Connection is written as a call instead. */
export const PARAMETER_TYPE_NAMES = PARAMETER_TYPES.filter((t) => t !== "connection");

export function apiClass(name: string): ApiClass | undefined {
  return NODE_API.find((c) => c.name === name);
}
