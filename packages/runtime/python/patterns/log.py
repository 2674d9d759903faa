"""`log` and the capture of print() output as log entries."""

import io

from .host import current

LEVELS = ("trace", "debug", "info", "warn", "error")


def _message(message, args):
    text = str(message)
    if args:
        try:
            text = text % args
        except (TypeError, ValueError):
            text = " ".join([text, *map(str, args)])
    return text


class Logger:
    """Log entries of the run. `log.error` marks the run failed."""

    def trace(self, message, *args):
        current().log("trace", _message(message, args))

    def debug(self, message, *args):
        current().log("debug", _message(message, args))

    def info(self, message, *args):
        current().log("info", _message(message, args))

    def warn(self, message, *args):
        current().log("warn", _message(message, args))

    warning = warn

    def error(self, message, *args):
        current().log("error", _message(message, args))

    exception = error


log = Logger()


class LogWriter(io.TextIOBase):
    """A text stream that turns each written line into a log entry."""

    def __init__(self, invocation, level):
        self._invocation = invocation
        self._level = level
        self._pending = ""

    def writable(self):
        return True

    def write(self, text):
        self._pending += text
        *lines, self._pending = self._pending.split("\n")
        for line in lines:
            self._invocation.log(self._level, line)
        return len(text)

    def flush(self):
        pass

    def close_line(self):
        if self._pending:
            self._invocation.log(self._level, self._pending)
            self._pending = ""
