"""Group structured lines by shape and decide, from all of them, what names an event.

Lines arrive one at a time (:meth:`StructuredGroups.add`): each is filed under its shape, its
masked message and the values of its event-naming fields, and every other field's distinct
values are counted. Only when all lines are in (:meth:`StructuredGroups.groups`) is there the
evidence to decide:

- an event-naming field (``type``, ``eventName``, ``reason``…) is an event name when its values
  repeat; when there are many more distinct values than an application has event kinds (over
  ``MAX_KIND_VALUES``, or over ``FEW_KIND_VALUES`` and more than half the lines), it holds ids
  and becomes a variable;
- any other field is a variable as soon as two members disagree, however few values it has
  (``GET``/``POST``, ``true``/``false``): it is shown as ``name=<*>`` with its number of
  distinct values; a field with one value in the whole group is shown as that value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from logai.reduce._mask import DIGITS_TO_ZERO, HEX_ID_RE, WILDCARD, mask
from logai.reduce._structured import Parsed, status_class

#: More distinct values than this and an event-naming field is an id, not an event name.
MAX_KIND_VALUES = 64
#: From this many distinct values, an event-naming field that rarely repeats is an id too.
FEW_KIND_VALUES = 16
#: Distinct values remembered per field and group; beyond, the count reads "at least".
MAX_DISTINCT = 1000
#: Examples of values kept per varying field.
EXAMPLES = 3
_MAX_SHOWN_VALUE = 80
_MASK_CACHE_LIMIT = 200_000
_DIGIT_RE = re.compile(r"\d")
# Numbers, addresses, times, long digit runs, hex ids and uuids: values a second line would
# not repeat, so even a group of one shows them as ``<*>``.
_ID_LIKE_RE = re.compile(r"^\"?(?=[^\"]*\d)[\d.:\-+TZ/, ]+\"?$|\d{4}|^\"?[0-9a-fA-F\-]{8,}\"?$")

Key = tuple[tuple[str, ...], str | None, tuple[object, ...]]
"""(shape, message template, values of the event-naming fields)."""


class _Group:
    __slots__ = ("first_header", "last_header", "members", "names", "severity", "values")

    def __init__(self, parsed: Parsed) -> None:
        self.names = parsed.names
        self.members: list[int] = []
        self.values: list[dict[object, None]] = [{} for _ in parsed.names]
        self.severity = parsed.severity
        self.first_header = parsed.header
        self.last_header = parsed.header

    def absorb(self, other: _Group) -> None:
        self.members.extend(other.members)
        for mine, theirs in zip(self.values, other.values, strict=True):
            for value in theirs:
                if len(mine) >= MAX_DISTINCT:
                    break
                mine[value] = None
        self.severity = graver(self.severity, other.severity)


class StructuredGroups:
    """Accumulates structured lines; see the module docstring."""

    def __init__(self) -> None:
        self._groups: dict[Key, _Group] = {}
        self._masked: dict[bytes, str] = {}

    def add(self, index: int, parsed: Parsed) -> None:
        """File line ``index``, already parsed."""
        message = parsed.message
        template = None if message is None else self._mask(message)
        key = (parsed.shape, template, parsed.kinds)
        group = self._groups.get(key)
        if group is None:
            group = self._groups[key] = _Group(parsed)
        elif parsed.severity != group.severity:
            group.severity = graver(group.severity, parsed.severity)
        group.members.append(index)
        group.last_header = parsed.header
        if len(group.members) <= MAX_DISTINCT:  # no more distinct values than lines
            for seen, value in zip(group.values, parsed.values, strict=False):
                seen[value] = None
        else:
            for seen, value in zip(group.values, parsed.values, strict=False):
                if len(seen) < MAX_DISTINCT:
                    seen[value] = None

    def message_templates(self) -> set[str]:
        """The masked messages, for the word-variable analysis shared with free text."""
        return {key[1] for key in self._groups if key[1] is not None}

    def groups(
        self, general: Mapping[str, str]
    ) -> Iterable[tuple[str, str | None, list[int], list[tuple[str, int, list[str]]], str, str]]:
        """(template, severity, members, varying fields, first header, last header) per group."""
        merged: dict[Key, _Group] = {}
        for (shape, template, kinds), group in self._generalised(general):
            key = (shape, template, kinds)
            if key in merged:
                merged[key].absorb(group)
            else:
                merged[key] = group
        for (_, template, _), group in merged.items():
            group.members.sort()
            text, varying = _render(template, group)
            yield (text, group.severity, group.members, varying,
                   group.first_header, group.last_header)  # fmt: skip

    def _generalised(self, general: Mapping[str, str]) -> list[tuple[Key, _Group]]:
        """Keys with generalised messages and id-like event-naming values folded to ``<*>``."""
        items = [
            ((shape, general.get(t, t) if t is not None else None, kinds), group)
            for (shape, t, kinds), group in self._groups.items()
        ]
        by_base: dict[tuple[tuple[str, ...], str | None], list[tuple[Key, _Group]]] = {}
        for item in items:
            by_base.setdefault((item[0][0], item[0][1]), []).append(item)
        out: list[tuple[Key, _Group]] = []
        for members in by_base.values():
            width = len(members[0][0][2])
            lines = sum(len(g.members) for _, g in members)
            folded = [
                p
                for p in range(width)
                if _too_many_kinds(len({key[2][p] for key, _ in members}), lines)
            ]
            for (shape, template, kinds), group in members:
                if folded:
                    kinds = tuple(WILDCARD if p in folded else v for p, v in enumerate(kinds))
                out.append(((shape, template, kinds), group))
        return out

    def _mask(self, message: str) -> str:
        """``mask(message)``, cached like the text path: by the message with its digits zeroed,
        then with hex ids folded, unless the template kept digits (``eth1``)."""
        shape = message.encode("utf-8", "surrogatepass").translate(DIGITS_TO_ZERO)
        template = self._masked.get(shape)
        if template is None:
            folded = HEX_ID_RE.sub(b"0", shape)
            template = self._masked.get(folded)
            if template is None:
                template = mask(message)
                if _DIGIT_RE.search(template) or len(self._masked) >= _MASK_CACHE_LIMIT:
                    return template
                self._masked[folded] = template
            self._masked[shape] = template
        return template


def _too_many_kinds(distinct: int, lines: int) -> bool:
    return distinct > MAX_KIND_VALUES or (distinct > FEW_KIND_VALUES and distinct * 2 > lines)


def _render(template: str | None, group: _Group) -> tuple[str, list[tuple[str, int, list[str]]]]:
    """``message name=value name=<*>…`` and the varying fields with their spread."""
    parts = [template] if template else []
    varying: list[tuple[str, int, list[str]]] = []
    for name, seen in zip(group.names, group.values, strict=True):
        classes = {status_class(v) for v in seen} if "status" in name.lower() else {None}
        if len(classes) == 1 and None not in classes:
            parts.append(f"{name}={classes.pop()}")
        elif len(seen) == 1:
            # One value in the whole group: shown; in a group of one line, unless it is
            # visibly a value (an id, a number, an address) that a second line would not repeat.
            value = _shown(next(iter(seen)))
            alone = len(group.members) == 1
            parts.append(f"{name}={WILDCARD if alone and _ID_LIKE_RE.search(value) else value}")
        else:
            parts.append(f"{name}={WILDCARD}")
        if len(seen) == 1:
            continue
        examples = [_shown(v) for v in list(seen)[:EXAMPLES]]
        varying.append((name, len(seen), examples))
    return " ".join(parts), varying


def _shown(value: object) -> str:
    if value is None:
        text = "null"
    elif isinstance(value, bool):
        text = "true" if value else "false"
    else:
        text = str(value)
    if len(text) > _MAX_SHOWN_VALUE:
        text = text[:_MAX_SHOWN_VALUE] + "…"
    return text if text and " " not in text else f'"{text}"'


def graver(a: str | None, b: str | None) -> str | None:
    """The more severe of two levels: a template logged at INFO and at FATAL is a FATAL one."""
    if a is None or b is None:
        return a or b
    return a if LEVEL_ORDER.get(a, 9) <= LEVEL_ORDER.get(b, 9) else b


LEVEL_ORDER = {
    "FATAL": 0, "ERROR": 1, "WARN": 2, "NOTICE": 3, "INFO": 4, "DEBUG": 5, "TRACE": 6,
}  # fmt: skip
