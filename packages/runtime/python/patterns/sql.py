"""`{{ }}` templates in SQL: each names a port of the node and becomes the quoted
SQL name of the active version of the store bound to it."""

import re

from .errors import PatternsError

_TEMPLATE = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
_STORE_CALL = re.compile(r"""^(Table|Stream)\(\s*(['"])(.+?)\2\s*(,.*)?\)$""", re.DOTALL)


def render_sql(sql, invocation, what):
    """Replaces `{{ port }}`, `{{ variable }}` and `{{ Table("port") }}` in sql."""
    if not isinstance(sql, str):
        raise PatternsError(f"{what} takes the SQL as a str, not {type(sql).__name__}")

    def replace(match):
        expression = match.group(1).strip()
        label, port = _resolve(expression, invocation, what)
        binding = invocation.port(label, port, writing=False)
        invocation.require_bound(label, binding)
        info = invocation.store_info(port)
        if not info["exists"] or info["sqlName"] is None:
            raise PatternsError(
                f"{label} used in the SQL of {what} has no data yet: "
                "run the node that writes it first."
            )
        return info["sqlName"]

    return _TEMPLATE.sub(replace, sql)


def _resolve(expression, invocation, what):
    call = _STORE_CALL.match(expression)
    if call:
        return f"{call.group(1)} '{call.group(3)}'", call.group(3)
    if expression.isidentifier():
        if expression in invocation.ports:
            return f"Table '{expression}'", expression
        store = invocation.user_globals.get(expression)
        port = getattr(store, "_port", None)
        if isinstance(port, str):
            return f"{type(store).__name__} '{port}'", port
        return f"Table '{expression}'", expression
    raise PatternsError(
        f"cannot understand {{{{ {expression} }}}} in the SQL of {what}: "
        'use {{ port_name }} or {{ Table("port_name") }}'
    )
