"""SQL nodes: a SQL statement whose `{{ Table("x") }}` and `{{ Parameter(...) }}`
templates are the node's ports and parameters.

A SELECT (or WITH / VALUES) becomes a new version of the store bound to the
implicit `output_table` port, built by the host inside the commit transaction,
so the rows never travel through Python. Any other statement must write into
exactly one store declared in write mode, e.g.
`INSERT INTO {{ Table("log", "w") }} SELECT ... FROM {{ Table("events") }}`.
"""

import datetime
import re

from .errors import PatternsError
from .host import current
from .parameter import Connection, Parameter
from .stream import Stream
from .table import Table

OUTPUT_PORT = "output_table"
_TEMPLATE = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
_QUERY_KEYWORDS = ("select", "with", "values", "table")
_TEMPLATE_NAMES = {
    "Table": Table,
    "Stream": Stream,
    "Parameter": Parameter,
    "Connection": Connection,
    "str": str,
    "text": str,
    "int": int,
    "float": float,
    "bool": bool,
    "date": datetime.date,
    "datetime": datetime.datetime,
    "list": list,
}


def sql_literal(value):
    """A Python value as an SQL literal (parameters are substituted, not bound)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return "'" + value.isoformat() + "'"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, (list, tuple)):
        return ", ".join(sql_literal(item) for item in value)
    raise PatternsError(f"a {type(value).__name__} value cannot be used in SQL")


def run_sql_node(template):
    """Renders the node's SQL and queues it as the node's one write."""
    invocation = current()
    writers = []

    def replace(match):
        expression = match.group(1).strip()
        line = template.count("\n", 0, match.start()) + 1
        try:
            value = eval(expression, {"__builtins__": {}}, dict(_TEMPLATE_NAMES))  # noqa: S307 - the node's own code, in its sandbox
        except PatternsError:
            raise
        except Exception as error:
            raise PatternsError(f"line {line}: cannot evaluate {{{{ {expression} }}}}: {error}") from None
        if isinstance(value, (Table, Stream)):
            if value._writing:
                writers.append(value)
            return value.sql_name
        return sql_literal(value)

    sql = _TEMPLATE.sub(replace, template).strip().rstrip(";").strip()
    if not sql:
        raise PatternsError("this SQL node has no statement")
    keyword = sql.split(None, 1)[0].lower()
    if keyword in _QUERY_KEYWORDS:
        invocation.add_write({"op": "replaceWithQuery", "port": OUTPUT_PORT, "sql": sql})
    elif len(writers) == 1:
        invocation.add_write({"op": "executeSql", "port": writers[0]._port, "sql": sql})
    else:
        raise PatternsError(
            f"a {keyword.upper()} statement must write into exactly one store declared with "
            '{{ Table("name", "w") }}; a SELECT writes a new version of output_table'
        )
