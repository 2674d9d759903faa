"""Puts the interpreter back as it was before a node ran.

A warm worker runs many invocations in one interpreter. Each one gets fresh
globals, but modules are shared: without this, a node that rebinds
`patterns.Table`, patches `json.dumps`, adds a class attribute, changes
`sys.path` or leaves a module it imported in `sys.modules` would change what
the next node sees. After every run we drop the modules the run imported and
restore the module dicts, classes, functions and `sys` settings captured at
start-up.

This undoes accidents, not attacks: Python code can always reach and corrupt
these saved copies (through `gc`). The boundary between graphs is the
process: the worker pool never runs a node of another graph on a worker that
has run code of this one (see worker-pool.ts).
"""

import gc
import operator
import os
import sys
import types
import warnings

_MISSING = object()
_FUNCTION_PARTS = operator.attrgetter("__code__", "__defaults__", "__kwdefaults__")
# Py_TPFLAGS_IMMUTABLETYPE: built-in types whose attributes cannot be set.
_IMMUTABLE_TYPE = 1 << 8


class Baseline:
    """What the interpreter looked like before any node ran."""

    def __init__(self):
        self.modules = dict(sys.modules)
        self.module_dicts = []
        self.classes = []
        self.functions = []
        self.function_parts = []
        seen = set()
        for name, module in self.modules.items():
            namespace = getattr(module, "__dict__", None)
            if not isinstance(namespace, dict):
                continue
            self.module_dicts.append((namespace, dict(namespace)))
            for value in list(namespace.values()):
                self._remember(value, name, seen)
        self.path = list(sys.path)
        self.meta_path = list(sys.meta_path)
        self.path_hooks = list(sys.path_hooks)
        self.path_importer_cache = dict(sys.path_importer_cache)
        self.environ = dict(os.environ)
        self.cwd = os.getcwd()
        self.recursion_limit = sys.getrecursionlimit()
        self.int_max_str_digits = sys.get_int_max_str_digits()
        self.warning_filters = list(warnings.filters)
        self.gc_callbacks = list(gc.callbacks)

    def _remember(self, value, module_name, seen):
        if id(value) in seen:
            return
        if isinstance(value, type):
            if value.__module__ != module_name or value.__flags__ & _IMMUTABLE_TYPE:
                return
            seen.add(id(value))
            members = dict(value.__dict__)
            self.classes.append((value, members))
            for member in members.values():
                if isinstance(member, (staticmethod, classmethod)):
                    member = member.__func__
                if isinstance(member, types.FunctionType) and id(member) not in seen:
                    seen.add(id(member))
                    self._remember_function(member)
        elif isinstance(value, types.FunctionType) and value.__module__ == module_name:
            seen.add(id(value))
            self._remember_function(value)

    def _remember_function(self, function):
        self.functions.append(function)
        self.function_parts.append(_FUNCTION_PARTS(function))


def _unchanged(current, saved):
    """A fast check (in C) that nothing was added, removed or rebound. It
    compares values with ==, which is `is` for almost everything kept in
    module and class namespaces."""
    try:
        return current == saved
    except Exception:
        return False


def _restore_dict(namespace, saved):
    if _unchanged(namespace, saved):
        return
    for key in [key for key in namespace if key not in saved]:
        del namespace[key]
    for key, value in saved.items():
        if namespace.get(key, _MISSING) is not value:
            namespace[key] = value


def _restore_class(cls, saved):
    current = cls.__dict__
    if _unchanged(current, saved):
        return
    for key in [key for key in current if key not in saved]:
        try:
            delattr(cls, key)
        except (AttributeError, TypeError):
            pass
    for key, value in saved.items():
        if current.get(key, _MISSING) is not value:
            try:
                setattr(cls, key, value)
            except (AttributeError, TypeError):
                pass


def _is_native(module):
    """True for an extension module (C code loaded from a .so): it cannot be
    imported a second time, so the worker has to be replaced instead."""
    file_name = getattr(module, "__file__", None)
    return isinstance(file_name, str) and file_name.endswith(".so")


def restore(baseline):
    """Undoes what a run changed. Returns the names of native modules the run
    loaded (non-empty: this interpreter should not be reused)."""
    native = []
    for name in list(sys.modules):
        if name not in baseline.modules:
            module = sys.modules.pop(name, None)
            if _is_native(module):
                native.append(name)
    for name, module in baseline.modules.items():
        if sys.modules.get(name, _MISSING) is not module:
            sys.modules[name] = module
    for namespace, saved in baseline.module_dicts:
        _restore_dict(namespace, saved)
    for cls, saved in baseline.classes:
        _restore_class(cls, saved)
    if not _unchanged(list(map(_FUNCTION_PARTS, baseline.functions)), baseline.function_parts):
        for function, (code, defaults, kwdefaults) in zip(baseline.functions, baseline.function_parts):
            if _FUNCTION_PARTS(function) != (code, defaults, kwdefaults):
                function.__code__ = code
                function.__defaults__ = defaults
                function.__kwdefaults__ = kwdefaults
    sys.path[:] = baseline.path
    sys.meta_path[:] = baseline.meta_path
    sys.path_hooks[:] = baseline.path_hooks
    _restore_dict(sys.path_importer_cache, baseline.path_importer_cache)
    if dict(os.environ) != baseline.environ:
        os.environ.clear()
        os.environ.update(baseline.environ)
    if os.getcwd() != baseline.cwd:
        os.chdir(baseline.cwd)
    sys.setrecursionlimit(baseline.recursion_limit)
    sys.set_int_max_str_digits(baseline.int_max_str_digits)
    sys.settrace(None)
    sys.setprofile(None)
    if warnings.filters != baseline.warning_filters:
        warnings.filters[:] = baseline.warning_filters
        # The warnings module caches lookups; tell it the filters changed.
        mutated = getattr(warnings, "_filters_mutated", None) or getattr(warnings, "_filters_mutated_lock_held", None)
        if callable(mutated):
            mutated()
    gc.callbacks[:] = baseline.gc_callbacks
    return native
