"""The current invocation: its ports, the host bridge and the buffered writes.

Reads go to the host at once; writes, stream cursors and state are buffered
here and sent in one `commit` request at each `checkpoint()` and at the end of
a successful run, so a failed run leaves nothing half-written.
"""

import json
import time

from pyodide.ffi import run_sync

from .errors import HostError, PatternsError, PortError
from .records import PreparedRecords

READ_PAGE_SIZE = 1000
MAX_SQL_ROWS = 100_000

_current = None


def current():
    """The invocation being run; the patterns API only works inside one."""
    if _current is None:
        raise PatternsError("the patterns API can only be used while a node runs")
    return _current


def set_current(invocation):
    global _current
    _current = invocation


class Invocation:
    def __init__(self, spec, bridge_call, log_sink):
        self.node_title = spec["nodeTitle"]
        self.ports = {binding["port"]: binding for binding in spec["ports"]}
        self.parameters = spec["parameters"]
        self.time_limit_seconds = spec["timeLimitMs"] / 1000
        self.started = time.monotonic()
        self.user_globals = {}
        self._bridge_call = bridge_call
        self._log_sink = log_sink
        self._writes = []
        self._streams = []
        self._state = None
        self._state_dirty = False
        self._info_cache = {}
        self.records_read = 0
        self.records_written = 0
        self.logged_errors = []
        self.new_run_request = None
        self.responses = []

    # -- bridge ------------------------------------------------------------

    def call(self, request):
        """Sends one request to the host and waits for its answer."""
        return self.call_json(json.dumps(request))

    def call_json(self, request_json):
        """Sends one request, already JSON text, and waits for its answer."""
        reply = json.loads(run_sync(self._bridge_call(request_json)))
        if not reply.get("ok"):
            raise HostError(reply.get("code", "error"), reply.get("message", "request failed"))
        return reply["response"]

    # -- logs --------------------------------------------------------------

    def log(self, level, message):
        if level == "error":
            self.logged_errors.append(message)
        self._log_sink(level, message)

    # -- ports -------------------------------------------------------------

    def port(self, label, name, writing):
        """The binding of port `name`, checked for direction.

        `label` is how the node spelled the store, e.g. "Table 'orders'"."""
        binding = self.ports.get(name)
        if binding is None:
            kind = label.split(" ")[0]
            example = f'{kind}("{name}", mode="w")' if writing else f'{kind}("{name}")'
            raise PortError(
                f"{label} is not a port of node '{self.node_title}'. Declare it at the "
                f"top level of the node's code with a literal name, e.g. {example}, "
                "so the editor adds the port, then bind the port to a store."
            )
        if writing and binding["direction"] != "output":
            raise PortError(
                f"{label} is an input port of node '{self.node_title}' and cannot be "
                "written; declare it with mode=\"w\" to make it an output port."
            )
        return binding

    def require_bound(self, label, binding):
        if binding["storeName"] is None:
            raise PortError(
                f"{label} is not connected to a store: bind port '{binding['port']}' "
                f"of node '{self.node_title}' to a store on the canvas."
            )

    def store_info(self, port):
        info = self._info_cache.get(port)
        if info is None:
            info = self.call({"op": "storeInfo", "port": port})["info"]
            self._info_cache[port] = info
        return info

    # -- reads -------------------------------------------------------------

    def read_table_page(self, port, offset, limit):
        records = self.call(
            {"op": "readTable", "port": port, "offset": offset, "limit": limit}
        )["records"]
        self.records_read += len(records)
        return records

    def read_sql(self, sql):
        records = self.call({"op": "readSql", "sql": sql, "limit": MAX_SQL_ROWS})["records"]
        self.records_read += len(records)
        if len(records) >= MAX_SQL_ROWS:
            self.log(
                "warn",
                f"read_sql returned the maximum of {MAX_SQL_ROWS} rows; "
                "the result may be cut short: filter or aggregate in the SQL.",
            )
        return records

    def read_stream_page(self, port, after, limit):
        records = self.call(
            {"op": "readStream", "port": port, "after": after, "limit": limit}
        )["records"]
        self.records_read += len(records)
        return records

    # -- buffered writes ---------------------------------------------------

    def add_write(self, op):
        self._writes.append(op)

    def register_stream(self, stream):
        self._streams.append(stream)

    # -- state -------------------------------------------------------------

    def state(self):
        if self._state is None:
            self._state = dict(self.call({"op": "getState"})["state"])
        return self._state

    def replace_state(self, state):
        self._state = state
        self._state_dirty = True

    def touch_state(self):
        self._state_dirty = True

    # -- commit ------------------------------------------------------------

    def commit(self, final=False):
        """Sends the buffered writes, the stream cursors and the state in one
        atomic request; afterwards they are the new rollback point. The final
        commit at the end of a successful run also lets the host record the
        run as done in the same transaction, so it is never run twice."""
        cursors = {}
        for stream in self._streams:
            position = stream._pending_cursor()
            if position is not None:
                cursors[stream._port] = position
        state = self._state if self._state_dirty else None
        if not self._writes and not cursors and state is None:
            return
        # Records were turned into JSON text when written: splice them in.
        writes = ",".join(_write_json(op) for op in self._writes)
        request = json.dumps(
            {
                "op": "commit",
                "writes": [],
                "cursors": [{"port": p, "position": v} for p, v in cursors.items()],
                "state": state,
                "final": final,
            }
        )
        marker = '"writes": []'
        response = self.call_json(request.replace(marker, f'"writes": [{writes}]', 1))
        self.records_written += response["recordsWritten"]
        self._writes = []
        self._state_dirty = False
        self._info_cache.clear()
        for stream in self._streams:
            stream._committed()

    def seconds_elapsed(self):
        return time.monotonic() - self.started


def _write_json(op):
    records = op.get("records")
    if not isinstance(records, PreparedRecords):
        return json.dumps(op)
    rest = json.dumps({key: value for key, value in op.items() if key != "records"})
    return rest[:-1] + ', "records": ' + records.json + "}"
