"""The filter pattern syntax of the files source: a small, predictable subset of CloudWatch's.

Syntax (terms are separated by spaces)::

    ERROR                  events containing ERROR
    ERROR payment          ... containing ERROR and payment (plain terms are AND-ed)
    ?timeout ?refused      ... containing timeout or refused (at least one ?-term)
    ERROR -healthcheck     ... containing ERROR but not healthcheck
    "connection reset"     ... containing the exact phrase (quotes keep spaces; \\" is a quote)
    ERROR ?db ?cache -retry    all of the above combined

Matching is a case-sensitive substring test against the whole event (every line of a
multi-line event), like CloudWatch's term matching. CloudWatch's JSON patterns
(``{ $.level = "error" }``) and space-delimited patterns (``[ip, user, ...]``) are rejected with a
message that shows this syntax instead of being silently misread as terms.

Matching runs on UTF-8 bytes, so a scan never decodes lines that do not match; for valid UTF-8
a byte substring test gives the same answer as a text one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from logai.sources.base import SourceValidationError

__all__ = ["FILTER_HELP", "FilterPattern", "parse_filter"]

#: One line for error messages and tool descriptions.
FILTER_HELP = (
    "terms are AND-ed (ERROR payment), ?term means any of (?timeout ?refused), -term excludes "
    '(-healthcheck), "quoted phrase" matches exactly; case-sensitive'
)

Matcher = Callable[[bytes], bool]


@dataclass(frozen=True)
class FilterPattern:
    """A parsed filter: every ``required`` term, one of ``any_of`` (if any), no ``excluded``."""

    text: str
    required: tuple[bytes, ...] = ()
    any_of: tuple[bytes, ...] = ()
    excluded: tuple[bytes, ...] = ()
    _matcher: Matcher = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_matcher", _compile(self.required, self.any_of, self.excluded))

    @property
    def matcher(self) -> Matcher:
        """The compiled test itself: one call less per event than :meth:`matches` in hot loops."""
        return self._matcher

    def matches(self, data: bytes) -> bool:
        """Whether the UTF-8 bytes of an event match."""
        return self._matcher(data)

    def matches_text(self, text: str) -> bool:
        """Whether a decoded event matches (convenience for callers holding text)."""
        return self._matcher(text.encode("utf-8", "surrogatepass"))


def _compile(required: tuple[bytes, ...], any_of: tuple[bytes, ...], excluded: tuple[bytes, ...]
             ) -> Matcher:  # fmt: skip
    """A matcher specialised for the common shapes: most filters are one or two plain terms."""
    if not any_of and not excluded:
        if len(required) == 1:
            (only,) = required
            return lambda data: only in data
        if len(required) == 2:
            first, second = required
            return lambda data: first in data and second in data

    def match(data: bytes) -> bool:
        for term in required:
            if term not in data:
                return False
        if any_of and not any(term in data for term in any_of):
            return False
        return not any(term in data for term in excluded)

    return match


def _invalid(pattern: str, reason: str) -> SourceValidationError:
    return SourceValidationError(
        f"Invalid filter pattern {pattern!r} for local files: {reason}. Syntax: {FILTER_HELP}."
    )


def _tokens(pattern: str) -> list[tuple[str, str]]:
    """Split into (operator, term) pairs; operator is "", "?" or "-"."""
    tokens: list[tuple[str, str]] = []
    index, length = 0, len(pattern)
    while index < length:
        char = pattern[index]
        if char.isspace():
            index += 1
            continue
        operator = ""
        if char in "?-":
            operator = char
            index += 1
            if index >= length or pattern[index].isspace():
                raise _invalid(pattern, f"'{operator}' must be followed by a term")
        if pattern[index] == '"':
            index += 1
            chars: list[str] = []
            while index < length and pattern[index] != '"':
                if pattern[index] == "\\" and index + 1 < length:
                    index += 1
                chars.append(pattern[index])
                index += 1
            if index >= length:
                raise _invalid(pattern, "a quoted phrase is not closed")
            index += 1  # the closing quote
            term = "".join(chars)
            if not term:
                raise _invalid(pattern, "an empty quoted phrase matches nothing useful")
        else:
            end = index
            while end < length and not pattern[end].isspace():
                end += 1
            term, index = pattern[index:end], end
        tokens.append((operator, term))
    return tokens


def parse_filter(pattern: str | None) -> FilterPattern | None:
    """Parse a filter pattern; ``None`` or a blank pattern means "every event".

    Raises :class:`SourceValidationError` with the syntax for a malformed pattern.
    """
    if pattern is None or not pattern.strip():
        return None
    stripped = pattern.strip()
    if stripped.startswith("{") and "$" in stripped:
        raise _invalid(pattern, "JSON filter patterns ({ $.field = ... }) are CloudWatch-only")
    if stripped.startswith("[") and stripped.endswith("]") and "," in stripped:
        raise _invalid(pattern, "space-delimited patterns ([a, b, ...]) are CloudWatch-only")
    required: list[bytes] = []
    any_of: list[bytes] = []
    excluded: list[bytes] = []
    buckets = {"": required, "?": any_of, "-": excluded}
    for operator, term in _tokens(stripped):
        buckets[operator].append(term.encode("utf-8", "surrogatepass"))
    return FilterPattern(stripped, tuple(required), tuple(any_of), tuple(excluded))
