"""Runs one node invocation: fresh globals, the code top to bottom, one commit.

Called by the executor (TypeScript) with `callPromising`, so that the
synchronous patterns API can wait for the asynchronous host bridge.
"""

import builtins
import json
import linecache
import sys
import traceback

from . import _guard
from .errors import PatternsError
from .host import Invocation, set_current
from .log import LogWriter

_guard.install()


def node_filename(title):
    """The file name tracebacks show for the node's code, e.g. `<node orders>`."""
    return f"<node {title}>"


def run_invocation(invocation_json, bridge_call, log_sink):
    """Runs the invocation and returns its outcome as a JSON string:
    {status, error, recordsRead, recordsWritten, newRunRequest, responses}."""
    spec = json.loads(invocation_json)
    invocation = Invocation(spec, bridge_call, log_sink)
    filename = node_filename(spec["nodeTitle"])
    code = spec["code"]
    # Lets tracebacks quote the node's source lines.
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)

    stdout = LogWriter(invocation, "info")
    stderr = LogWriter(invocation, "warn")
    saved_streams = sys.stdout, sys.stderr
    user_globals = {"__name__": "__main__", "__file__": filename, "__builtins__": builtins}
    invocation.user_globals = user_globals
    set_current(invocation)
    error = None
    try:
        sys.stdout, sys.stderr = stdout, stderr
        _guard.arm()
        try:
            exec(compile(code, filename, "exec"), user_globals)
        except SystemExit as stop:
            if stop.code not in (None, 0):
                error = f"The node called sys.exit({stop.code!r})"
        except BaseException as exception:
            error = _node_traceback(exception, filename)
        finally:
            _guard.disarm()
            stdout.close_line()
            stderr.close_line()
            sys.stdout, sys.stderr = saved_streams

        if error is None and invocation.logged_errors:
            error = "The node logged an error: " + invocation.logged_errors[0]
        if error is None:
            try:
                invocation.commit()
            except PatternsError as exception:
                error = f"Saving the node's output failed: {exception}"
            except Exception as exception:
                error = "Saving the node's output failed:\n" + "".join(
                    traceback.format_exception_only(exception)
                ).rstrip()
    finally:
        set_current(None)
        linecache.cache.pop(filename, None)

    return json.dumps(
        {
            "status": "failed" if error else "succeeded",
            "error": error,
            "recordsRead": invocation.records_read,
            "recordsWritten": invocation.records_written,
            "newRunRequest": invocation.new_run_request if not error else None,
            "responses": invocation.responses if not error else [],
        }
    )


def _node_traceback(exception, filename):
    """The traceback of exception, keeping only the frames of the node's code so
    that line numbers match the editor."""
    frames = [
        frame
        for frame in traceback.extract_tb(exception.__traceback__)
        if frame.filename == filename
    ]
    lines = []
    if frames:
        lines.append("Traceback (most recent call last):\n")
        lines.extend(traceback.format_list(frames))
    lines.extend(traceback.format_exception_only(exception))
    return "".join(lines).rstrip()
