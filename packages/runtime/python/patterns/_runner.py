"""Runs one node invocation: fresh globals, the code top to bottom, one commit.

Called by the executor (TypeScript) with `callPromising`, so that the
synchronous patterns API can wait for the asynchronous host bridge.
"""

import builtins
import importlib.util
import json
import linecache
import sys
import traceback

from . import _guard, _isolation
from .errors import PatternsError
from .host import Invocation, set_current
from .log import LogWriter

_guard.install()

# Kept in one dict (mutated, never rebound) because _isolation.restore puts
# module globals back to their values at capture time.
_worker = {
    "baseline": None,
    # Why this interpreter must not run another node (None: it may).
    "retire_reason": None,
}


def capture_baseline():
    """Remembers the interpreter's state; every run is undone back to it."""
    _worker["baseline"] = _isolation.Baseline()


def retire_reason():
    return _worker["retire_reason"]


def missing_imports_json(code):
    return json.dumps(missing_imports(code))


def missing_imports(code):
    """Top-level names the code imports that cannot be imported now (they may
    come from the package index). Empty for code that does not parse: the run
    reports the syntax error."""
    from pyodide.code import find_imports

    try:
        names = find_imports(code)
    except SyntaxError:
        return []
    missing = []
    for name in sorted({name.split(".")[0] for name in names}):
        if name in sys.modules:
            continue
        try:
            if importlib.util.find_spec(name) is None:
                missing.append(name)
        except (ImportError, ValueError):
            missing.append(name)
    return missing


def node_filename(title):
    """The file name tracebacks show for the node's code, e.g. `<node orders>`."""
    return f"<node {title}>"


def run_invocation(invocation_json, bridge_call, log_sink):
    """Runs the invocation and returns its outcome as a JSON string:
    {status, error, recordsRead, recordsWritten, newRunRequest, responses}."""
    if _worker["baseline"] is None:
        capture_baseline()
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
                invocation.commit(final=True)
            except PatternsError as exception:
                error = f"Saving the node's output failed: {exception}"
            except Exception as exception:
                error = "Saving the node's output failed:\n" + "".join(
                    traceback.format_exception_only(exception)
                ).rstrip()
    finally:
        set_current(None)
        linecache.cache.pop(filename, None)
        _forget_run(_worker["baseline"])

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


def _forget_run(baseline):
    native = _isolation.restore(baseline)
    if native and _worker["retire_reason"] is None:
        _worker["retire_reason"] = "it loaded native modules (" + ", ".join(sorted(native)[:5]) + ")"


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
