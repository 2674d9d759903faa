"""The Patterns node API: stores, state, parameters and logs for Patchbay nodes.

    from patterns import Table, Stream, State, Parameter, Connection
"""

from .errors import HostError, ParameterError, PatternsError, PortError
from .log import log
from .parameter import Connection, Parameter
from .state import State
from .stream import Stream
from .table import Table
from .webhook import respond_to_request

__all__ = [
    "Connection",
    "HostError",
    "Parameter",
    "ParameterError",
    "PatternsError",
    "PortError",
    "State",
    "Stream",
    "Table",
    "log",
    "respond_to_request",
]
