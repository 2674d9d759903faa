"""Keeps node code away from the host's JavaScript.

In Pyodide, `import js` (and `pyodide_js`, `pyodide.code.run_js`, `pyodide.ffi`)
reach the JavaScript realm that runs the interpreter. Node code must not use
them, so while a node runs these modules are out of `sys.modules` and a
meta-path finder refuses to import them; `os.system` is refused too. This is
defence in depth: the boundary is the sandboxed worker process (Node's
permission model and an empty environment), not this module.
"""

import os
import sys

BLOCKED_MODULES = ("js", "pyodide_js", "pyodide", "_pyodide", "_pyodide_core", "micropip")
MESSAGE = "access to the host's JavaScript is not allowed in Patchbay nodes (import of '{}' refused)"


def _is_blocked(fullname):
    return fullname.split(".")[0] in BLOCKED_MODULES


class _HostModuleBlocker:
    """A meta-path finder that refuses blocked modules while a node runs."""

    armed = False

    def find_spec(self, fullname, path=None, target=None):
        if self.armed and _is_blocked(fullname):
            raise ImportError(MESSAGE.format(fullname), name=fullname)
        return None

    def invalidate_caches(self):
        pass


_blocker = _HostModuleBlocker()
_saved_modules = {}


def _refuse_programs(*args, **kwargs):
    raise PermissionError("running programs is not allowed in Patchbay nodes")


def install():
    if _blocker not in sys.meta_path:
        sys.meta_path.insert(0, _blocker)
    os.system = _refuse_programs
    # Pyodide sets "_" to the path of the host's entry script.
    os.environ.pop("_", None)
    if "posix" in sys.modules:
        sys.modules["posix"].system = _refuse_programs


def arm():
    """Hides the host modules; call before running node code."""
    for name in list(sys.modules):
        if _is_blocked(name):
            _saved_modules[name] = sys.modules.pop(name)
    _blocker.armed = True


def disarm():
    _blocker.armed = False
    for name, module in _saved_modules.items():
        sys.modules.setdefault(name, module)
    _saved_modules.clear()
