"""`Stream`: a port bound to an append-only log store.

A reading Stream delivers each record to this node once: it remembers the
`patterns_id` of the last record consumed and sends it to the host as this
node's cursor with the next commit (a `checkpoint()` or the end of the run)."""

import contextlib

from .errors import PatternsError
from .host import READ_PAGE_SIZE, current
from .records import prepare_records

_ID_FIELD = "patterns_id"
_READ_MODES = ("r", "read")
_WRITE_MODES = ("w", "write", "a", "append")


class Stream:
    def __init__(self, name, mode="r", description=None, schema=None, required=True):
        if mode not in _READ_MODES + _WRITE_MODES:
            raise PatternsError(f"Stream '{name}': mode must be 'r' or 'w', not {mode!r}")
        self._port = name
        self._label = f"Stream '{name}'"
        self._writing = mode in _WRITE_MODES
        self.description = description
        self.required = required
        self._invocation = current()
        self._binding = self._invocation.port(self._label, name, self._writing)
        # Positions: None until loaded from the host, "" for "from the start".
        self._position = None
        self._committed_position = None
        if not self._writing:
            self._invocation.register_stream(self)

    def __repr__(self):
        return f"Stream({self._port!r}, mode={'w' if self._writing else 'r'!r})"

    def __str__(self):
        self._invocation.require_bound(self._label, self._binding)
        name = self._invocation.store_info(self._port)["sqlName"]
        if name is None:
            raise PatternsError(f"{self._label} has no data yet, so it has no SQL name")
        return name

    @property
    def name(self):
        return self._port

    @property
    def is_connected(self):
        return self._binding["storeName"] is not None

    @property
    def order_by_field(self):
        return _ID_FIELD

    @property
    def sql_name(self):
        return str(self)

    # -- reading -------------------------------------------------------------

    def _reader(self, method):
        if self._writing:
            raise PatternsError(
                f"{self._label}.{method}(): the stream is opened for writing; "
                f'declare it with Stream("{self._port}") to read it.'
            )

    def _load_position(self):
        if self._position is None:
            info = self._invocation.store_info(self._port) if self.is_connected else {}
            # The host reports this node's committed cursor on the port, if any.
            cursor = info.get("cursor")
            self._position = cursor if isinstance(cursor, str) else ""
            self._committed_position = self._position

    def __iter__(self):
        return self.consume_records()

    def consume_records(self, with_metadata=False):
        """Yields the records this node has not consumed yet, oldest first.

        A record counts as consumed once it is yielded. With with_metadata=True
        each record keeps its `patterns_id`."""
        self._reader("consume_records")
        if not self.is_connected and not self.required:
            return
        self._invocation.require_bound(self._label, self._binding)
        self._load_position()
        if not self._invocation.store_info(self._port)["exists"]:
            return
        while True:
            page = self._invocation.read_stream_page(
                self._port, self._position, READ_PAGE_SIZE
            )
            for record in page:
                position = record.get(_ID_FIELD)
                if not isinstance(position, str):
                    raise PatternsError(
                        f"{self._label}: a record from the store has no {_ID_FIELD}; "
                        "streams need it to track what was consumed"
                    )
                self._position = position
                if with_metadata:
                    yield record
                else:
                    yield {k: v for k, v in record.items() if k != _ID_FIELD}
            if len(page) < READ_PAGE_SIZE:
                return

    def checkpoint(self):
        """Commits everything this run did so far: writes, cursors and state."""
        self._invocation.commit()

    def rollback(self):
        """Forgets the records consumed since the last checkpoint."""
        self._reader("rollback")
        self._load_position()
        self._position = self._committed_position

    def rewind(self):
        """Consumes the stream again from its first record."""
        self._reader("rewind")
        self._load_position()
        self._position = ""

    def seek(self, value):
        """Continues after the record whose patterns_id is value."""
        self._reader("seek")
        self._load_position()
        self._position = "" if value is None else str(value)

    @contextlib.contextmanager
    def consume_with_rollback(self, with_metadata=False):
        """Yields the unconsumed records; an exception rolls the stream back to
        its last checkpoint before it propagates."""
        self._reader("consume_with_rollback")
        try:
            yield self.consume_records(with_metadata=with_metadata)
        except BaseException:
            self.rollback()
            raise

    def _pending_cursor(self):
        if self._position is None or self._position == self._committed_position:
            return None
        return self._position

    def _committed(self):
        self._committed_position = self._position

    # -- writing -------------------------------------------------------------

    def write(self, records):
        """Appends a record, a list of records or a DataFrame to the stream."""
        what = f"{self._label}.write()"
        if not self._writing:
            raise PatternsError(
                f"{what}: the stream is opened for reading; "
                f'declare it with Stream("{self._port}", mode="w") to write to it.'
            )
        self._invocation.require_bound(self._label, self._binding)
        rows = prepare_records(records, what)
        if rows:
            self._invocation.add_write({"op": "append", "port": self._port, "records": rows})

    append = write

    def signal_reset(self):
        if not self._writing:
            raise PatternsError(f"{self._label}.signal_reset(): the stream is opened for reading")
        self._invocation.require_bound(self._label, self._binding)
        self._invocation.add_write({"op": "reset", "port": self._port})

    reset = signal_reset
