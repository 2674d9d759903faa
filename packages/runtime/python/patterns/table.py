"""`Table`: a port bound to a table store."""

from .errors import PatternsError
from .host import READ_PAGE_SIZE, current
from .records import prepare_records, records_to_format
from .schema import to_columns
from .sql import render_sql

_READ_MODES = ("r", "read")
_WRITE_MODES = ("w", "write", "a", "append")


class Table:
    """A table store seen through a port of this node.

    Reads go to the store at once. Writes are buffered and applied together
    with the node's other writes when the run succeeds (or at a stream
    `checkpoint()`), so readers never see half a run's output."""

    def __init__(self, name, mode="r", description=None, schema=None, required=True):
        if mode not in _READ_MODES + _WRITE_MODES:
            raise PatternsError(f"Table '{name}': mode must be 'r' or 'w', not {mode!r}")
        self._port = name
        self._label = f"Table '{name}'"
        self._writing = mode in _WRITE_MODES
        self.description = description
        self.required = required
        self._declared_schema = schema
        self._invocation = current()
        self._binding = self._invocation.port(self._label, name, self._writing)
        self._unique_on = None
        self._add_created = None
        self._initialized = False

    # -- description -------------------------------------------------------

    def __repr__(self):
        return f"Table({self._port!r}, mode={'w' if self._writing else 'r'!r})"

    def __str__(self):
        return self.sql_name

    @property
    def name(self):
        return self._port

    @property
    def is_connected(self):
        """True when the port is bound to a store."""
        return self._binding["storeName"] is not None

    @property
    def exists(self):
        """True when the store has an active version (it was written at least once)."""
        return self.is_connected and bool(self._info()["exists"])

    @property
    def record_count(self):
        return self._info()["recordCount"] if self.exists else 0

    @property
    def schema(self):
        """The columns of the active version, as a list of {"name", "type"}."""
        return list(self._info()["columns"]) if self.exists else []

    @property
    def sql_name(self):
        """The quoted SQL name of the active version, for read_sql."""
        self._require_bound()
        name = self._info()["sqlName"]
        if name is None:
            raise PatternsError(f"{self._label} has no data yet, so it has no SQL name")
        return name

    def _info(self):
        return self._invocation.store_info(self._port)

    def _require_bound(self):
        self._invocation.require_bound(self._label, self._binding)

    def _readable(self):
        """False when reading should give nothing: an optional unbound port or no data yet."""
        if not self.is_connected and not self.required:
            return False
        self._require_bound()
        return bool(self._info()["exists"])

    # -- reads -------------------------------------------------------------

    def read(self, as_format="records", chunksize=None):
        """All records (a list of dicts or a DataFrame), or an iterator of chunks."""
        what = f"{self._label}.read()"
        if chunksize is not None:
            if not isinstance(chunksize, int) or chunksize < 1:
                raise PatternsError(f"{what}: chunksize must be a positive int")
            return (
                records_to_format(chunk, as_format, what)
                for chunk in self._pages(chunksize)
            )
        records = []
        for page in self._pages(READ_PAGE_SIZE):
            records.extend(page)
        return records_to_format(records, as_format, what)

    def read_dataframe(self, chunksize=None):
        return self.read(as_format="dataframe", chunksize=chunksize)

    def _pages(self, size):
        if not self._readable():
            return
        offset = 0
        while True:
            page = self._invocation.read_table_page(self._port, offset, size)
            if page:
                yield page
            if len(page) < size:
                return
            offset += len(page)

    def read_sql(self, sql, as_format="records", chunksize=None):
        """Runs a read-only query; `{{ port }}` / `{{ Table("port") }}` name stores."""
        what = f"{self._label}.read_sql()"
        records = self._invocation.read_sql(render_sql(sql, self._invocation, what))
        if chunksize is None:
            return records_to_format(records, as_format, what)
        if not isinstance(chunksize, int) or chunksize < 1:
            raise PatternsError(f"{what}: chunksize must be a positive int")
        return (
            records_to_format(records[i : i + chunksize], as_format, what)
            for i in range(0, len(records), chunksize)
        )

    def as_stream(self, order_by=None, starting_value=None):
        """A Stream over this table, in patterns_id order."""
        from .stream import Stream

        if order_by not in (None, "patterns_id"):
            raise PatternsError(
                f"{self._label}.as_stream(): only order_by='patterns_id' is supported"
            )
        stream = Stream(self._port)
        if starting_value is not None:
            stream.seek(starting_value)
        return stream

    # -- writes ------------------------------------------------------------

    def _writer(self, method):
        if not self._writing:
            raise PatternsError(
                f"{self._label}.{method}(): the table is opened for reading; "
                f'declare it with Table("{self._port}", mode="w") to write to it.'
            )
        self._require_bound()
        return f"{self._label}.{method}()"

    def init(
        self,
        schema=None,
        schema_hints=None,
        unique_on=None,
        add_created=None,
        add_monotonic_id="patterns_id",
        auto_indexes=True,
    ):
        """Sets how the table is created on its first write."""
        what = self._writer("init")
        if isinstance(unique_on, str):
            unique_on = [unique_on]
        if unique_on is not None:
            unique_on = [str(column) for column in unique_on]
        self._unique_on = unique_on
        self._add_created = add_created if isinstance(add_created, str) else None
        if add_created is True:
            self._add_created = "created_at"
        columns = to_columns(schema if schema is not None else self._declared_schema, what)
        hinted = to_columns(schema_hints, what) if schema_hints else None
        if hinted:
            known = {column["name"] for column in columns or []}
            columns = (columns or []) + [c for c in hinted if c["name"] not in known]
        self._initialized = True
        self._invocation.add_write(
            {
                "op": "init",
                "port": self._port,
                "schema": columns,
                "uniqueOn": unique_on,
                "addMonotonicId": add_monotonic_id or None,
            }
        )

    def _records(self, records, what):
        return prepare_records(records, what, self._add_created)

    def _ensure_schema(self):
        # A schema given to the constructor applies even without an explicit init().
        if not self._initialized and self._declared_schema is not None:
            self.init()

    def append(self, records):
        what = self._writer("append")
        self._ensure_schema()
        rows = self._records(records, what)
        if rows:
            self._invocation.add_write({"op": "append", "port": self._port, "records": rows})

    def upsert(self, records):
        what = self._writer("upsert")
        if not self._unique_on:
            raise PatternsError(
                f"{what} needs the columns that identify a record: call "
                f"init(unique_on=[\"id\"]) on the table before upserting."
            )
        self._ensure_schema()
        rows = self._records(records, what)
        if rows:
            self._invocation.add_write(
                {"op": "upsert", "port": self._port, "records": rows, "uniqueOn": self._unique_on}
            )

    def replace(self, records):
        """Makes records the whole content of the table (a new version)."""
        what = self._writer("replace")
        self._ensure_schema()
        rows = self._records(records, what)
        self._invocation.add_write({"op": "replace", "port": self._port, "records": rows})

    def truncate(self):
        self._writer("truncate")
        self._invocation.add_write({"op": "truncate", "port": self._port})

    def reset(self):
        """Starts a new, empty active version; old versions stay until retention."""
        self._writer("reset")
        self._invocation.add_write({"op": "reset", "port": self._port})

    signal_reset = reset
    create_new_version = reset

    def execute_sql(self, sql):
        """Runs a statement on the table when the node's writes are committed."""
        what = self._writer("execute_sql")
        self._invocation.add_write(
            {"op": "executeSql", "port": self._port, "sql": render_sql(sql, self._invocation, what)}
        )

    def flush(self):
        """Writes are committed together at the end of the run; nothing to do."""

    def signal_create(self):
        """Kept for compatibility: the host tracks creation itself."""

    def signal_update(self):
        """Kept for compatibility: the host tracks updates itself."""

    def get_active_version(self):
        return self.sql_name if self.exists else None

    def set_active_version(self, version):
        raise PatternsError(
            f"{self._label}.set_active_version() is not supported in Patchbay yet"
        )
