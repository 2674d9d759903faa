"""`Parameter` and `Connection`: values set in the node's parameter form."""

import datetime
import json

from .errors import ParameterError
from .host import current

_MISSING = object()


class Connection:
    """The type of a parameter holding credentials of a kind, e.g. Connection("postgres")."""

    def __init__(self, connection_type):
        self.connection_type = connection_type

    def __repr__(self):
        return f"Connection({self.connection_type!r})"


def Parameter(name, description=None, type=str, default=_MISSING):
    """The value of parameter `name`, converted to `type`."""
    parameters = current().parameters
    if name in parameters and parameters[name] is not None:
        value, source = parameters[name], "value"
    elif default is not _MISSING:
        value, source = default, "default"
    else:
        raise ParameterError(
            f"Parameter '{name}' has no value and no default: set it in the node's "
            "parameter form or give the Parameter a default."
        )
    if value is None:
        return None
    return _convert(name, value, type, source)


def _type_name(kind):
    if isinstance(kind, Connection):
        return "connection"
    if isinstance(kind, type):
        return kind.__name__
    return str(kind).lower()


def _convert(name, value, kind, source):
    if isinstance(kind, Connection):
        if not isinstance(value, dict):
            raise ParameterError(
                f"Parameter '{name}' needs a {kind.connection_type} connection "
                "(a dict of credentials); choose one in the node's parameter form."
            )
        return value
    type_name = _type_name(kind)
    try:
        converter = _CONVERTERS[type_name]
    except KeyError:
        raise ParameterError(
            f"Parameter '{name}': unknown type {type_name!r}; use str, text, bool, int, "
            "float, date, datetime, list, schema or Connection(kind)"
        ) from None
    try:
        return converter(value)
    except (TypeError, ValueError) as error:
        raise ParameterError(
            f"Parameter '{name}' should be a {type_name}, but its {source} {value!r} "
            f"is not ({error})"
        ) from None


def _to_str(value):
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)


def _to_bool(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0
    text = str(value).strip().lower()
    if text in ("true", "yes", "y", "1", "on"):
        return True
    if text in ("false", "no", "n", "0", "off", ""):
        return False
    raise ValueError("expected true or false")


def _to_int(value):
    if isinstance(value, bool):
        raise ValueError("a bool is not an int")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError("it has a fraction")
        return int(value)
    return int(str(value).strip()) if isinstance(value, str) else int(value)


def _to_float(value):
    if isinstance(value, bool):
        raise ValueError("a bool is not a float")
    return float(value)


def _to_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value).strip()[:10])


def _to_datetime(value):
    if isinstance(value, datetime.datetime):
        return value
    if isinstance(value, datetime.date):
        return datetime.datetime(value.year, value.month, value.day)
    text = str(value).strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    return datetime.datetime.fromisoformat(text)


def _to_list(value):
    if isinstance(value, (list, tuple)):
        return list(value)
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            parsed = json.loads(text)
            if isinstance(parsed, list):
                return parsed
        return [item.strip() for item in text.split(",") if item.strip()]
    raise ValueError("expected a list")


def _to_schema(value):
    if isinstance(value, str) and value.strip().startswith("{"):
        return json.loads(value)
    return value


_CONVERTERS = {
    "str": _to_str,
    "text": _to_str,
    "string": _to_str,
    "bool": _to_bool,
    "boolean": _to_bool,
    "int": _to_int,
    "integer": _to_int,
    "float": _to_float,
    "date": _to_date,
    "datetime": _to_datetime,
    "list": _to_list,
    "schema": _to_schema,
    "dict": lambda value: json.loads(value) if isinstance(value, str) else dict(value),
    "connection": lambda value: value if isinstance(value, dict) else json.loads(value),
}
