"""Schemas given by nodes, turned into the host's column list."""

from .errors import PatternsError

_TYPES = {
    "text": "text", "str": "text", "string": "text", "unicode": "text", "longtext": "text",
    "varchar": "text", "utf8": "text",
    "integer": "bigint", "int": "bigint", "bigint": "bigint", "int64": "bigint",
    "int32": "bigint", "long": "bigint",
    "float": "double precision", "double": "double precision", "decimal": "double precision",
    "numeric": "double precision", "float64": "double precision", "number": "double precision",
    "real": "double precision", "double precision": "double precision",
    "boolean": "boolean", "bool": "boolean",
    "json": "jsonb", "jsonb": "jsonb", "dict": "jsonb", "list": "jsonb", "object": "jsonb",
    "datetime": "timestamptz", "timestamp": "timestamptz", "timestamptz": "timestamptz",
    "date": "date", "date32": "date",
}


def column_type(value, where):
    """Maps a Patterns, Arrow or SQL type name (or a Python type) to a column type."""
    name = value.__name__ if isinstance(value, type) else str(value)
    key = name.strip().lower()
    if key in _TYPES:
        return _TYPES[key]
    raise PatternsError(
        f"{where}: unknown column type {name!r}; use Text, Integer, Float, Boolean, "
        "Date, DateTime or Json"
    )


def to_columns(schema, where):
    """None, or a list of {"name", "type"} from the accepted schema spellings:
    [{"name", "type"}], {column: type}, or a Patterns schema {"fields": ...}."""
    if schema is None or isinstance(schema, str):
        # A schema referenced by name is resolved by the host from the data.
        return None
    if isinstance(schema, dict) and "fields" in schema:
        schema = schema["fields"]
    if isinstance(schema, dict):
        items = []
        for name, spec in schema.items():
            kind = spec.get("type", spec.get("field_type")) if isinstance(spec, dict) else spec
            items.append({"name": name, "type": kind})
        schema = items
    if not isinstance(schema, (list, tuple)):
        raise PatternsError(f"{where}: a schema is a dict of column types or a list of columns")
    columns = []
    for item in schema:
        if not isinstance(item, dict) or "name" not in item:
            raise PatternsError(f"{where}: each schema column needs a name and a type")
        kind = item.get("type", item.get("field_type", "text"))
        columns.append({"name": str(item["name"]), "type": column_type(kind, where)})
    return columns
