"""Exceptions a node sees. Messages say what went wrong, where, and what to do."""


class PatternsError(Exception):
    """Base class of every error raised by the patterns module."""


class PortError(PatternsError):
    """A store used by the node is not one of its ports, or is not bound."""


class HostError(PatternsError):
    """The host refused or failed a request (the message comes from the host)."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


class ParameterError(PatternsError):
    """A parameter has no value, or its value cannot be converted to its type."""


# Tracebacks show "patterns.HostError: ..." rather than the private file name.
for _cls in (PatternsError, PortError, HostError, ParameterError):
    _cls.__module__ = "patterns"
