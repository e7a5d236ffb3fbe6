"""Recognise structured lines and cut them into a shape and field values, not into words.

A JSON record, a logfmt line or an HTTP access-log line says what happened by its *shape*: which
keys it has, which event-naming field values it carries, its status class. Its other values
(ids, paths, user agents, ``GET``/``POST``, ``true``/``false``) vary from line to line and must
not split the event, however few distinct values they have. Treating such lines as text splits
one event into dozens of groups (a word such as ``POST`` or ``cache`` is not masked), so they
are recognised per line and grouped here by shape; free text goes the text path.

Recognised, per line, cheapest test first:

- **JSON objects** (``{...}``): nested objects are flattened to dotted keys; a list is one value.
- **logfmt** (Go slog/logrus, OpenTelemetry): the whole line is ``key=value`` pairs (at least
  three, values bare or double-quoted).
- **klog structured** (kubelet and other Kubernetes components): a glog header, then a quoted
  message and ``key=value`` pairs.
- **text with JSON fields** (zap console encoder: OpenTelemetry Collector, Go services; Lambda
  Node errors): a text line, a tab, then one JSON object; the text goes the header/message path.
- **HTTP access logs** (nginx/Apache combined and common, ingress-nginx, envoy): a quoted
  ``"METHOD target HTTP/x"`` followed by a three-digit status; the fields around it are
  positional. AWS Application Load Balancer logs put the status codes before the request.
- **behind a text header** (:func:`parse_message_fields`, on the message the header parser
  cut out): logfmt (Heroku router) or a JSON object (containerd/CRI-O node logs).

The shape is the format, the field names in order, the message (masked later, like any text)
and the status class (``2xx``…``5xx``) of a field whose name says status. Fields whose name
says they name the event (``type``, ``eventName``, ``action``, ``reason``…) keep their value in
the shape *provisionally*: :mod:`logai.reduce._structured_groups` drops it when the value
turns out to vary too much across lines to be an event name. Levels and timestamps are not
fields: the level is the group's severity, the time its first/last timestamp.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from operator import itemgetter
from typing import NamedTuple

from logai.reduce._header import SplitLine, canonical_level, split_line
from logai.reduce._mask import WILDCARD

_MESSAGE_KEYS = ("message", "msg", "@message", "log", "text", "body", "event")
_LEVEL_KEYS = frozenset(
    {"level", "severity", "levelname", "log.level", "lvl", "loglevel", "@level", "severity_text"}
)
_TIME_KEYS = frozenset(
    {"timestamp", "time", "ts", "@timestamp", "asctime", "datetime", "t", "eventtime", "date"}
)
#: Keys whose value names the kind of event (lower-cased, last dotted part).
_KIND_KEYS = frozenset(
    {
        "type", "event_type", "eventtype", "eventname", "event_name", "action", "reason", "kind",
        "op", "operation", "verb", "eventsource", "event_source", "category", "activity",
        "status", "state", "result", "outcome",
    }
)  # fmt: skip
# An event name is an identifier (``page_view``, ``AssumeRole``, ``payment.failed``), not prose.
_IDENTIFIER_RE = re.compile(r"[A-Za-z][\w.:/\-]{0,63}")
_HTTP_METHODS = "GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS|CONNECT|TRACE|PROPFIND"
# No quote or space inside the parts, so a failed match costs one pass, not a backtrack per
# character; ``"-"`` is nginx's request when the client sent none.
_ACCESS_RE = re.compile(
    rf'"(?:(?P<method>{_HTTP_METHODS}) (?P<target>[^\s"]+)(?: (?P<proto>[^\s"]+))?|-)" '
    r"(?P<status>[1-5]\d\d)\b"
)
_ALB_RE = re.compile(
    r"(https?|h2|grpcs|wss?) \S+ \S+ \S+ \S+ \S+ \S+ \S+ (?P<status>[1-5]\d\d|-) \S+ \d+ \d+ "
    rf'"(?P<method>{_HTTP_METHODS}|-) (?P<target>\S*) (?P<proto>[^"\s]*)"'
)
# Positional fields of an access log: a quoted string, a bracketed one, or a bare token that
# continues over ``, `` (ingress-nginx writes upstream lists as ``a:80, b:80``).
_FIELD_RE = re.compile(r'"(?:[^"\\]|\\.)*"|\[[^\]]*\]|(?:[^\s",\[]+,\s+)*[^\s"\[]+')
_PAIR = r'[A-Za-z_@][\w.\-/@]*=(?:"(?:[^"\\]|\\.)*"|\[[^\]\n]*\]|[^\s"]*)'
_LOGFMT_RE = re.compile(rf"(?:{_PAIR}\s+){{2,}}{_PAIR}\s*")
_SOURCE_RE = re.compile(r"([A-Za-z][A-Za-z_.\-/]*(?:\[[^\]\s]*\])?):\s+")
_COMMA_LIST_RE = re.compile(r'=[^\s"]*,(?:\s|$)')
_PAIR_RE = re.compile(r'([A-Za-z_@][\w.\-/@]*)=("(?:[^"\\]|\\.)*"|\[[^\]\n]*\]|[^\s"]*)')
_KLOG_RE = re.compile(r'[IWEF]\d{4} \d\d:\d\d:\d\d\.\d+\s+\d+ [\w.\-/]+:\d+\] "((?:[^"\\]|\\.)*)"')
_KLOG_LEVELS = {"I": "INFO", "W": "WARN", "E": "ERROR", "F": "FATAL"}
_KLOG_PAIRS_RE = re.compile(rf"(?:\s+{_PAIR})*\s*")

#: Field names of the common access-log layouts, by their number of fields before and after the
#: request (anything else is numbered).
_LAYOUTS: dict[tuple[int, int], tuple[tuple[str, ...], tuple[str, ...]]] = {
    (4, 1): (("client", "ident", "user", "time"), ("bytes",)),
    (4, 3): (("client", "ident", "user", "time"), ("bytes", "referer", "user_agent")),
    (4, 4): (
        ("client", "ident", "user", "time"),
        ("bytes", "referer", "user_agent", "forwarded_for"),
    ),
    (4, 12): (
        ("client", "ident", "user", "time"),
        (
            "bytes",
            "referer",
            "user_agent",
            "request_length",
            "request_time",
            "upstream_name",
            "upstream_alternative",
            "upstream_addr",
            "upstream_bytes",
            "upstream_time",
            "upstream_status",
            "request_id",
        ),
    ),
    (1, 10): (
        ("time",),
        (
            "response_flags",
            "bytes_received",
            "bytes_sent",
            "duration",
            "upstream_time",
            "forwarded_for",
            "user_agent",
            "request_id",
            "authority",
            "upstream_host",
        ),
    ),
}
_SKIP_ACCESS = frozenset({"time"})


class Parsed(NamedTuple):
    """One structured line, cut into what identifies its event and what varies."""

    shape: tuple[str, ...]
    """Format, then field names in order (and the status class): lines of one event share it."""
    message: str | None
    """The line's message text, to be masked like free text; ``None`` when it has none."""
    names: tuple[str, ...]
    """Names of the fields that may vary (not the message, level or time)."""
    values: tuple[object, ...]
    """Their values, hashable, in the same order."""
    kinds: tuple[object, ...]
    """Values of the fields that name the event (``type``, ``eventName``…), ``<*>`` where the
    value is not an identifier (prose is not an event name)."""
    severity: str | None
    header: str
    """The time text, for first/last timestamps."""


def parse_structured(line: str) -> Parsed | None:
    """The structure of ``line``, or ``None`` when it is free text (the text path takes it)."""
    if line[:1] != "{" and "=" not in line and "HTTP/" not in line and line[-1:] != "}":
        return None  # most free text: no test below could match
    parsed = _parse(line)
    if parsed is not None and len(parsed.names) > MAX_FIELDS:
        return None  # a record with thousands of keys is a dump, not an event: read it as text
    return parsed


#: Fields per line beyond which a line is not treated as a structured event.
MAX_FIELDS = 256


def _parse(line: str) -> Parsed | None:
    first = line[:1]
    if first == "{":
        return _json(line)
    if line[-1:] == "}":
        cut = line.find("\t{")
        if cut > 0:
            return _text_with_fields(line, cut + 1)
    if "HTTP/" in line:
        found = _ACCESS_RE.search(line)
        if found is not None:
            return _access(line, found)
        alb = _ALB_RE.match(line)
        if alb is not None:
            return _alb(line, alb)
    equals = line.find("=")
    if equals > 0:
        if first in "IWEF":
            klog = _KLOG_RE.match(line)
            if klog is not None:
                return _klog(line, klog)
        space = line.find(" ")
        # logfmt starts with a pair: the first ``=`` comes before the first space.
        if (space < 0 or equals < space) and _LOGFMT_RE.fullmatch(line):
            return _logfmt(line)
    return None


def status_class(value: object) -> str | None:
    """``2xx`` for 200..299 (an int or a digit string), else ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return f"{value // 100}xx" if 100 <= value <= 599 else None
    if isinstance(value, str) and len(value) == 3 and value.isdigit() and value[0] in "12345":
        return f"{value[0]}xx"
    return None


def _is_status(name: str) -> bool:
    leaf = name.rsplit(".", 1)[-1].lower()
    return "status" in leaf and "upstream" not in name.lower()


def _json(line: str) -> Parsed | None:
    try:
        data = json.loads(line)
    except (ValueError, RecursionError):  # not JSON, or nested beyond what can be decoded
        return None
    if not isinstance(data, dict):
        return None
    names: list[str] = []
    values: list[object] = []
    _flatten(data, "", names, values)
    parsed = _fields("json", names, values)
    message = parsed.message
    if message is not None and message[:1] == "{" and message.rstrip()[-1:] == "}":
        _unwrap_message(names, values)
        parsed = _fields("json", names, values)
    return parsed


def _unwrap_message(names: list[str], values: list[object]) -> None:
    """A collector's envelope around an application's JSON (Docker and Fluent Bit write
    ``{"log": "{\\"level\\":...}", "stream": ...}``): the inner record's fields replace it."""
    for index, name in enumerate(names):
        if name.lower() not in _MESSAGE_KEYS:
            continue
        text = values[index]
        if isinstance(text, str) and text[:1] == "{" and text.rstrip()[-1:] == "}":
            try:
                inner = json.loads(text)
            except (ValueError, RecursionError):
                return
            if isinstance(inner, dict):
                inner_names: list[str] = []
                inner_values: list[object] = []
                _flatten(inner, "", inner_names, inner_values)
                names[index : index + 1] = inner_names
                values[index : index + 1] = inner_values
        return


def parse_message_fields(split: SplitLine) -> Parsed | None:
    """A text header, then logfmt (Heroku router, logrus behind a syslog prefix) or a JSON
    object (container runtime logs, ``<time> INFO {...}``): the fields.

    Called on the message of a line the header parser already split, so that the header's
    time and level are kept and the ``key=value`` pairs are grouped like a logfmt line.
    """
    message = split.message
    if message[:1] == "{":  # ``<time> INFO {"event": ...}``, a CRI line around JSON
        parsed_json = _json(message) if message.rstrip()[-1:] == "}" else None
        if parsed_json is None or len(parsed_json.names) > MAX_FIELDS:
            return None
        return parsed_json._replace(
            severity=parsed_json.severity or split.severity,
            header=parsed_json.header or split.header,
        )
    if "=" not in message:
        return None
    source = _SOURCE_RE.match(message)  # ``heroku[router]: at=info ...``
    start = source.end() if source is not None else 0
    if not _LOGFMT_RE.fullmatch(message, start) or _COMMA_LIST_RE.search(message, start):
        return None  # ``vel=1.0, expand=true, ...`` is a sentence's argument list, not logfmt
    parsed = _logfmt(message[start:])
    if source is not None:
        parsed = parsed._replace(shape=(*parsed.shape, source.group(1)))
    return parsed._replace(
        severity=parsed.severity or split.severity, header=parsed.header or split.header
    )  # the source (``heroku[router]``) names who spoke: part of the shape, not a field


def _flatten(
    obj: dict[str, object], prefix: str, names: list[str], values: list[object], depth: int = 0
) -> None:
    """Nested objects become dotted keys, down to ``_MAX_DEPTH``; deeper, one value each."""
    for key, value in obj.items():
        name = prefix + key
        kind = type(value)
        if kind is dict and value and depth < _MAX_DEPTH:
            _flatten(value, name + ".", names, values, depth + 1)  # type: ignore[arg-type]
        else:
            names.append(name)
            if kind is list or kind is dict:
                value = _compact(value)
            values.append(value)


def _compact(value: object) -> str:
    try:
        return json.dumps(value, separators=(",", ":"))
    except RecursionError:
        return "…"


_MAX_DEPTH = 8


def _text_with_fields(line: str, start: int) -> Parsed | None:
    """zap's console encoder (OpenTelemetry Collector, many Go services) and Lambda's Node
    runtime: a text line, a tab, then the fields as one JSON object."""
    try:
        data = json.loads(line[start:])
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    split = split_line(line[:start].rstrip())
    names: list[str] = []
    values: list[object] = []
    _flatten(data, "", names, values)
    parsed = _fields("text", names, values)
    message = split.message if parsed.message is None else f"{split.message} {parsed.message}"
    return parsed._replace(
        message=message, severity=parsed.severity or split.severity, header=split.header
    )


def _logfmt(line: str) -> Parsed:
    names: list[str] = []
    values: list[object] = []
    for name, value in _PAIR_RE.findall(line):
        names.append(name)
        values.append(_unquote(value))
    return _fields("logfmt", names, values)


def _klog(line: str, head: re.Match[str]) -> Parsed | None:
    rest = line[head.end() :]
    if not _KLOG_PAIRS_RE.fullmatch(rest):
        return None
    names = ["msg"]
    values: list[object] = [_unquote(f'"{head.group(1)}"')]
    for name, value in _PAIR_RE.findall(rest):
        names.append(name)
        values.append(_unquote(value))
    parsed = _fields("klog", names, values)
    stamp = line[1 : head.start(1) - 1].split("]")[0]
    return parsed._replace(severity=_KLOG_LEVELS[line[0]], header=stamp)


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == '"' and value[-1] == '"':
        inner = value[1:-1]
        return inner.replace('\\"', '"').replace("\\\\", "\\") if "\\" in inner else inner
    return value


class _Plan(NamedTuple):
    """What each field of one key layout is: worked out once per layout, not per line."""

    shape: tuple[str, ...]
    message: int
    level: int
    time: int
    kept: tuple[int, ...]
    names: tuple[str, ...]
    kinds: tuple[int, ...]
    statuses: tuple[int, ...]
    errors: tuple[int, ...]
    pick: Callable[[list[object]], tuple[object, ...]]
    """The kept values of a line, in order."""


_PLANS: dict[tuple[str, ...], _Plan] = {}
_PLAN_LIMIT = 10_000


def _fields(fmt: str, names: list[str], values: list[object]) -> Parsed:
    """Pick the message, level and time out of the fields; the rest may vary."""
    layout = (fmt, *names)
    plan = _PLANS.get(layout)
    if plan is None:
        plan = _make_plan(layout)
        if len(_PLANS) < _PLAN_LIMIT:
            _PLANS[layout] = plan
    message = values[plan.message] if plan.message >= 0 else None
    if message is not None and not isinstance(message, str):
        message = json.dumps(message)
    level = values[plan.level] if plan.level >= 0 else None
    severity = _NUMERIC_LEVELS.get(level) if isinstance(level, int) else canonical_level(str(level))
    if (
        severity is None
        and plan.errors
        and any(values[i] not in (None, "", False) for i in plan.errors)
    ):
        severity = "ERROR"  # no level, but an error field with a value (``errorCode``)
    shape = plan.shape
    if plan.statuses:
        classes = tuple(status_class(values[i]) or "-" for i in plan.statuses)
        shape += classes
        if severity is None and "5xx" in classes:
            severity = "ERROR"  # as for access logs: a server error, whatever else is said
    kinds = (
        tuple(
            value if isinstance(value, str) and _IDENTIFIER_RE.fullmatch(value) else WILDCARD
            for value in (values[i] for i in plan.kinds)
        )
        if plan.kinds
        else ()
    )
    return Parsed(
        shape,
        message or None,
        plan.names,
        plan.pick(values),
        kinds,
        severity,
        str(values[plan.time]) if plan.time >= 0 else "",
    )


def _make_plan(layout: tuple[str, ...]) -> _Plan:
    message = level = time = -1
    kept: list[int] = []
    kinds: list[int] = []
    statuses: list[int] = []
    errors: list[int] = []
    for index, name in enumerate(layout[1:]):
        lowered = name.lower()
        if message < 0 and lowered in _MESSAGE_KEYS:
            message = index
        elif level < 0 and lowered in _LEVEL_KEYS:
            level = index
        elif time < 0 and lowered in _TIME_KEYS:
            time = index
        else:
            if lowered.startswith(_ERROR_KEYS):  # ``errorCode``, ``error.type``
                errors.append(index)
            # ``status`` may be both: an HTTP code (its class is in the shape) or a word
            # (``succeeded``/``failed``: an event name); a number is never an event name.
            if "." not in lowered and lowered in _KIND_KEYS:
                kinds.append(index)
            if _is_status(name):
                statuses.append(index)
            kept.append(index)
    # Keys that are ids (``{"counts": {"2024-03-01": 5}}``, maps keyed by user id) are one
    # shape whatever the id: the key becomes ``<*>`` in the shape and the shown names.
    shape = tuple(_ID_KEY_RE.sub(WILDCARD, name) for name in layout)
    names = tuple(shape[i + 1] for i in kept)
    return _Plan(
        shape, message, level, time, tuple(kept), names, tuple(kinds), tuple(statuses),
        tuple(errors), _picker(tuple(kept)),
    )  # fmt: skip


# A dotted key part holding two digits or more, or a long hex run: an id, not a name.
_ID_KEY_RE = re.compile(r"(?<![^.])(?=[^.]*\d[^.]*\d|[^.]*[0-9a-f]{8})[^.]+")


def _picker(kept: tuple[int, ...]) -> Callable[[list[object]], tuple[object, ...]]:
    """``itemgetter`` that always returns a tuple (it returns a bare item for one index)."""
    if len(kept) >= 2:
        return itemgetter(*kept)
    if kept:
        index = kept[0]
        return lambda values: (values[index],)
    return lambda values: ()


#: Top-level keys that, holding a value, make an unlevelled record an error.
_ERROR_KEYS = ("error", "err", "exception", "fault")
#: pino and bunyan write levels as numbers.
_NUMERIC_LEVELS = {10: "TRACE", 20: "DEBUG", 30: "INFO", 40: "WARN", 50: "ERROR", 60: "FATAL"}


def _access(line: str, found: re.Match[str]) -> Parsed:
    before = _FIELD_RE.findall(line, 0, found.start())
    after = _FIELD_RE.findall(line, found.end())
    layout = _LAYOUTS.get((len(before), len(after)))
    if layout is not None:
        before_names, after_names = layout
    else:
        before_names = tuple(f"field{i + 1}" for i in range(len(before)))
        after_names = tuple(f"field{len(before) + i + 5}" for i in range(len(after)))
    names: list[str] = []
    values: list[object] = []
    header = ""
    for name, value in zip(before_names, before, strict=True):
        if name in _SKIP_ACCESS:
            header = value.strip("[]")
            continue
        names.append(name)
        values.append(_unquote(value))
    names.extend(("method", "path", "protocol", "status"))
    values.extend(found.group(part) or "-" for part in ("method", "target", "proto", "status"))
    names.extend(after_names)
    values.extend(_unquote(value) for value in after)
    status = found.group("status")
    shape = ("access", str(len(before)), str(len(after)), f"{status[0]}xx")
    return Parsed(shape, None, tuple(names), tuple(values), (), _access_level(status), header)


def _alb(line: str, found: re.Match[str]) -> Parsed:
    """AWS Application Load Balancer logs: the status codes come before the request."""
    before = found.group(0).split(" ", 12)[:12]
    after = _FIELD_RE.findall(line, found.end())
    after_names = (
        _ALB_AFTER[: len(after)]
        if len(after) <= len(_ALB_AFTER)
        else _ALB_AFTER + tuple(f"field{i + 16}" for i in range(len(_ALB_AFTER), len(after)))
    )
    names = [n for n in _ALB_BEFORE if n != "time"]
    values: list[object] = [v for n, v in zip(_ALB_BEFORE, before, strict=True) if n != "time"]
    names.extend(("method", "path", "protocol"))
    values.extend(found.group("method", "target", "proto"))
    names.extend(after_names)
    values.extend(_unquote(value) for value in after)
    status = found.group("status")
    klass = f"{status[0]}xx" if status != "-" else "-"
    shape = ("alb", found.group(1), str(len(after)), klass)
    return Parsed(shape, None, tuple(names), tuple(values), (), _access_level(status), before[1])


_ALB_BEFORE = (
    "type", "time", "elb", "client", "target", "request_processing_time",
    "target_processing_time", "response_processing_time", "elb_status_code",
    "target_status_code", "received_bytes", "sent_bytes",
)  # fmt: skip
_ALB_AFTER = (
    "user_agent", "ssl_cipher", "ssl_protocol", "target_group_arn", "trace_id", "domain_name",
    "chosen_cert_arn", "matched_rule_priority", "request_creation_time", "actions_executed",
    "redirect_url", "error_reason", "target_list", "target_status_code_list", "classification",
    "classification_reason",
)  # fmt: skip


def _access_level(status: str) -> str | None:
    """Server errors are errors; everything else carries no level (4xx is the client's)."""
    return "ERROR" if status[0] == "5" else None
