"""What a sanitizer rule is: a pattern for one kind of sensitive value, plus cheap prefilters.

Rules are plain data so that a rule pack (``pip install logai-rules-<name>``) needs nothing but
this class. The prefilter fields (:attr:`Rule.hints`, :attr:`Rule.trigger`) exist for speed:
most log lines hold nothing sensitive, and a rule whose hints do not occur in a line is never
run on it. They never change *what* a rule matches, only where the engine bothers to look.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Rule", "Validator", "normalize_for_prefilter"]

#: A function that vetoes a regex match (Luhn check, context words, ...): ``False`` drops it.
Validator = Callable[[re.Match[str]], bool]

_NAME_RE = re.compile(r"[a-z0-9][a-z0-9_.-]*")
_KIND_RE = re.compile(r"[A-Z][A-Z0-9_]*")

#: The prefilter view (see :func:`normalize_for_prefilter`) as a translation table.
PREFILTER_TABLE: dict[int, str] = {
    **{ord(c): c.lower() for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"},
    **{ord(c): "0" for c in "123456789"},
    **{ord(c): " " for c in "-.()"},
}


def normalize_for_prefilter(text: str) -> str:
    """``text`` as :attr:`Rule.hints` are compared with it: one character for one character.

    ASCII letters become lower case, every ASCII digit ``0``, and the separators ``- . ( )``
    spaces. So one literal hint covers every value of a shape: ``"000-00-0000"`` finds any
    dashed or spaced SSN, ``"EMP-123456"`` any employee ID, ``"token"`` also ``Token``.
    """
    return text.translate(PREFILTER_TABLE)


@dataclass(frozen=True)
class Rule:
    """One kind of sensitive value and how to find it.

    A match of :attr:`pattern` (that :attr:`validator`, if any, accepts) has the text of
    capture group :attr:`group` replaced by a typed placeholder such as ``<EMAIL_1>``; the
    rest of the match is context that stays in the log (``password=`` in ``password=hunter2``).
    """

    name: str
    """Unique identifier, e.g. ``"email"``; users disable a rule by this name."""

    kind: str
    """Placeholder label in upper case: ``"EMAIL"`` gives ``<EMAIL_1>``. Rules may share one."""

    pattern: str | re.Pattern[str]
    """Regular expression (Python :mod:`re` syntax) that finds candidate values."""

    validator: Validator | None = None
    """Vetoes matches the pattern cannot rule out by itself (Luhn, IIN ranges, context)."""

    group: int | str = 0
    """Capture group (number or name) that holds the sensitive value; 0 is the whole match."""

    description: str = ""
    """One line for people: what the rule catches. Shown in ``docs/sanitization.md``."""

    hints: tuple[str, ...] = ()
    """Literal strings of which at least one occurs in every line the rule can match.

    Compared through :func:`normalize_for_prefilter`: case does not matter, any digit stands
    for any digit and ``- . ( )`` for a space. All hints of all rules are found in one pass,
    fastest when each hint holds a rare letter (``k``, ``w``, ``x``, ``z``, ``y``...). With
    neither hints nor :attr:`trigger` the rule scans all text: fine for a pattern that starts
    with a literal (``AKIA``), slow for one that starts with a character class.
    """

    trigger: str | None = None
    """A regex over the raw text marking lines worth running the rule on.

    For shapes no literal captures, e.g. ``r"\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]"`` for dotted
    quads. Start it with a literal character: :mod:`re` skips ahead quickly only to a literal.
    Lines found by :attr:`hints` and by the trigger are both searched.
    """

    reach: int | None = None
    """How many characters before a hint (or trigger match) a match can start; ``None``: anywhere
    on the line. ``0`` when the hint starts the match (``sk-``, ``password``). With a small
    reach the engine tries the pattern only at those few offsets; otherwise it scans the line
    from ``reach`` before the hint instead of from its start."""

    reach_chars: str = ""
    """The characters a match is made of before its hint, if they are few: the engine then
    backs up from the hint over at most :attr:`reach` of them and tries the pattern there,
    instead of scanning. For emails, the local part's characters before ``@``."""

    priority: int = 0
    """When matches of two rules overlap, the higher priority wins (secrets over PII)."""

    multiline: bool = False
    """The value may span lines (a PEM block): search from the hinted line to the end."""

    normalize: Callable[[str], str] | None = None
    """Maps a value to the key that decides placeholder identity, e.g. a card's bare digits,
    so ``4111 1111 1111 1111`` and ``4111-1111-1111-1111`` share one placeholder."""

    example: str = ""
    """A log line this rule redacts; documentation shows it and the test suite checks it."""

    def __post_init__(self) -> None:
        if not _NAME_RE.fullmatch(self.name):
            raise ValueError(
                f"rule name {self.name!r} must be lower case letters, digits, '_', '.' or '-'"
            )
        if not _KIND_RE.fullmatch(self.kind):
            raise ValueError(
                f"rule {self.name!r}: kind {self.kind!r} must be upper case letters, digits "
                "and '_', starting with a letter (it becomes <KIND_1>)"
            )
        hints: object = self.hints  # a str would silently act as a tuple of letters
        if isinstance(hints, str):
            raise TypeError(f"rule {self.name!r}: hints must be a tuple of strings, not a str")
        for hint in self.hints:
            if not hint or "\n" in hint:
                raise ValueError(f"rule {self.name!r}: hints must be non-empty and on one line")
        if self.reach is not None and self.reach < 0:
            raise ValueError(f"rule {self.name!r}: reach must be None or >= 0")
        if self.reach_chars and self.reach is None:
            raise ValueError(f"rule {self.name!r}: reach_chars needs a reach")

    def compile(self) -> re.Pattern[str]:
        """The compiled pattern. Raises ``ValueError`` naming the rule if it is invalid."""
        if isinstance(self.pattern, re.Pattern):
            return self.pattern
        try:
            return re.compile(self.pattern)
        except re.error as exc:
            raise ValueError(f"rule {self.name!r}: invalid pattern: {exc}") from None
