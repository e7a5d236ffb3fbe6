"""Default rules for values that an encoding hides from the plain-text rules.

Query strings and form bodies encode ``+`` as ``%2B`` (and spaces as ``+`` or ``%20``), so the
phone number ``+1 415 555 2671`` is logged as ``From=%2B14155552671`` or
``phone=%2B1+415+555+2671``; a value encoded twice (a URL inside a query parameter) has
``%252B``. E-mail addresses in their encoded forms (``%40``, ``%2540``) are the ``email``
rule's work. Placeholders are shared with the plain forms: the encoded and the plain number
of one person are one ``<PHONE_n>``.

Base64 hides credentials too: Docker's ``"auth"`` and SMTP's ``AUTH PLAIN`` are the
``secret_assignment`` and ``redis_auth`` rules' work, HTTP Basic the ``authorization`` rule's;
kubeconfig's ``client-key-data`` (a PEM private key) and ``client-certificate-data`` are here.
"""

from __future__ import annotations

import re

from logai.sanitize.rule import Rule
from logai.sanitize.rules.pii import PII_PRIORITY, phone_key
from logai.sanitize.rules.secrets import CONTEXT_PRIORITY

__all__ = ["encoded_rules"]

#: Separators inside an encoded phone number: ``+`` (a form-encoded space), ``.``, ``-``,
#: parentheses, and the escapes of space, ``-``, ``(`` and ``)``, once or twice encoded.
_SEPARATOR = r"(?:[.+()-]|%(?:25)?(?:20|2[Dd89]))"
_ENCODED_PHONE = rf"""(?x)
    (?:(?<![A-Za-z0-9_.+-])|(?<=%[0-9A-Fa-f][0-9A-Fa-f]))   # after = & : or another escape
    %(?:25)?2[Bb]
    (?>[1-9][0-9]{{0,3}}(?:{_SEPARATOR}{{0,2}}[0-9]{{1,5}}){{1,6}})   # atomic: digits split one way
    (?![0-9A-Za-z_])
"""
_ESCAPE = re.compile(r"%(?:25)?[0-9A-Fa-f]{2}")


def encoded_phone_key(value: str) -> str:
    """The identity of an encoded number: that of the same number written plainly."""
    return phone_key(_ESCAPE.sub(" ", value))


def _encoded_phone_ok(match: re.Match[str]) -> bool:
    digits = sum(c.isdigit() for c in _ESCAPE.sub("", match.group()))
    return 8 <= digits <= 15


#: kubeconfig's base64 client credentials; the cluster's CA certificate
#: (``certificate-authority-data``) is public and stays.
_KUBECONFIG_DATA = r"""(?x)
    (?<![A-Za-z0-9-])client-(?:key|certificate)-data["']?[ \t]*[:=][ \t]*["']?
    (?P<value>[A-Za-z0-9+/]{16,}={0,2})
"""


def encoded_rules() -> list[Rule]:
    """The URL-encoded personal-data rules of the default pack."""
    return [
        Rule(
            name="encoded_phone",
            kind="PHONE",
            pattern=_ENCODED_PHONE,
            validator=_encoded_phone_ok,
            description=(
                "International phone numbers URL-encoded in query strings and form bodies "
                "(From=%2B14155552671, %2B44+20+7946+0958, double-encoded %252B...)."
            ),
            trigger=r"%(?:25)?2[Bb][1-9]",
            reach=0,
            priority=PII_PRIORITY,
            normalize=encoded_phone_key,
            example="POST /2010-04-01/Accounts/AC01/Messages.json To=%2B14155552671&Body=Your+code",
        ),
        Rule(
            name="kubeconfig_client_data",
            kind="PRIVATE_KEY",
            pattern=_KUBECONFIG_DATA,
            group="value",
            description=(
                "kubeconfig client-key-data and client-certificate-data (base64 PEM); "
                "certificate-authority-data is the cluster's public CA and stays."
            ),
            # "client-key-data" holds the rare "k"; "client-certificate-data" rides the scan
            # for "d" (of "data")
            hints=("client-key-data", "client-certificate-data"),
            reach=0,
            priority=CONTEXT_PRIORITY,
            example="    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlFb3dJQkFB",
        ),
    ]
