"""Split a raw log line into its header (timestamp, level, host, logger) and its message.

Templates must be learned from what a program *said*, not from when or where it said it: two
lines ``12:00:01 INFO worker-3 Job done`` and ``12:00:02 INFO worker-7 Job done`` are one event.
Rather than one parser per log format, the header is consumed field by field with a small
vocabulary that covers the formats seen in practice (syslog, ISO 8601, Log4j/Logback, Python
logging, Android logcat, Apache, Lambda, Windows CBS, BGL/HPC supercomputer logs): date and
time pieces, epoch numbers and pids, level words, ``[bracketed]`` fields, ``-``/``|``
separators, then at most one ``logger:`` or ``proc[pid]:`` token. The first token that fits none
of these starts the message. Two layouts are recognised whole: glog/klog (``I0125 18:00:00.1
1 file.go:12] ...``) and cluster event logs that put a Unix epoch a few fields in. Nothing here
is specific to one system; the same rules run on every log.

JSON lines (``{"level": "info", "msg": ...}``) are decoded and their message field used.
"""

from __future__ import annotations

import json
import re
from typing import NamedTuple

_MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
_DAYS = "Mon|Tue|Wed|Thu|Fri|Sat|Sun"
_LEVELS = (
    "TRACE|DEBUG|DBG|INFO|INF|NOTICE|WARN|WARNING|WRN|ERROR|ERR|SEVERE|FATAL|CRIT|CRITICAL"
    "|ALERT|EMERG|EMERGENCY|PANIC"
)
_LEVEL_WORD = rf"(?:{_LEVELS}|{_LEVELS.title()}|{_LEVELS.lower()})"

_TIME = r"[+\-]?\d[\d\-/.:,T_+]*Z?(?=[\s|\]]|,\s|$)"
_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?=[\s|]|$)"
_BRACKET = r"\[(?:[^\[\]\n]|\[[^\[\]\n]*\])*\]"  # [thread], [time], [a[b]c]
_SEP = r"(?:\s*[|,]\s*|\s+-\s+|\s+|$)"

# Fields before the level: times, ids, hosts with digits, pipe-delimited fields, brackets.
_PRE_FIELD = rf"""
    {_TIME}                                            # dates, times, epochs, pids
  | (?:{_MONTHS}|{_DAYS})(?=[\s/\-,])                  # month and day names
  | {_UUID}                                            # request ids (Lambda)
  | (?<=\d:\d\d\s)(?!(?:{_LEVELS})\s)(?=[\w.\-@#/]*?[\d@.\-])[\w.\-@#/]++(?=\s)
                                                       # syslog host after the time
  | (?![a-z]+[A-Z])(?=[\w.\-:/@#]*?\d)[\w.\-:/@#]++  # hosts and nodes, when more header follows
    (?=\s+(?:\d|(?:{_MONTHS}|{_DAYS})\s|[\w.\-/()]+\[\d+\]:
            |(?:[A-Z][A-Z0-9_]*\s+){{0,3}}(?:{_LEVELS})\s))
  | [^\s|\[\]]+(?=\s*\|)                               # pipe-delimited fields
  | (?!\[\s*{_LEVEL_WORD}\s*\]){_BRACKET}
  | -(?=\s)                                            # empty fields
"""
_PRE_RE = re.compile(rf"(?:(?:{_PRE_FIELD}){_SEP})*+", re.VERBOSE)
# The level, then what may follow it before the logger (Lambda puts the time after ``[ERROR]``).
_LEVEL_RE = re.compile(
    rf"""(?:(?P<lvl>{_LEVEL_WORD})(?=[\s|\]\-,]|$)|\[\s*(?P<blvl>{_LEVEL_WORD})\s*\]
         |(?P<slvl>[VDIWEF])(?=\s+[\w.$\-/]+\s*:))
         {_SEP}(?:(?:{_TIME}|{_UUID}|{_BRACKET}|-(?=\s)){_SEP})*+""",
    re.VERBOSE,
)
# BGL-style ``RAS KERNEL INFO``: a few upper-case tags right before an upper-case level.
_TAGGED_LEVEL_RE = re.compile(rf"(?:[A-Z][A-Z0-9_]*\s+){{1,3}}(?P<lvl>{_LEVELS})\s+")
_EPOCH_RE = re.compile(r"(?:\S+\s+){1,5}?1[0-9]{9}(?:[0-9]{3})?\s+")
# glog/klog (Kubernetes, Go): ``I0125 18:00:00.123456  1 reflector.go:123] message``.
_GLOG_RE = re.compile(r"([IWEF])\d{4} \d\d:\d\d:\d\d\.\d+\s+\d+ [\w.\-/]+:\d+\] ")
_SHORT_LEVELS = {"V": "TRACE", "D": "DEBUG", "I": "INFO", "W": "WARN", "E": "ERROR", "F": "FATAL"}

# PostgreSQL's ``log_line_prefix`` as RDS sets it (``%t:%r:%u@%d:[%p]:``): after the time,
# ``UTC:host(port):user@db:[pid]:LEVEL:``; user and database are where, not what.
_POSTGRES_RE = re.compile(
    r"(?:[A-Z]{2,5}:)?[^\s:@]*(?:\(\d*\))?:[^\s:@]*@[^\s:@]*:\[\d+\]:(?:(?P<lvl>[A-Z]+\d?):\s+)?"
)
_NAME_THEN_TIME_RE = re.compile(r"[\w.\-/@]+:\s+(?=\d{2,4}[\-/.:]\d\d[\-/.:]\d\d)")
_CRI_RE = re.compile(r"std(?:out|err) [FP] ")
_SPRING_RE = re.compile(r"(?:\d+\s+)?---\s+(?:\[[^\]\n]*\]\s*)+[\w.$\-/]+\s*:\s+")
_CALLER_RE = re.compile(
    r"[\w.\-/]+\.(?:go|py|java|js|ts|rb|c|cc|cpp|h|rs|kt|scala|cs|php|exs?):\d+(?:\s+|$)"
)
# "Python logging" basicConfig form: ``ERROR:my.module:message``.
_PY_LOGGING_RE = re.compile(rf"(?P<lvl>{_LEVELS}):[\w.]+:")
# ``proc[pid]:`` or ``host proc[pid]:`` (syslog); ``some.dotted.Logger:``; a ``Logger:`` after a
# level; ``name - LEVEL - `` (Python logging's ``%(name)s - %(levelname)s`` layouts).
_PROC_RE = re.compile(r"(?:[\w.\-/@#]+\s+)?[\w.\-/()]+\[\d+\]:(?:\s+|$)")
_LOGGER_RE = re.compile(r"[\w.$/()\-@:]*[\w)\]]:(?:\s+|$)")
_DOTTED_LOGGER_RE = re.compile(rf"[A-Za-z_][\w$]*(?:\.[\w$]+)+(?::(?:\s+|$)|\s+{_BRACKET}\s+)")
_DASH_NAME_RE = re.compile(r"[\w.$\-]+(?:\s+\*?\w+)?\s+-\s+")

_JSON_MESSAGE_KEYS = ("message", "msg", "event", "log", "text", "body", "@message")
_JSON_LEVEL_KEYS = ("level", "severity", "levelname", "log.level", "lvl", "loglevel", "@level")
_JSON_TIME_KEYS = ("timestamp", "time", "ts", "@timestamp", "asctime", "datetime", "t")

_LEVEL_CANON = {
    "trace": "TRACE",
    "debug": "DEBUG",
    "dbg": "DEBUG",
    "info": "INFO",
    "inf": "INFO",
    "notice": "NOTICE",
    "warn": "WARN",
    "warning": "WARN",
    "wrn": "WARN",
    "error": "ERROR",
    "err": "ERROR",
    "severe": "ERROR",
    "fatal": "FATAL",
    "crit": "FATAL",
    "critical": "FATAL",
    "alert": "FATAL",
    "emerg": "FATAL",
    "emergency": "FATAL",
    "panic": "FATAL",
    "log": "INFO",
}


class SplitLine(NamedTuple):
    """A raw line cut into the parts the reducer cares about."""

    header: str
    """Everything before the message (timestamp, level, host, logger), verbatim; for a JSON
    line, the value of its time field."""
    message: str
    """What the program said: the part templates are learned from."""
    severity: str | None
    """Canonical level (``ERROR``, ``WARN``, ``INFO``…) when the header carried one."""


def canonical_level(word: str | None) -> str | None:
    """Map the many spellings of a level (``warning``, ``WRN``, ``E``) to one name."""
    if not word:
        return None
    return _LEVEL_CANON.get(word.strip().lower())


def split_line(line: str) -> SplitLine:
    """Cut ``line`` into header, message and severity; never fails (the header may be empty)."""
    if line[:1] == "{":
        decoded = _split_json(line)
        if decoded is not None:
            return decoded
    glog = _GLOG_RE.match(line)
    if glog is not None:
        return SplitLine(line[: glog.end()], line[glog.end() :], _SHORT_LEVELS[glog.group(1)])
    pos = _end(_PRE_RE.match(line))
    if not pos:
        # ``web: 2024/03/01 10:00:00 ...``: a source name (compose service, program) before
        # the time. Only when a time really follows, so ``Error: 5 retries`` stays a message.
        named = _NAME_THEN_TIME_RE.match(line)
        if named is not None:
            pos = _end(_PRE_RE.match(line, named.end()))
    if pos and line.startswith(("stdout ", "stderr "), pos):
        cri = _CRI_RE.match(line, pos)  # containerd/CRI-O node logs: ``<time> stdout F <line>``
        if cri is not None:
            if line.startswith("{", cri.end()):  # JSON: the structured path reads its fields
                return SplitLine(line[: cri.end()], line[cri.end() :], None)
            rest = split_line(line[cri.end() :])
            return SplitLine(line[: cri.end()] + rest.header, rest.message, rest.severity)
    postgres = _POSTGRES_RE.match(line, pos) if pos else None
    if postgres is not None:
        return SplitLine(
            line[: postgres.end()], line[postgres.end() :], canonical_level(postgres.group("lvl"))
        )
    level: str | None = None
    found = _LEVEL_RE.match(line, pos) or _TAGGED_LEVEL_RE.match(line, pos)
    if found is None and pos:
        # ``host - name - LEVEL - message``: a bare logger name between dashes, then the level.
        dashed = _DASH_NAME_RE.match(line, pos)
        if dashed is not None:
            found = _LEVEL_RE.match(line, dashed.end())
    if found is not None:
        groups = found.groupdict()
        short = groups.get("slvl")
        level = _SHORT_LEVELS[short] if short else groups.get("lvl") or groups.get("blvl")
        pos = found.end()
    tail = _PY_LOGGING_RE.match(line) if pos == 0 else None
    if tail is not None:
        level = tail.group("lvl")
    else:
        tail = _PROC_RE.match(line, pos) or _DOTTED_LOGGER_RE.match(line, pos)
        # A ``Logger:`` may follow the level, unless the header already ended with `` - ``
        # (``INFO [thread] - Notification: ...``: the dash says the message starts here).
        if tail is None and found is not None and not line.endswith("- ", 0, pos):
            tail = _LOGGER_RE.match(line, pos)
        if tail is None and pos and found is None:
            tail = _DASH_NAME_RE.match(line, pos)  # ``[time] program.exe - message``
    if tail is not None:
        pos = tail.end()
    elif found is not None:
        # Spring Boot (``INFO 1 --- [thread] logger : ``) and zap/Go (``file.go:12<TAB>``).
        tail = _SPRING_RE.match(line, pos) or _CALLER_RE.match(line, pos)
        if tail is not None:
            pos = tail.end()
    if found is None and tail is None:
        # No level, no logger: a Unix epoch a few fields in still marks the end of the header
        # (``LogId Node Component State Epoch Flag message``, as cluster event logs write).
        epoch = _EPOCH_RE.match(line)
        if epoch is not None and epoch.end() > pos:
            pos = _end(_PRE_RE.match(line, epoch.end()))
    if pos >= len(line):
        # Nothing looked like a message: keep the whole line rather than an empty template.
        return SplitLine("", line, canonical_level(level))
    return SplitLine(line[:pos], line[pos:], canonical_level(level))


def _end(match: re.Match[str] | None) -> int:
    """End of a match of a pattern that cannot fail (every part is optional)."""
    return match.end() if match is not None else 0


def _split_json(line: str) -> SplitLine | None:
    """Take the message field of a JSON log line; ``None`` if it is not a JSON object."""
    try:
        data = json.loads(line)
    except (ValueError, RecursionError):  # nested too deep to decode: read it as text
        return None
    if not isinstance(data, dict):
        return None
    level = next((str(data[k]) for k in _JSON_LEVEL_KEYS if isinstance(data.get(k), str)), None)
    stamp = next((str(data[k]) for k in _JSON_TIME_KEYS if isinstance(data.get(k), str)), "")
    for key in _JSON_MESSAGE_KEYS:
        value = data.get(key)
        if isinstance(value, str) and value:
            return SplitLine(stamp, value, canonical_level(level))
    # No message field: the keys and their (masked later) values are the message.
    skip = set(_JSON_TIME_KEYS) | set(_JSON_LEVEL_KEYS)
    body = " ".join(f"{k}={json.dumps(v)}" for k, v in data.items() if k not in skip)
    return SplitLine(stamp, body or line, canonical_level(level))
