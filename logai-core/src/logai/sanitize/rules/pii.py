"""Default rules for personal data: emails, IP addresses, payment cards, SSNs, phone numbers.

Each pattern is only as loose as its validator can make up for. What these rules deliberately
leave alone (versions that look like IPs, epoch milliseconds that look like cards, ...) is
listed in ``docs/sanitization.md``; the look-alike tests hold them to it.
"""

from __future__ import annotations

import re

from logai.sanitize.rule import Rule
from logai.sanitize.validators import line_before, luhn_valid

__all__ = ["pii_rules"]

PII_PRIORITY = 10

#: ``%40``, once or twice encoded: where an encoded e-mail address has its ``@``. A regex that
#: starts with a rare literal costs less than a ``str.find`` of ``%40`` in the prefilter view,
#: where every digit is ``0``.
_ENCODED_AT_TRIGGER = r"%(?:25)?40"

# -- email ------------------------------------------------------------------------------------

_EMAIL = r"""(?x)
    [A-Za-z0-9_]                                     # a word start, tested after its first char,
    (?:(?<![A-Za-z0-9_%].)|(?<=%[0-9A-Fa-f]{2}.))    # also right after an escape such as %3D
    [A-Za-z0-9._+-]{0,63}+                           # possessive: a word without @ fails fast
    (?:%(?:25)?2[Bb][A-Za-z0-9._+-]{0,63}+)*+        # jane%2Btag: an encoded "+"
    (?:@|%(?:25)?40)                                 # also URL-encoded once or twice
    (?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+
    (?P<tld>[A-Za-z]{2,24})
    (?![A-Za-z0-9_-])
"""

_LOCAL_PART_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+-%"

#: "TLDs" that are really file extensions: ``icon@2x.png``, ``bundle@1.2.js``. Extensions that
#: are also country domains (``.py``, ``.rs``, ``.md``, ``.so``) or real TLDs (``.zip``) are not.
# fmt: off
_FILE_EXTENSIONS = frozenset([
    "png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "bmp", "tif", "tiff", "js", "mjs", "cjs",
    "ts", "tsx", "jsx", "css", "scss", "map", "json", "yaml", "yml", "xml", "txt", "log", "html",
    "htm", "pyc", "java", "class", "jar", "war", "kt", "go", "rb", "php", "dll", "exe", "bin",
    "tar", "gz", "tgz", "lock", "rst", "ini", "cfg", "conf", "toml", "woff", "woff2", "ttf", "eot",
    "otf", "mp3", "mp4", "wav", "pdf", "csv",
])
# fmt: on


def _email_ok(match: re.Match[str]) -> bool:
    if match.group("tld").lower() in _FILE_EXTENSIONS:
        return False
    end = match.end()
    after = match.string[end : end + 1]
    # ``Worker$1@7f31245a.run(Worker.java:42)``: a Java object's identity hash and a method.
    # ``git@github.com:org/repo.git``: an SSH remote, not a person.
    return after != "(" and not (after == ":" and match.group().startswith("git@"))


_ENCODED_EMAIL_CHAR = re.compile(r"%(?:25)?(40|2[Bb])")


def _email_key(value: str) -> str:
    """``jane%2Bx%2540example.com`` and ``jane+x@example.com``: one address."""
    if "%" in value:
        value = _ENCODED_EMAIL_CHAR.sub(lambda m: "@" if m.group(1) == "40" else "+", value)
    return value.lower()


# -- IPv4 -------------------------------------------------------------------------------------

_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_IPV4 = rf"{_OCTET}(?:\.{_OCTET}){{3}}"
#: Starts with a bare digit (a fast scan) and checks octets in the validator.
_IPV4_PATTERN = r"""(?x)
    [0-9](?<![0-9A-Za-z_.][0-9])[0-9]{0,2}(?:\.[0-9]{1,3}){3}
    (?![0-9A-Za-z_]|\.[0-9A-Za-z])
"""
_IPV4_FULL = re.compile(_IPV4)

#: Addresses that identify no one: wildcard, broadcast, loopback and the cloud metadata service.
_IPV4_UNIVERSAL = frozenset({"0.0.0.0", "255.255.255.255", "169.254.169.254"})

#: Words that, right before a dotted quad, make it a version: ``version 1.2.3.4``,
#: ``"build": "10.0.2.15"``, ``firmware=4.2.0.1``.
_VERSION_WORDS = (
    "version", "ver", "release", "rel", "build", "firmware", "fw", "sdk", "agent", "revision",
    "rev", "tag", "image", "package", "pkg", "os", "v",
)  # fmt: skip
#: ``upgrading agent-1.2.3.4 to 1.2.4.0``: a version change names the new version.
_VERSION_CHANGE = re.compile(
    r"(?i)\b(?:upgrad|downgrad|updat|install|bump|roll|migrat|releas)\w*\b.*(?:\bto|\bfrom|->|=>)\s*$"
)
#: Each match of :data:`_VERSION_CHANGE` holds one of these (in ASCII text, lower-cased).
_VERSION_CHANGE_STEMS = (
    "upgrad", "downgrad", "updat", "install", "bump", "roll", "migrat", "releas",
)  # fmt: skip
_VERSION_CHANGE_STEM = re.compile("|".join(_VERSION_CHANGE_STEMS))
_VERSION_SUFFIXES = ("-alpha", "-beta", "-rc", "-snapshot", "-dev", "-pre", "-preview", "-final")


def _looks_like_version(match: re.Match[str]) -> bool:
    """Whether the dotted quad of ``match`` reads as a version number in its context."""
    text = match.string
    start, end = match.span()
    if text[end : end + 1] == "-" and text[end : end + 12].lower().startswith(_VERSION_SUFFIXES):
        return True  # 10.0.0.1-alpha.3
    if not start or text[start - 1] in "\n[(,;|":  # line start, "[10.1.2.3]", "a, 10.1.2.3"
        return False
    newline = text.rfind("\n", start - 32 if start > 32 else 0, start)  # as line_before(m, 32)
    before = text[newline + 1 if newline >= start - 32 else start - 32 : start]
    if before.endswith("/"):
        # A User-Agent product token (``Chrome/120.0.0.0``, ``OPR/``): a capitalised word.
        token = before[:-1].rsplit(" ", 1)[-1].rsplit("(", 1)[-1]
        return token[:1].isupper() and token.isalnum()
    words = before.rstrip(" \t:=\"'@/_-").lower()
    if words.endswith(_VERSION_WORDS):
        word = words[len(words.rstrip("abcdefghijklmnopqrstuvwxyz_-")) :]
        if word in _VERSION_WORDS or word.replace("_", "-").split("-")[-1] in _VERSION_WORDS:
            return True
    return before.rstrip().endswith((" to", " from", "->", "=>")) and _is_version_change(
        line_before(match, 80)
    )


def _is_version_change(context: str) -> bool:
    """Whether ``context`` ends in a version change (``upgrading agent-1.2.3.4 to``)."""
    # Spares the regex search on "connection from 10.1.2.3". ASCII only: with IGNORECASE
    # the regex also matches letters such as "ı" and "ſ" that lower() leaves alone.
    if context.isascii() and _VERSION_CHANGE_STEM.search(context.lower()) is None:
        return False
    return _VERSION_CHANGE.search(context) is not None


def _ipv4_ok(match: re.Match[str]) -> bool:
    value = match.group()
    if not _IPV4_FULL.fullmatch(value) or value in _IPV4_UNIVERSAL:
        return False
    return not value.startswith(("127.", "255.")) and not _looks_like_version(match)


# -- IPv6 -------------------------------------------------------------------------------------

_IPV6_PATTERN = rf"""(?x)
    (?<![0-9A-Za-z_:.])
    (?:[0-9A-Fa-f]{{0,4}}:){{2,7}}
    (?:{_IPV4}|[0-9A-Fa-f]{{0,4}})
    (?![0-9A-Za-z_:]|\.[0-9A-Za-z])
"""
_HEX_GROUP = re.compile(r"[0-9A-Fa-f]{1,4}")
_HEX_DIGITS = re.compile(r"[0-9A-Fa-f]")


def is_ipv6(value: str) -> bool:
    """Whether ``value`` is a syntactically valid IPv6 address (RFC 4291 text forms)."""
    tail_groups = 0
    if "." in value:  # the last 32 bits written as a dotted quad: ::ffff:192.0.2.1
        head, _, quad = value.rpartition(":")
        if not _IPV4_FULL.fullmatch(quad):
            return False
        value = head + ":" if head.endswith(":") else head
        tail_groups = 2
    if value.count("::") > 1 or ":::" in value:
        return False
    if "::" in value:
        left, right = value.split("::")
        groups = (left.split(":") if left else []) + (right.split(":") if right else [])
        if len(groups) + tail_groups > 7:
            return False
    else:
        groups = value.split(":")
        if len(groups) + tail_groups != 8:
            return False
    return all(_HEX_GROUP.fullmatch(group) for group in groups)


def _ipv6_ok(match: re.Match[str]) -> bool:
    value = match.group()
    if not is_ipv6(value):
        return False
    hex_digits = len(_HEX_DIGITS.findall(value.partition(".")[0]))
    # ``::1`` is loopback; ``a::b`` is more likely C++ or Ruby than a host.
    return hex_digits >= 4 and value not in {"::1", "::"}


def _ip_key(value: str) -> str:
    return value.lower()


# -- payment cards ----------------------------------------------------------------------------

_CARD = r"""(?x)
    [0-9](?<![0-9A-Za-z_.,/+-][0-9])
    (?<!1(?=[0-9]{12}(?![0-9])))       # 13 digits starting with 1: epoch milliseconds
    (?:[ -]?[0-9]){12,18}
    (?![0-9A-Za-z_]|[.,-][0-9])
"""

#: (lowest prefix, highest prefix, allowed lengths) of every current card network's IIN range.
_IIN_RANGES: tuple[tuple[str, str, frozenset[int]], ...] = tuple(
    (low, high, frozenset(lengths))
    for low, high, lengths in (
        ("4", "4", (13, 16, 19)),  # Visa
        ("51", "55", (16,)),  # Mastercard
        ("2221", "2720", (16,)),  # Mastercard 2-series
        ("34", "34", (15,)),  # American Express
        ("37", "37", (15,)),
        ("6011", "6011", (16, 17, 18, 19)),  # Discover
        ("644", "649", (16, 17, 18, 19)),
        ("65", "65", (16, 17, 18, 19)),
        ("622126", "622925", (16, 17, 18, 19)),
        ("3528", "3589", (16, 17, 18, 19)),  # JCB
        ("300", "305", (14, 15, 16, 17, 18, 19)),  # Diners Club
        ("3095", "3095", (14, 15, 16, 17, 18, 19)),
        ("36", "36", (14, 15, 16, 17, 18, 19)),
        ("38", "39", (16, 17, 18, 19)),
        ("62", "62", (16, 17, 18, 19)),  # UnionPay
        ("81", "81", (16, 17, 18, 19)),
        ("2200", "2204", (16, 17, 18, 19)),  # Mir
        ("5018", "5018", (13, 14, 15, 16, 17, 18, 19)),  # Maestro
        ("5020", "5020", (13, 14, 15, 16, 17, 18, 19)),
        ("5038", "5038", (13, 14, 15, 16, 17, 18, 19)),
        ("5893", "5893", (13, 14, 15, 16, 17, 18, 19)),
        ("6304", "6304", (13, 14, 15, 16, 17, 18, 19)),
        ("6759", "6759", (13, 14, 15, 16, 17, 18, 19)),
        ("6761", "6763", (13, 14, 15, 16, 17, 18, 19)),
        ("5019", "5019", (16,)),  # Dankort
        ("60", "60", (16,)),  # RuPay
        ("508", "508", (16,)),
        ("82", "82", (16,)),
        ("506099", "506198", (16, 18, 19)),  # Verve
        ("636", "639", (16, 17, 18, 19)),  # InterPayment, InstaPayment
        ("9792", "9792", (16,)),  # Troy
        ("1", "1", (15,)),  # UATP
    )
)


_IIN_BY_FIRST_DIGIT: dict[str, tuple[tuple[str, str, frozenset[int]], ...]] = {
    digit: tuple(r for r in _IIN_RANGES if r[0][0] == digit) for digit in "0123456789"
}


def card_network_known(digits: str) -> bool:
    """Whether ``digits`` start with an issued card IIN and have a length that network uses."""
    length = len(digits)
    return any(
        length in lengths and low <= digits[: len(low)] <= high
        for low, high, lengths in _IIN_BY_FIRST_DIGIT.get(digits[:1], ())
    )


def _card_groups_ok(value: str) -> bool:
    separators = {c for c in value if not c.isdigit()}
    if not separators:
        return True
    if len(separators) > 1:
        return False
    sizes = [len(part) for part in value.split(separators.pop())]
    if sizes in ([4, 6, 5], [4, 6, 4]):  # American Express, Diners Club
        return True
    return len(sizes) >= 4 and all(size == 4 for size in sizes[:-1]) and 1 <= sizes[-1] <= 4


def _card_ok(match: re.Match[str]) -> bool:
    value = match.group()
    digits = _card_key(value)
    return card_network_known(digits) and _card_groups_ok(value) and luhn_valid(digits)


_NOT_DIGITS = re.compile(r"[^0-9]+")


def _digits_key(value: str) -> str:
    return _NOT_DIGITS.sub("", value)


def _card_key(value: str) -> str:
    """A card number's digits (cards are separated by spaces or dashes only)."""
    return value.replace(" ", "").replace("-", "")


# -- US social security numbers ---------------------------------------------------------------

#: A card's verification code (CVV, CVC, CID, "security code") after its name: PCI DSS forbids
#: storing it at all, and checkout payloads and GraphQL variables log it beside the card.
_CARD_SECURITY_CODE = r"""(?x)
    (?P<keyword>
        [Cc][Vv][VvCc]2?                      # also cardCvv, card_cvv2
      | [Ss]ecurity[_-]?[Cc]ode|SECURITY_CODE|[Cc]ard[_-]?[Cc]ode|CARD_CODE
    )
    (?:\\?["']?[ \t]*[:=][ \t]*\\?["']?|>)
    (?P<value>[0-9]{3,4})
    (?![0-9A-Za-z])
"""

#: Optional context before the number; an undashed number needs it.
_SSN = r"""(?x)
    (?P<context>
        (?:[Ss][Ss][Nn]|[Ss]ocial[ _-]?[Ss]ecurity(?:[ _-]?(?:[Nn]umber|[Nn]o))?)
        [A-Za-z0-9_-]{0,12}["']?[ \t]*[:=#]?[ \t]*["']?
    )?
    (?P<value>[0-8](?<![0-9A-Za-z_.,/+-][0-8])[0-9]{2}(?P<sep>[- ]?)[0-9]{2}(?P=sep)[0-9]{4})
    (?![0-9A-Za-z_]|[.,-][0-9])
"""


def _ssn_ok(match: re.Match[str]) -> bool:
    digits = _card_key(match.group("value"))
    # Never issued: area 000, 666 or 9xx (9xx are ITINs), group 00, serial 0000.
    if digits[:3] in {"000", "666"} or digits[3:5] == "00" or digits[5:] == "0000":
        return False
    # Nine bare digits are an order number until the line says otherwise.
    return match.group("sep") == "-" or match.group("context") is not None


# -- phone numbers ----------------------------------------------------------------------------

#: Optional context before the number; bare digits (4155552671) need it.
_PHONE = r"""(?x)
    (?P<context>
        (?i:phone|mobile|cell|tel|fax|sms|whatsapp)[A-Za-z0-9_-]{0,12}["']?[ \t]*[:=]?[ \t]*["']?
    )?
    (?P<phone>(?P<value>
        \+(?<![0-9A-Za-z_+.,/-]\+)                                       # +44 20 7946 0958
        [1-9][0-9]{0,2}(?:[ .-]?(?:\(0\)[ ]?)?\(?[0-9]{1,5}\)?){1,6}
      | [1(](?<![0-9A-Za-z_+.,/-][1(])                                   # (415) 555-2671
        (?:(?<=1)[ .-]?\(|(?<=\())[2-9][0-9]{2}\)[ .-]?[2-9][0-9]{2}[ .-][0-9]{4}
      | [1-9](?<![0-9A-Za-z_+.,/-][1-9])
        (?:
            (?:(?<=1)[ .-][2-9]|(?<=[2-9]))                              # 415-555-2671
            [0-9]{2}(?P<sep>[ .-])[2-9][0-9]{2}(?P=sep)[0-9]{4}
          | (?:(?<=1)[2-9]|(?<=[2-9]))[0-9]{2}[2-9][0-9]{6}              # 4155552671
        )
    )(?:[ ]?(?:x|ext\.?|extension)[ ]?[0-9]{1,6})?)                      # extension
    (?![0-9A-Za-z_]|[.,-][0-9])
"""


def _phone_ok(match: re.Match[str]) -> bool:
    value = match.group("value")
    if value.startswith("+"):
        return 8 <= len(_digits_key(value)) <= 15
    if value.isdigit():
        return match.group("context") is not None
    return True


def phone_key(value: str) -> str:
    """A phone number's identity: its digits, without the US country code."""
    digits = _digits_key(value)
    return digits[1:] if len(digits) == 11 and digits.startswith("1") else digits


def pii_rules() -> list[Rule]:
    """The personal-data rules of the default pack."""
    return [
        Rule(
            name="email",
            kind="EMAIL",
            pattern=_EMAIL,
            validator=_email_ok,
            description=(
                "Email addresses, also URL-encoded once or twice (user%40example.com, "
                "user%2Btag%2540example.com)."
            ),
            hints=("@",),
            trigger=_ENCODED_AT_TRIGGER,
            reach=64,
            reach_chars=_LOCAL_PART_CHARS,
            priority=PII_PRIORITY,
            normalize=_email_key,
            example="user signup email=jane.doe@example.com plan=pro",
        ),
        Rule(
            name="ipv4",
            kind="IP",
            pattern=_IPV4_PATTERN,
            validator=_ipv4_ok,
            description=(
                "IPv4 addresses with valid octets; a port stays (<IP_1>:8080). Not 0.0.0.0, "
                "127.x, 255.x, 169.254.169.254, nor versions (version 1.2.3.4, Chrome/120.0.0.0)."
            ),
            trigger=r"\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]",
            reach=3,
            reach_chars="0123456789",
            priority=PII_PRIORITY,
            example='203.0.113.42 - - [14/May/2024:10:23:45 +0000] "GET / HTTP/1.1" 200 512',
        ),
        Rule(
            name="ipv6",
            kind="IP",
            pattern=_IPV6_PATTERN,
            validator=_ipv6_ok,
            description="IPv6 addresses: full, compressed (2001:db8::1) and IPv4-mapped. Not ::1.",
            trigger=r":(?::|[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:)",
            reach=45,
            reach_chars="0123456789abcdefABCDEF:",
            priority=PII_PRIORITY,
            normalize=_ip_key,
            example="connection from 2001:db8:85a3::8a2e:370:7334 closed",
        ),
        Rule(
            name="credit_card",
            kind="CREDIT_CARD",
            pattern=_CARD,
            validator=_card_ok,
            description=(
                "Payment card numbers of every current network (Visa, Mastercard incl. 2-series, "
                "Amex, Discover, JCB, Diners, UnionPay, Maestro, Mir, RuPay...), plain, spaced "
                "or dashed, Luhn-checked."
            ),
            hints=("0000000000000", "000 0000"),  # plain; 4111 1111..., 3782 822463...
            reach=1,
            priority=PII_PRIORITY,
            normalize=_card_key,
            example='payment declined card="4111 1111 1111 1111" amount=12.50',
        ),
        Rule(
            name="card_security_code",
            kind="CARD_CVV",
            pattern=_CARD_SECURITY_CODE,
            group="value",
            description=(
                "Card verification codes after their name (cvv, cvc2, securityCode, card_code: "
                "3 or 4 digits); cvv_check=pass and masked codes stay."
            ),
            hints=(
                *("cvv", "cvc", "securitycode", "security_code", "security code"),
                *("cardcode", "card_code", "card code"),
            ),
            reach=0,
            priority=PII_PRIORITY,
            example='checkout {"card":{"number":"4111111111111111","cvv":"123","exp_year":2028}}',
        ),
        Rule(
            name="ssn",
            kind="SSN",
            pattern=_SSN,
            validator=_ssn_ok,
            group="value",
            description=(
                "US social security numbers 123-45-6789; undashed only right after 'SSN' or "
                "'social security'. Never-issued numbers (area 000, 666, 9xx) are skipped."
            ),
            # "social" (not "social security"): it then shares the scan for "s" with "ssn"
            hints=("000-00-0000", "ssn", "social"),
            reach=0,
            priority=PII_PRIORITY,
            normalize=_card_key,
            example="verified applicant ssn=078-05-1120",
        ),
        Rule(
            name="phone",
            kind="PHONE",
            pattern=_PHONE,
            validator=_phone_ok,
            group="phone",
            description=(
                "Phone numbers: international with + and country code, US with separators "
                "((415) 555-2671, 415.555.2671), extensions included; bare digits only right "
                "after 'phone', 'mobile', 'tel'..."
            ),
            hints=("000-0000", "phone"),
            trigger=r"\+[1-9]",
            reach=8,
            reach_chars="0123456789 .-()",
            priority=PII_PRIORITY,
            normalize=phone_key,
            example="SMS sent to +44 20 7946 0958 (customer callback)",
        ),
    ]
