"""Merge masked templates whose differences are variables that masking could not see.

Masking catches anything with a number, but not ``Invalid user webmaster`` versus ``Invalid user
oracle``. A word is a variable when it is *interchangeable*. For every template and position,
the template with that position blanked is a "sibling key"; the templates sharing a key differ
only there. The position becomes ``<*>`` for all of them when

- at least ``MIN_SIBLINGS`` (5) alternatives share the key (``Invalid user <*> from <*>``), or
- the slot already held a masked value and the alternatives have its shape (``rhost=<*>`` next
  to ``rhost=zummit.com``), or
- the same alternatives (3 or more) recur in another context: the users after "session opened
  for user" and after "session closed for user" are a domain of values.

Fewer alternatives in one context stay apart (``session opened``/``closed``, ``VM Started``/
``Stopped``/``Paused``/``Resumed``, ``force=true``/``false``): they are usually different events
and the LLM should see them separately. The first word of a message names the event, so it is
generalised only by masking evidence or when a long sentence follows it.

The pass repeats until nothing changes, so an event with two word variables generalises one
position at a time. It works on *distinct* masked templates, never on lines, so its cost grows
with the variety of a log, not its volume.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from logai.reduce._mask import WILDCARD

#: Distinct alternatives at one position, all else equal, from which the position is a variable.
MIN_SIBLINGS = 5
_MAX_ROUNDS = 4
_KEEP_UNTIL = frozenset("=:([{")
#: Constant tokens that must remain around a position before it may be called a variable: two
#: one-word messages are not "the same event with a different word".
_MIN_CONTEXT = 1
_WILDCARDS = frozenset({WILDCARD})
#: Fewest alternatives that count as a domain of values when they recur in another context.
_MIN_DOMAIN = 3
_VALUE_CHARS = frozenset(".-_@:/#")
#: Constant tokens that must follow a first word before its alternatives count as values.
_FIRST_WORD_CONTEXT = 5

Tokens = tuple[str, ...]


def generalize(templates: Iterable[str], *, min_siblings: int = MIN_SIBLINGS) -> dict[str, str]:
    """Map every masked template to its generalised form (itself when nothing is variable)."""
    mapping: dict[str, Tokens] = {t: tuple(t.split(" ")) for t in templates}
    current = set(mapping.values())
    for _ in range(_MAX_ROUNDS):
        rewrites = _variable_positions(current, min_siblings)
        if not rewrites:
            break
        step = {tokens: _apply(tokens, positions) for tokens, positions in rewrites.items()}
        mapping = {key: step.get(tokens, tokens) for key, tokens in mapping.items()}
        current = set(mapping.values())
    return {key: " ".join(tokens) for key, tokens in mapping.items()}


def _variable_positions(
    templates: Iterable[Tokens], min_siblings: int
) -> dict[Tokens, dict[int, str]]:
    """For each template, the positions found variable and the token that replaces each."""
    by_length: dict[int, list[Tokens]] = defaultdict(list)
    for tokens in templates:
        by_length[len(tokens)].append(tokens)
    siblings: dict[tuple[int, Tokens, Tokens], list[Tokens]] = defaultdict(list)
    for bucket in by_length.values():
        if len(bucket) < 2:
            continue  # no template of the same length: no sibling possible
        # Positions where the whole bucket agrees cannot hold a sibling difference.
        varying = [pos for pos in range(len(bucket[0])) if len({t[pos] for t in bucket}) > 1]
        for tokens in bucket:
            constants = _constants(tokens)
            for pos in varying:
                if constants - (tokens[pos] not in _WILDCARDS) >= _MIN_CONTEXT:
                    siblings[(pos, tokens[:pos], tokens[pos + 1 :])].append(tokens)
    domains = _domains(
        [
            frozenset(m[pos] for m in members)
            for (pos, _, _), members in siblings.items()
            if _MIN_DOMAIN <= len(members) < min_siblings
        ]
    )
    # Quoted pairs that recur in another context (``key 'price::<*>' ... in cache 'products'``
    # and ``key 'product::<*>' ... in cache 'products'``): two quoted values that combine
    # freely with another varying value are data, not two events.
    quoted_pairs = _recurring(
        [
            (pos, frozenset(m[pos] for m in members))
            for (pos, _, _), members in siblings.items()
            if len(members) == 2 and all(_QUOTED_RE.search(m[pos]) for m in members)
        ]
    )
    rewrites: dict[Tokens, dict[int, str]] = defaultdict(dict)
    for (pos, _, _), members in siblings.items():
        if len(members) < 2:
            continue
        values = [m[pos] for m in members]
        # The first word usually names the event ("tickTime set to", "maxSessionTimeout set
        # to") rather than carrying a value: unless masking proved it variable, only a long
        # shared sentence after it ("<job>: scheduler_evaluate_activity told me to run this
        # job; however, ...") makes it one.
        first_ok = pos > 0 or _constants(members[0]) > _FIRST_WORD_CONTEXT
        if _masked_slot(values) or (
            not _verbs(values, members[0], pos)
            and (
                _value_kind(values, members[0], pos)
                or (pos, frozenset(values)) in quoted_pairs
                or (first_ok and (len(members) >= min_siblings or frozenset(values) in domains))
            )
        ):
            replacement = _generalized_token(values)
            for member in members:
                rewrites[member][pos] = replacement
    return rewrites


def _verbs(values: list[str], tokens: Tokens, pos: int) -> bool:
    """Upper-case words (``ADD``/``UPDATE``/``DELETE``) name an operation: kept apart, however
    many, unless they are HTTP methods followed by a target (``GET <*>``, ``POST /x``).
    Punctuation around them does not matter (``SyncLoop (ADD, "api")``)."""
    words = [v.strip(_PUNCTUATION) for v in values]
    if not all(w.isalpha() and w.isupper() and len(w) > 1 for w in words):
        return False
    return not _http_request(values, tokens, pos)


def _http_request(values: list[str], tokens: Tokens, pos: int) -> bool:
    if not all(v in _HTTP_METHODS for v in values) or pos + 1 >= len(tokens):
        return False
    target = tokens[pos + 1]
    return target.startswith(("/", WILDCARD, "http")) or WILDCARD in target


def _value_kind(values: list[str], tokens: Tokens, pos: int) -> bool:
    """Whether the alternatives are visibly values, though fewer than ``MIN_SIBLINGS``.

    From two alternatives: HTTP methods before a request target (``GET <*>``/``POST <*>``).
    From three (two stay apart, as ``state 'Active'``/``'Inactive'`` should):

    - quoted (``'products'``, ``"users_pkey"``, ``KeyError('sku')``): quoting marks data;
    - instances of one naming scheme: a shared prefix or suffix with a separator
      (``docker.service:``/``kubelet.service:``, ``tasks.send``/``tasks.resize``);
    - a name after a preposition, directly or after one noun (``to payments``, ``of User
      root``): what follows "to", "from", "for"... is an object, not the event's verb. Device
      names ending in a digit (``via interface alt0``) are not: each is its own path.
    """
    if _http_request(values, tokens, pos):
        return True
    if len(values) < _MIN_DOMAIN:
        return False
    if all(_QUOTED_RE.search(v) for v in values):
        return True
    if _naming_scheme(values):
        return True
    # Device-like names (``eth0``, ``alt0``) are kept: hosts have few and each is its own path.
    if pos >= 1 and all(_NAME_RE.fullmatch(v) and not _DEVICE_RE.search(v) for v in values):
        before = tokens[pos - 1].lower()
        if before in _PREPOSITIONS:
            return True
        if pos >= 2 and tokens[pos - 2].lower() in _PREPOSITIONS and before.isalpha():
            return True
    return False


def _naming_scheme(values: list[str]) -> bool:
    values = [v.rstrip(".,:;") for v in values]
    prefix = _common_prefix(values)
    suffix = _common_prefix([v[::-1] for v in values])[::-1]
    for affix in (prefix, suffix):
        if len(affix) >= 3 and _SEPARATORS & set(affix) and not _KEYED & set(affix):
            return all(len(v) > len(affix) for v in values)
    return False


def _common_prefix(values: list[str]) -> str:
    first = min(values)
    last = max(values)
    end = 0
    while end < len(first) and first[end] == last[end]:
        end += 1
    return first[:end]


# Around a verb in an argument list (``(ADD,``); brackets make a name (``[LNKA]``), not a verb.
_PUNCTUATION = "(),:;"
_HTTP_METHODS = frozenset({"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"})
_QUOTED_RE = re.compile(r"""(['"])[^'"\s]+\1""")
_NAME_RE = re.compile(r"[\w.\-:/@]+[.,:;]?")
_DEVICE_RE = re.compile(r"\d[.,:;]?$")
_SEPARATORS = frozenset(".-_/")
_KEYED = frozenset(":=")
_PREPOSITIONS = frozenset(
    {"to", "from", "for", "in", "on", "of", "at", "by", "with", "into", "onto", "via"}
)


def _constants(tokens: Tokens) -> int:
    return sum(token not in _WILDCARDS for token in tokens)


def _domains(value_sets: list[frozenset[str]]) -> set[frozenset[str]]:
    """Value sets that share at least ``_MIN_DOMAIN`` values with a set seen in another context.

    The users after "session opened for user" and after "session closed for user" overlap: they
    are a domain of values (a variable), where "VM Started/Stopped/Paused" is an enum of events.
    """
    holders: dict[str, list[int]] = defaultdict(list)
    for number, values in enumerate(value_sets):
        for value in values:
            holders[value].append(number)
    found: set[frozenset[str]] = set()
    for number, values in enumerate(value_sets):
        shared: dict[int, int] = defaultdict(int)
        for value in values:
            for other in holders[value]:
                if other != number:
                    shared[other] += 1
        if any(n >= _MIN_DOMAIN for n in shared.values()):
            found.add(values)
    return found


def _recurring(value_sets: list[tuple[int, frozenset[str]]]) -> set[tuple[int, frozenset[str]]]:
    """The (position, values) pairs seen in more than one sibling context."""
    seen: dict[tuple[int, frozenset[str]], int] = defaultdict(int)
    for item in value_sets:
        seen[item] += 1
    return {item for item, n in seen.items() if n > 1}


def _masked_slot(values: list[str]) -> bool:
    """Whether the slot already held a masked value and every alternative has its shape.

    ``rhost=<*>`` next to ``rhost=zummit.com`` proves the slot variable; ``num=<*>,flags=<*>``
    next to ``topActivity=ComponentInfo{...}`` proves nothing (different keys).
    """
    for shape in values:
        if shape.count(WILDCARD) == 1:
            prefix, suffix = shape.split(WILDCARD)
            if not all(v.startswith(prefix) and v.endswith(suffix) for v in values):
                continue
            # A bare ``<*>`` fits anything: then the other values must look like values too
            # (``tcpconn.qq.com``), not like a keyword (``for null`` next to ``for <*>``).
            if prefix or suffix or all(WILDCARD in v or _VALUE_CHARS & set(v) for v in values):
                return True
    return False


def _generalized_token(values: list[str]) -> str:
    """``<*>``, keeping a prefix all values share up to a ``=``/``:``/bracket (``rhost=<*>``)."""
    first = values[0]
    end = 0
    for i, char in enumerate(first):
        if any(len(v) <= i or v[i] != char for v in values):
            break
        if char in _KEEP_UNTIL:
            end = i + 1
    return first[:end] + WILDCARD


def _apply(tokens: Tokens, positions: dict[int, str]) -> Tokens:
    return tuple(positions.get(i, token) for i, token in enumerate(tokens))
