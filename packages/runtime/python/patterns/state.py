"""`State`: a small JSON dict kept per node between runs, committed with its writes."""

import datetime

from .errors import PatternsError
from .host import current
from .records import to_json_value

# should_continue() turns False at this share of the time limit ...
_DEFAULT_PCT_OF_LIMIT = 0.8
# ... or this long before the limit, whichever comes first.
_DEFAULT_SECONDS_TILL_LIMIT = 120


class State:
    def __init__(self):
        self._invocation = current()

    def get(self):
        """A copy of the whole state dict."""
        return dict(self._invocation.state())

    def set(self, state):
        if not isinstance(state, dict):
            raise PatternsError(f"State.set() takes a dict, not {type(state).__name__}")
        self._invocation.replace_state(to_json_value(state, "State.set()"))

    def get_value(self, key, default=None):
        return self._invocation.state().get(key, default)

    def set_value(self, key, value):
        self._invocation.state()[str(key)] = to_json_value(value, f"State value '{key}'")
        self._invocation.touch_state()

    def get_datetime(self, key, default=None):
        """The value of key parsed as an ISO datetime (default if missing)."""
        value = self._invocation.state().get(key)
        if value is None:
            return default
        if isinstance(value, str):
            try:
                return datetime.datetime.fromisoformat(value)
            except ValueError:
                pass
        raise PatternsError(f"State value '{key}' is not an ISO datetime: {value!r}")

    def reset(self):
        self._invocation.replace_state({})

    signal_reset = reset

    def should_continue(self, pct_of_limit=None, seconds_till_limit=None):
        """False once the run nears its time limit: save progress and stop."""
        limit = self._invocation.time_limit_seconds
        if pct_of_limit is None and seconds_till_limit is None:
            pct_of_limit = _DEFAULT_PCT_OF_LIMIT
            # The 120 s margin only makes sense for limits well above it.
            if limit - _DEFAULT_SECONDS_TILL_LIMIT > 0:
                seconds_till_limit = _DEFAULT_SECONDS_TILL_LIMIT
        stops = []
        if pct_of_limit is not None:
            stops.append(limit * pct_of_limit)
        if seconds_till_limit is not None:
            stops.append(limit - seconds_till_limit)
        return self._invocation.seconds_elapsed() < min(stops)

    def request_new_run(self, trigger_downstream=True, wait_atleast_seconds=None):
        """Asks the host to run this node again after this run succeeds."""
        self._invocation.new_run_request = {
            "triggerDownstream": bool(trigger_downstream),
            "waitAtLeastSeconds": wait_atleast_seconds,
        }
