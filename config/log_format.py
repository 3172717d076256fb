"""One JSON object per log line, with the fields a caller passed in `extra={...}`.

For the structured loggers ("wie.money", "wie.bids", "wie.auth"), whose records carry ids,
codes and amounts as attributes: a log shipper can index them without parsing the message.
Wired in settings.LOGGING as a formatter: {"()": "config.log_format.JsonFormatter"}.
"""

import json
import logging
from datetime import UTC, date, datetime
from decimal import Decimal

# Attributes every LogRecord has; anything else on a record came from `extra`.
_RECORD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", logging.INFO, "", 0, "", (), None))) | {
    "message",
    "asctime",
    "taskName",
}


def _json_default(value):
    # Money stays exact: a Decimal is written as its string ("12.30"), never as a float.
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return sorted(value) if isinstance(value, (set, frozenset)) else list(value)
    return str(value)


class JsonFormatter(logging.Formatter):
    """{"time", "level", "logger", "message", ...extra fields, "exception"?} on one line.

    Chinese stays readable (ensure_ascii=False); a field that JSON cannot hold is written as
    its string. The extra fields come after the standard ones and cannot replace them.
    """

    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name, value in vars(record).items():
            if name not in _RECORD_ATTRIBUTES and not name.startswith("_"):
                payload.setdefault(name, value)
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            payload["stack"] = self.formatStack(record.stack_info)
        return json.dumps(payload, ensure_ascii=False, default=_json_default)
