"""Find every rule's hints in a text with a few C-level scans, not one scan per hint.

A ``str.find`` scan costs about a millisecond per MB, and a default pack has dozens of hints.
A regex alternation of all hints is no faster: CPython's :mod:`re` skips ahead quickly only to
a *literal* first character, never to a character class. So the text is first translated (one
C-level pass) into a *view* of the same length in which

* letters are lower case, digits ``0`` and the separators ``- . ( )`` spaces (see
  :func:`~logai.sanitize.rule.normalize_for_prefilter`), and
* the few rare letters that anchor the hints (``k`` of ``token``, ``w`` of ``password``, ``z``
  of ``authorization``...) all become one marker character, ``\\x01``.

One regex that starts with the literal marker then finds every anchored hint: the engine jumps
from marker to marker, and a trie of what may follow rejects most stops after one comparison.
The remaining hints, made of common characters only (``secret``, ``00 0000``), get one scan
each: a regex when their first character is the rare one, ``str.find`` otherwise. So do the
hints whose only marker is their last character (``npm_``): the regex would have to try them
at every stop, whatever follows the marker.

Rule triggers (regexes over the raw text) that start with the same literal character
(``%`` of ``%40`` and ``%2B``) share one regex scan (:class:`TriggerScanner`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator

from logai.sanitize._automaton import StringAutomaton, available
from logai.sanitize.rule import PREFILTER_TABLE, normalize_for_prefilter

__all__ = ["Prefilter", "TriggerScanner", "literal_first_char", "trigger_starts"]

_MARKER = "\x01"

#: Check level of a reported hint: compare the text itself, not only its view.
_FULL_CHECK = 2
#: How the automaton's places of a form become a hint's offsets (with :data:`_FULL_CHECK`):
#: every one, or only those not inside the previous one kept (a run of one shape counts once).
_EVERY_PLACE = 0
_SEPARATE_PLACES = 1

#: Rough share (per mille) of each character in log text (application JSON, access logs,
#: Lambda, Java and Python traces); absent characters are rarer than every listed one.
_PER_MILLE = {
    " ": 190, "0": 150, "e": 66, "t": 45, "a": 42, "o": 38, "i": 38, "r": 38, "n": 36, "s": 34,
    ":": 25, '"': 24, "l": 24, "c": 24, "d": 24, "u": 18, "m": 18, "h": 16, "/": 15, "p": 15,
    "f": 12, "g": 11, "b": 10, ",": 9, "z": 9, "y": 8, "_": 7, "k": 6, "v": 6, "=": 5, "w": 5,
    "x": 4, "\t": 3, "'": 2, "[": 2, "]": 2, "j": 2, "{": 1, "}": 1, "q": 1, "@": 1,
    # in the raw text only (the view makes them spaces); for triggers
    "-": 26, ".": 19, "(": 3, ")": 3,
}  # fmt: skip
#: Characters rare enough to stop at, which may be folded into the marker. Hex letters are
#: left out: hex IDs and digests fill some logs with them.
_FOLDABLE = frozenset(
    c for c, share in _PER_MILLE.items() if share <= 16 and (c.isalpha() or c == "_")
) - frozenset("abcdef")


def _share(char: str) -> int:
    return _PER_MILLE.get(char, 0)


#: A ``str.find`` scan costs about as much as stopping at this many characters per mille of
#: the text: folding a letter pays only if it spares that many scans per its share.
_SCAN_COST_IN_STOPS = 10


def _choose_markers(hints: list[str]) -> set[str]:
    """Rare characters to fold into the marker, so that most hints hold one.

    Greedy set cover: repeatedly take the foldable character that anchors the most hints not
    yet anchored per unit of frequency (every occurrence of a folded character in the text is
    a stop for the regex), as long as it spares more ``str.find`` scans than its stops cost.
    """
    # A hint whose only marker would be its last character is scanned apart anyway (see
    # Prefilter): that character does not cover it. Nor need it cover hints that share a scan
    # anyway: those starting with a letter too common to fold that other hints start with
    # (``dop_v1_`` rides the scan for ``dni`` and ``dob``).
    # So need hints starting with a letter too common to scan for that hold such a group's
    # letter (``advertisin`` joins the group for ``d``).
    firsts = Counter(hint[0] for hint in hints)
    grouped = {c for c, n in firsts.items() if n > 1 and _shares_first_letter(c)}

    def shares_a_scan(hint: str) -> bool:
        if hint[0] in grouped:
            return True
        too_common = hint[0].isalpha() and _share(hint[0]) > _SHARED_SCAN_MAX_SHARE
        return too_common and not grouped.isdisjoint(hint[1:])

    uncovered = [
        chars
        for chars in (set(hint[:-1]) & _FOLDABLE for hint in hints if not shares_a_scan(hint))
        if chars
    ]
    chosen: set[str] = set()
    while uncovered:
        counts = {c: sum(c in chars for chars in uncovered) for c in set().union(*uncovered)}
        best = max(counts, key=lambda c: (counts[c] / max(_share(c), 1), c))
        if counts[best] * _SCAN_COST_IN_STOPS < _share(best):
            break
        chosen.add(best)
        uncovered = [chars for chars in uncovered if best not in chars]
    return chosen


def _shares_first_letter(first: str) -> bool:
    """Whether hints starting with ``first`` share one scan when no marker anchors them."""
    common = first not in _FOLDABLE
    return first.isalpha() and common and 0 < _share(first) <= _SHARED_SCAN_MAX_SHARE


#: Hints whose first character is at most this common (per mille) share one scan with the
#: other hints starting with it: one more stop per occurrence costs less than one more scan.
_SHARED_SCAN_MAX_SHARE = 40

#: Characters after a marker that get a regex alternative of their own (see
#: :meth:`Prefilter._branches`); the rest share one.
_OWN_BRANCHES = 6

_Needle = tuple[str, "str | re.Pattern[str]"]
#: One shared scan: its regex, and each member hint with the offset of the letter scanned for.
_SharedScan = tuple[re.Pattern[str], tuple[tuple[str, int], ...]]


def _share_scans(scanned: list[_Needle]) -> tuple[tuple[_Needle, ...], tuple[_SharedScan, ...]]:
    """Merge the scans of marker-less hints that hold the same fairly rare letter.

    ``secret``, ``ssn`` and ``sin`` then cost one regex that skips to ``s`` and looks ahead
    for any of them, instead of a scan of the text each. A hint left alone by its first letter
    joins a group whose letter it holds further on, if at least two characters follow that
    letter in it (``adid`` rides the scan for ``d``, looking ahead for ``id``); Python checks
    the whole hint where the look-ahead matched. (A hint without a marker reads the same in
    the view.)
    """
    plain: list[str] = []
    by_first: dict[str, list[str]] = {}
    for hint, needle in scanned:
        first = hint[0]
        form = needle if isinstance(needle, str) else needle.pattern
        if form not in (hint, re.escape(hint)) or _MARKER in form or len(hint) < 2:
            continue  # the view holds something else than the hint: a folded letter
        plain.append(hint)
        if first.isalpha() and 0 < _share(first) <= _SHARED_SCAN_MAX_SHARE:
            by_first.setdefault(first, []).append(hint)
    groups = {first: [(h, 0) for h in hints] for first, hints in by_first.items() if len(hints) > 1}
    members = {hint for group in groups.values() for hint, _ in group}
    for hint in plain:
        if hint in members:
            continue
        # the group letter followed by the most of the hint: the most selective look-ahead
        places = [
            (len(hint) - offset, letter, offset)
            for letter in groups
            for offset in range(1, len(hint) - _MIN_LOOKAHEAD)
            if hint[offset] == letter
        ]
        if places:
            _, letter, offset = max(places)
            groups[letter].append((hint, offset))
    shared = tuple((_shared_regex(letter, group), tuple(group)) for letter, group in groups.items())
    merged = {hint for group in groups.values() for hint, _ in group}
    return tuple(item for item in scanned if item[0] not in merged), shared


#: Characters that must follow a shared scan's letter in a hint that joins it further on: a
#: shorter look-ahead would stop too often (``ss`` of ``pass`` is everywhere).
_MIN_LOOKAHEAD = 2


def _shared_regex(letter: str, members: list[tuple[str, int]]) -> re.Pattern[str]:
    """Stops at ``letter`` where what follows may continue a member; Python checks each there.

    One look-ahead for all members, longest first: it only decides where to stop.
    """
    rests = sorted({h[offset + 1 :] for h, offset in members})
    return re.compile(re.escape(letter) + "(?=" + _lookahead_trie(rests) + ")")


def _lookahead_trie(rests: list[str], depth: int = 0) -> str:
    """A regex matching any of ``rests`` (sorted, sharing their first ``depth`` characters).

    As a trie, so that a stop compares one character per level instead of trying each rest
    in turn; a rest that is a prefix of another ends its branch (any match will do).
    """
    if any(len(rest) == depth for rest in rests):
        return ""
    by_char: dict[str, list[str]] = {}
    for rest in rests:
        by_char.setdefault(rest[depth], []).append(rest)
    branches = [re.escape(c) + _lookahead_trie(group, depth + 1) for c, group in by_char.items()]
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


#: Plain hints sharing at least this many characters ride one scan of what they share.
_MIN_CARRIER = 6

#: One scan of a carrier string: each member hint with the carrier's offset inside it.
_Carrier = tuple[str, tuple[tuple[str, int], ...]]


def _common_substring(a: str, b: str) -> str:
    """The longest string both ``a`` and ``b`` hold (the first such one in ``a``)."""
    best = ""
    for start in range(len(a)):
        for end in range(len(a), start + len(best), -1):
            if a[start:end] in b:
                best = a[start:end]
                break
    return best


def _share_carriers(scanned: list[_Needle]) -> tuple[list[_Needle], tuple[_Carrier, ...]]:
    """Merge the ``str.find`` scans of plain hints that hold a long common string.

    ``000 0000`` (phones, spaced cards) and ``000 00 0000`` (SSNs, ITINs) both hold
    ``00 0000``: one scan for it, and a comparison at each place found, cost less than a
    scan of the text each. Every place a member starts holds the carrier at the member's
    offset, so the places found are the same.
    """
    plain = [hint for hint, needle in scanned if needle == hint and len(hint) >= _MIN_CARRIER]
    carriers: list[_Carrier] = []
    taken: set[str] = set()
    for hint in plain:
        if hint in taken:
            continue
        carrier, members = hint, [hint]
        for other in plain:
            if other in taken or other in members:
                continue
            shared = _common_substring(carrier, other)
            if len(shared) >= _MIN_CARRIER:
                carrier = shared
                members.append(other)
        if len(members) > 1:
            taken.update(members)
            carriers.append((carrier, tuple((m, m.find(carrier)) for m in members)))
    return [item for item in scanned if item[0] not in taken], tuple(carriers)


def _mostly_markers(form: str) -> bool:
    """Whether a hint's view is so much marker that it matches too many other words.

    ``ghp_`` folds to four markers and would match ``kyg_``; such hints are confirmed against
    the text itself.
    """
    return form.count(_MARKER) * 2 >= len(form)


class Prefilter:
    """Reports where each of a fixed set of hints occurs in a text."""

    __slots__ = (
        "_automaton",
        "_by_group",
        "_carriers",
        "_groups",
        "_hints",
        "_marker_share",
        "_plan",
        "_regex",
        "_regex_source",
        "_scanned",
        "_shared",
        "_stop_plan",
        "_stops",
        "_table",
    )

    def __init__(
        self, hints: Iterable[str], *, automaton: bool = True, stops: Iterable[str] = ()
    ) -> None:
        """``hints`` in normalized form (:func:`normalize_for_prefilter`).

        With ``automaton`` (and the extension installed), :meth:`positions` finds them all in
        one pass of :class:`~logai.sanitize._automaton.StringAutomaton`; without it, with the
        scans below, which report the same offsets (the test suite compares the two).
        ``stops`` (literal prefixes of triggers) ride the same pass: see :meth:`positions`.
        """
        normalized = list(dict.fromkeys(normalize_for_prefilter(h) for h in hints))
        self._hints = tuple(normalized)
        folded = _choose_markers(normalized)
        self._marker_share = sum(_share(c) for c in folded)
        table = {**PREFILTER_TABLE, **{ord(c): _MARKER for c in folded}}
        table.update({ord(c.upper()): _MARKER for c in folded if c.isalpha()})
        self._table = str.maketrans(table)
        #: suffix after the first marker -> [(hint, view form, offset of that marker)]
        self._groups: dict[str, list[tuple[str, str, int]]] = {}
        scanned: list[tuple[str, str | re.Pattern[str]]] = []
        for hint in normalized:
            form = hint.translate(self._table)
            at = form.find(_MARKER)
            if at >= 0 and (at < len(form) - 1 or _mostly_markers(form)):
                self._groups.setdefault(form[at + 1 :], []).append((hint, form, at))
            elif at >= 0:
                # Only the last character is a marker: in the regex, such a hint would be a
                # leaf tried at every stop and re-checked in Python after every other match;
                # one scan of the view costs less and reports the same offsets. (A hint that
                # is mostly marker stays in the regex, where Python confirms it.)
                scanned.append((hint, form))
            elif len(form) > 1 and _share(form[0]) < _share(form[-1]):
                # str.find keys on the last character; a regex skips to the first one: the
                # rarer one wins (a one-character hint is a memchr, faster than either).
                scanned.append((hint, re.compile(re.escape(form))))
            else:
                scanned.append((hint, form))
        remaining, self._shared = _share_scans(scanned)
        self._scanned, self._carriers = _share_carriers(list(remaining))
        #: per regex group: (hint, view form, marker offset, whether Python must confirm it)
        self._by_group: list[list[tuple[str, str, int, int]]] = []
        # Only the marker is consumed (the rest is a look-ahead), so the search goes on from the
        # next character and a hint overlapping another one is found too. Compiled on first use:
        # with the automaton, only text it cannot read needs it (compiling costs ~2 ms).
        self._regex_source = (
            f"{_MARKER}(?={self._trie(sorted(self._groups))})" if self._groups else None
        )
        self._regex: re.Pattern[str] | None = None
        #: stop -> its form in the view, which the view holds wherever the text holds it
        self._stops = {stop: stop.translate(self._table) for stop in stops if stop}
        self._automaton: StringAutomaton | None = None
        self._plan: tuple[tuple[str, int, int], ...] = ()
        self._stop_plan: tuple[tuple[str, int], ...] = ()
        if automaton and available():
            self._plan_automaton()

    def _plan_automaton(self) -> None:
        """Set up the one-pass search: what each hint's offsets are, as the scans report them.

        Each scan above reports every place the hint's view form occurs in the view, except
        that a ``str.find`` or carrier scan counts a run of one shape once (it resumes after
        each place found), and that a form that is mostly marker is confirmed against the text.
        The automaton finds every occurrence of each form; :meth:`_from_automaton` then applies
        the same two rules.
        """
        modes: dict[str, tuple[str, int]] = {}
        for entries in self._groups.values():
            for hint, form, _ in entries:
                modes[hint] = (form, _FULL_CHECK if _mostly_markers(form) else _EVERY_PLACE)
        for _, members in self._shared:
            for hint, _ in members:
                modes[hint] = (hint, _EVERY_PLACE)
        for hint, needle in self._scanned:
            form = needle if isinstance(needle, str) else hint.translate(self._table)
            modes[hint] = (form, _SEPARATE_PLACES)
        for _, riders in self._carriers:
            for hint, _ in riders:
                modes[hint] = (hint, _SEPARATE_PLACES)
        if set(modes) != set(self._hints) or not all(form for form, _ in modes.values()):
            return  # a hint the plan does not cover: keep the scans (never the case today)
        forms = list(dict.fromkeys([*(form for form, _ in modes.values()), *self._stops.values()]))
        number = {form: index for index, form in enumerate(forms)}
        self._plan = tuple((hint, number[form], mode) for hint, (form, mode) in modes.items())
        self._stop_plan = tuple((stop, number[form]) for stop, form in self._stops.items())
        self._automaton = StringAutomaton(forms)

    def _from_automaton(self, text: str, by_form: list[list[int]]) -> dict[str, list[int]]:
        found: dict[str, list[int]] = {}
        for hint, form, mode in self._plan:
            starts = by_form[form]
            if not starts or mode == _EVERY_PLACE:
                found[hint] = list(starts)
            elif mode == _SEPARATE_PLACES:
                offsets, resume, size = [], 0, len(hint)
                for at in starts:
                    if at >= resume:
                        offsets.append(at)
                        resume = at + size
                found[hint] = offsets
            else:
                size = len(hint)
                found[hint] = [
                    at for at in starts if normalize_for_prefilter(text[at : at + size]) == hint
                ]
        return found

    def _trie(self, suffixes: list[str], depth: int = 0) -> str:
        """A regex for ``suffixes`` (which share their first ``depth`` characters), as a trie.

        At each stop the engine then compares one character per level instead of trying every
        hint in turn. Each leaf ends in a named group identifying it, after a look-behind that
        checks the part of the hint before the marker, still in C.
        """
        by_char: dict[str, list[str]] = {}
        for suffix in suffixes:
            if len(suffix) > depth:
                by_char.setdefault(suffix[depth], []).append(suffix)
        alternatives = self._branches(by_char, depth)
        for suffix in (s for s in suffixes if len(s) == depth):
            # The regex confirms this leaf's own hints. The longest alternative wins a match, so
            # the leaf also reports hints whose suffix is a prefix of its own: Python checks those.
            number = len(self._by_group)
            own = self._groups[suffix]
            # Several hints on one leaf: the regex confirmed one of their forms, so each is
            # checked against the view (``sk-`` and ``auth `` both end in marker + space).
            shared = len({form for _, form, _ in own}) > 1
            self._by_group.append(
                [
                    (hint, form, at, _FULL_CHECK if _mostly_markers(form) else shared)
                    for hint, form, at in own
                ]
                + [
                    # reached through a longer leaf: its view must be checked, and its text
                    # too when the view is mostly marker
                    (hint, form, at, _FULL_CHECK if _mostly_markers(form) else True)
                    for other, entries in self._groups.items()
                    if other != suffix and suffix.startswith(other)
                    for hint, form, at in entries
                ]
            )
            check = ""
            if all(at for _, _, at in own):
                forms = dict.fromkeys(form for _, form, _ in own)
                check = "(?:" + "|".join(f"(?<={re.escape(f)})" for f in forms) + ")"
                if len(forms) > 1:
                    # One look-behind at the character before the marker first: at most stops
                    # it rules out every form at once (the forms share what follows it).
                    before = "".join(sorted({re.escape(form[at - 1]) for _, form, at in own}))
                    check = f"(?<=[{before}]{re.escape(_MARKER + suffix)}){check}"
            alternatives.append(f"{check}(?P<g{number}>)")
        if len(alternatives) == 1:
            return alternatives[0]
        return "(?:" + "|".join(alternatives) + ")"

    def _branches(self, by_char: dict[str, list[str]], depth: int) -> list[str]:
        """One alternative per next character, each followed by the trie of its suffixes.

        :mod:`re` tries the alternatives of a branch one after the other (a quick compare of
        each one's first character), and every stop that matches no hint tries them all. So
        only the few characters likely to come next get an alternative of their own; the rare
        ones share one, behind a single character-class test. (Built in the order they appear
        in the pattern: leaves are numbered as they are built, and the regex numbers its groups
        in the order they appear.)
        """
        by_share = sorted(by_char, key=lambda c: -self._char_share(c))
        common, rare = by_share[:_OWN_BRANCHES], by_share[_OWN_BRANCHES:]
        if len(rare) < 2:
            common, rare = by_share, []
        alternatives = [re.escape(c) + self._trie(by_char[c], depth + 1) for c in common]
        if rare:
            chars = "".join(re.escape(c) for c in rare)
            rest = "|".join(re.escape(c) + self._trie(by_char[c], depth + 1) for c in rare)
            alternatives.append(f"(?=[{chars}])(?:{rest})")
        return alternatives

    def _char_share(self, char: str) -> int:
        return self._marker_share if char == _MARKER else _share(char)

    def view(self, text: str) -> str:
        """The text translated for :meth:`positions` (same length, offsets unchanged)."""
        return text.translate(self._table)

    def positions(
        self, text: str, view: str, stops: dict[str, list[int]] | None = None
    ) -> dict[str, list[int]]:
        """Hint to the offsets where it starts in ``text``, unordered; ``view`` is its view.

        A superset: folded letters make ``toxen`` count as ``token``. Into ``stops`` goes,
        for each stop given to the constructor, every offset where it may start (ascending,
        overlaps included; a superset too).
        """
        if self._automaton is not None:
            by_form = self._automaton.starts(view)
            if by_form is not None:
                if stops is not None:
                    for stop, number in self._stop_plan:
                        stops[stop] = by_form[number]
                return self._from_automaton(text, by_form)
        if stops is not None:
            for stop, stop_form in self._stops.items():
                stops[stop] = _every_start(view, stop_form)
        return self.scan_positions(text, view)

    def scan_positions(self, text: str, view: str) -> dict[str, list[int]]:
        """:meth:`positions` found with the scans alone (no automaton)."""
        found: dict[str, list[int]] = {hint: [] for hint in self._hints}
        if self._regex_source is not None:
            if self._regex is None:
                self._regex = re.compile(self._regex_source)
            by_group = self._by_group
            # Most leaves stand for one hint the regex has fully confirmed: append directly.
            direct = [
                (found[entries[0][0]].append, entries[0][2])
                if len(entries) == 1 and not entries[0][3]
                else None
                for entries in by_group
            ]
            startswith = view.startswith
            for match in self._regex.finditer(view):
                marker = match.start()
                leaf = match.lastindex - 1  # type: ignore[operator]
                simple = direct[leaf]
                if simple is not None:
                    simple[0](marker - simple[1])
                    continue
                for hint, form, at, check in by_group[leaf]:
                    start = marker - at
                    if check and (
                        start < 0
                        or not startswith(form, start)
                        or (
                            check == _FULL_CHECK
                            and normalize_for_prefilter(text[start : start + len(hint)]) != hint
                        )
                    ):
                        continue
                    found[hint].append(start)
        for hint, needle in self._scanned:
            offsets = found[hint]
            if isinstance(needle, str):
                find = view.find
                step = len(needle)  # a run of one shape (a long number) counts once
                at = find(needle)
                while at >= 0:
                    offsets.append(at)
                    at = find(needle, at + step)
            else:
                offsets.extend(match.start() for match in needle.finditer(view))
        startswith = view.startswith
        for carrier, riders in self._carriers:
            find = view.find
            places = []
            at = find(carrier)
            while at >= 0:
                places.append(at)
                at = find(carrier, at + 1)
            for hint, offset in riders:
                # as the scan of the hint alone reports them: a run of one shape counts once
                offsets, size, resume = found[hint], len(hint), 0
                for place in places:
                    start = place - offset
                    if start >= resume and startswith(hint, start):
                        offsets.append(start)
                        resume = start + size
        for regex, members in self._shared:
            for match in regex.finditer(view):
                at = match.start()
                for hint, offset in members:
                    if at >= offset and startswith(hint, at - offset):
                        found[hint].append(at - offset)
        return found


def _every_start(text: str, needle: str) -> list[int]:
    """Every offset where ``needle`` starts in ``text``, overlaps included."""
    found = []
    find = text.find
    at = find(needle)
    while at >= 0:
        found.append(at)
        at = find(needle, at + 1)
    return found


_METACHARS = frozenset(".^$*+?{}[]\\|()")
_ESCAPED_LITERALS = frozenset(".^$*+?{}[]\\|()%#&~<>!@`'\"-=/:;, ")


def literal_first_char(pattern: str) -> str | None:
    """The character every match of ``pattern`` starts with, if it is a plain literal.

    Conservative: ``None`` unless the pattern plainly starts with one literal character that
    no quantifier makes optional and no top-level ``|`` bypasses.
    """
    if not pattern:
        return None
    if pattern[0] == "\\":
        if len(pattern) < 2 or pattern[1] not in _ESCAPED_LITERALS:
            return None
        first, rest = pattern[1], pattern[2:]
    elif pattern[0] in _METACHARS:
        return None
    else:
        first, rest = pattern[0], pattern[1:]
    if rest[:1] in ("*", "+", "?", "{") or _has_top_level_bar(rest):
        return None
    return first


#: Group numbers shift when triggers are combined: leave those that refer back alone.
_BACKREFERENCE = re.compile(r"\\[1-9]|\(\?P=")


def _after_first(pattern: str) -> str:
    """``pattern`` without the literal first character :func:`literal_first_char` found."""
    return pattern[2:] if pattern.startswith("\\") else pattern[1:]


def _has_top_level_bar(pattern: str) -> bool:
    depth = 0
    in_class = escaped = False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return True
    return False


#: A trigger whose literal first character is at most this common (per mille) is tried where
#: ``str.find`` of that character stops: a memchr costs a fraction of :mod:`re`'s own scan.
_MEMCHR_MAX_SHARE = 2


class TriggerScanner:
    """Where each trigger regex matches, as ``finditer`` would report the match starts.

    :mod:`re` finds a literal first character about as fast as ``memchr``, so a trigger that
    has one costs a scan of the text, and each further trigger another. Triggers that start
    with the same literal character (``%`` of ``%40`` and of ``%2B``) therefore share one
    scan: a regex of that character followed by a look-ahead for any of them; each trigger
    is then tried only where that regex stopped. When that character is rare (``%``, ``+``),
    ``str.find`` (a memchr) finds its every occurrence faster still.
    """

    __slots__ = ("_groups", "_rare", "_scanned")

    def __init__(self, triggers: Iterable[re.Pattern[str]]) -> None:
        by_char: dict[str, list[re.Pattern[str]]] = {}
        self._scanned: list[re.Pattern[str]] = []
        for trigger in dict.fromkeys(triggers):
            first = None
            if not trigger.flags & ~re.UNICODE and not _BACKREFERENCE.search(trigger.pattern):
                first = literal_first_char(trigger.pattern)
            if first is None:
                self._scanned.append(trigger)
            else:
                by_char.setdefault(first, []).append(trigger)
        self._groups: list[tuple[re.Pattern[str], list[re.Pattern[str]]]] = []
        #: rare first character -> its triggers, tried where str.find (memchr) stops
        self._rare: list[tuple[str, list[re.Pattern[str]]]] = []
        for char, group in by_char.items():
            if not char.isalnum() and _share(char) <= _MEMCHR_MAX_SHARE:
                self._rare.append((char, group))
                continue
            if len(group) == 1:
                self._scanned.extend(group)
                continue
            # The shared character as the regex's own literal start, so re skips ahead to it;
            # each trigger's remainder after it inside one alternative.
            rests = "|".join(f"(?:{_after_first(trigger.pattern)})" for trigger in group)
            self._groups.append((re.compile(f"{re.escape(char)}(?:{rests})"), group))

    def positions(self, text: str) -> dict[re.Pattern[str], list[int]]:
        """Trigger to the starts of its non-overlapping matches in ``text``, in order."""
        found: dict[re.Pattern[str], list[int]] = {}
        for char, group in self._rare:
            stops = []
            find = text.find
            at = find(char)
            while at >= 0:
                stops.append(at)
                at = find(char, at + 1)
            for trigger in group:
                found[trigger] = trigger_starts(text, trigger, stops)
        for combined, group in self._groups:
            stops = [match.start() for match in _overlapping(combined, text)]
            for trigger in group:
                found[trigger] = trigger_starts(text, trigger, stops)
        for trigger in self._scanned:
            found[trigger] = [match.start() for match in trigger.finditer(text)]
        return found


def _overlapping(regex: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """Matches of ``regex`` at every start, also inside a previous match."""
    at = 0
    search = regex.search
    while (match := search(text, at)) is not None:
        yield match
        at = match.start() + 1


def trigger_starts(text: str, trigger: re.Pattern[str], stops: list[int]) -> list[int]:
    """The starts ``finditer`` would report for ``trigger``, given every place it may match."""
    starts: list[int] = []
    resume = 0
    match_at = trigger.match
    for at in stops:
        if at < resume:
            continue
        match = match_at(text, at)
        if match is not None:
            starts.append(at)
            end = match.end()
            resume = end if end > at else at + 1
    return starts
