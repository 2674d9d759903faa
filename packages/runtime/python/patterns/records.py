"""Conversion of node records to and from JSON-safe values."""

import datetime
import decimal
import json
import math
import uuid

from .errors import PatternsError


def _pandas_or_none():
    try:
        import pandas
    except ImportError:
        return None
    return pandas


def import_pandas(what, where=None):
    """Imports pandas or raises an error that says how to get it."""
    try:
        import pandas
    except ImportError:
        context = f" ({where})" if where else ""
        raise PatternsError(
            f"pandas is needed for {what}{context}; "
            "install it from the Pyodide package index"
        ) from None
    return pandas


def is_dataframe(value):
    pandas = _pandas_or_none()
    return pandas is not None and isinstance(value, pandas.DataFrame)


def to_json_value(value, where="value"):
    """Returns a JSON-safe copy of value: dates and datetimes become ISO strings,
    Decimals become floats, NaN becomes None, numpy scalars become Python ones."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return to_json_value(float(value), where)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return {str(k): to_json_value(v, where) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_json_value(v, where) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", errors="replace")
    # numpy / pandas scalars and timestamps, without importing them
    if hasattr(value, "isoformat"):
        if _is_missing(value):
            return None
        return value.isoformat()
    if hasattr(value, "item") and callable(value.item):
        return to_json_value(value.item(), where)
    if hasattr(value, "tolist") and callable(value.tolist):
        return to_json_value(value.tolist(), where)
    if _is_missing(value):
        return None
    raise PatternsError(
        f"cannot store {type(value).__name__} in {where}: use str, int, float, bool, "
        "date, datetime, Decimal, list or dict values"
    )


def _is_missing(value):
    pandas = _pandas_or_none()
    if pandas is None:
        return False
    try:
        return bool(pandas.isna(value))
    except (TypeError, ValueError):
        return False


def normalize_records(records, where):
    """Turns a dict, a list of dicts or a DataFrame into a list of JSON records."""
    if records is None:
        return []
    if is_dataframe(records):
        records = records.to_dict(orient="records")
    elif isinstance(records, dict):
        records = [records]
    elif not isinstance(records, (list, tuple)):
        try:
            records = list(records)
        except TypeError:
            raise PatternsError(
                f"{where} takes a dict, a list of dicts or a DataFrame, "
                f"not {type(records).__name__}"
            ) from None
    result = []
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            raise PatternsError(
                f"{where}: record {index} is a {type(record).__name__}, not a dict"
            )
        result.append(to_json_value(record, where))
    return result


class PreparedRecords:
    """Records already turned into JSON text when they were written, so later
    changes to the caller's dicts do not change what is committed, and the
    commit sends them without converting them again."""

    __slots__ = ("json", "count")

    def __init__(self, json_text, count):
        self.json = json_text
        self.count = count

    def __len__(self):
        return self.count


def _json_default(value):
    # Called by json.dumps for values it does not know (dates, Decimals, numpy scalars...).
    converted = to_json_value(value, "a record")
    if type(converted) is type(value):
        raise TypeError(f"cannot store {type(value).__name__}")
    return converted


def prepare_records(records, where, created_column=None):
    """Like normalize_records, but returns PreparedRecords. The common case
    (dicts of str, int, float, bool, None, lists and dicts) is serialized by
    json in C; anything unusual takes the careful path of normalize_records."""
    if created_column is None and not is_dataframe(records) and isinstance(records, (list, tuple)):
        if all(type(record) is dict for record in records):
            try:
                text = json.dumps(records, default=_json_default, allow_nan=False, separators=(",", ":"))
                return PreparedRecords(text, len(records))
            except (TypeError, ValueError, PatternsError, RecursionError):
                pass  # NaN, odd keys or values: the careful path explains or converts them.
    rows = normalize_records(records, where)
    if created_column:
        now = datetime.datetime.now(datetime.timezone.utc).isoformat()
        for row in rows:
            row.setdefault(created_column, now)
    return PreparedRecords(json.dumps(rows, separators=(",", ":")), len(rows))


def records_to_format(records, as_format, what):
    if as_format in (None, "records"):
        return records
    if as_format == "dataframe":
        pandas = import_pandas("as_format='dataframe'", what)
        return pandas.DataFrame.from_records(records)
    raise PatternsError(
        f"{what}: unknown as_format {as_format!r}; use 'records' or 'dataframe'"
    )
