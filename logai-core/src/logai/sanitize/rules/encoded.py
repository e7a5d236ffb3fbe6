"""Default rules for values that an encoding hides from the plain-text rules.

Query strings and form bodies encode ``+`` as ``%2B`` (and spaces as ``+`` or ``%20``), so the
phone number ``+1 415 555 2671`` is logged as ``From=%2B14155552671`` or
``phone=%2B1+415+555+2671``; a value encoded twice (a URL inside a query parameter) has
``%252B``. E-mail addresses in their encoded forms (``%40``, ``%2540``) are the ``email``
rule's work. Placeholders are shared with the plain forms: the encoded and the plain number
of one person are one ``<PHONE_n>``.

Base64 hides credentials too: Docker's ``"auth"`` and SMTP's ``AUTH PLAIN`` are the
``secret_assignment`` and ``redis_auth`` rules' work, HTTP Basic the ``authorization`` rule's;
kubeconfig's ``client-key-data`` (a PEM private key) and ``client-certificate-data`` are here,
and so are whole secret files base64-encoded under any name, as Kubernetes Secret ``data``,
Helm values and environment variables hold them: PEM private keys (``LS0tLS1CRUdJTi...``) and
Docker registry configs (``eyJhdXRocyI6...``, ``{"auths":``).
"""

from __future__ import annotations

import base64
import binascii
import re
from urllib.parse import unquote

from logai.sanitize.rule import Rule
from logai.sanitize.rules.pii import PII_PRIORITY, phone_key
from logai.sanitize.rules.secrets import (
    CONTEXT_PRIORITY,
    NOT_SECRET_NAME,
    SECRET_KEY_NAME,
    secret_value_ok,
    spelled,
)
from logai.sanitize.validators import line_before, looks_random

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


#: Base64 of ``-----BEGIN `` starts every encoded PEM block; whether it is a private key (and
#: not a public certificate) only the decoded text tells.
_BASE64_PEM_START = "LS0tLS1CRUdJTi"
#: Base64 of a Docker config's opening ``{"auths":``, compact or indented by ``docker login``
#: and ``kubectl create secret docker-registry``.
_BASE64_DOCKER_STARTS = (
    "eyJhdXRocyI6",  # {"auths":
    "eyAiYXV0aHMiOg",  # { "auths":
    "ewogICJhdXRocyI6",  # {\n  "auths":
    "ewogICAgImF1dGhzIjo",  # {\n    "auths":
    "ewoJImF1dGhzIjo",  # {\n\t"auths":
)
_BASE64_FILE = rf"""(?x)
    (?<![A-Za-z0-9+/])
    (?:{_BASE64_PEM_START}|{"|".join(_BASE64_DOCKER_STARTS)})
    [A-Za-z0-9+/]{{8,}}={{0,2}}
    (?![A-Za-z0-9+/=])
"""
#: A Docker config holds credentials when an entry has one of these fields.
_DOCKER_CREDENTIAL_FIELDS = re.compile(r'"(?:auth|password|identitytoken|registrytoken)"\s*:')


def _base64_prefix(value: str, length: int) -> str:
    """The text of the first ``length`` characters of base64 ``value`` (whole quanta only)."""
    head = value[: min(length, len(value)) // 4 * 4]
    try:
        return base64.b64decode(head, validate=True).decode("latin-1")
    except (binascii.Error, ValueError):
        return ""


def _base64_private_key_ok(match: re.Match[str]) -> bool:
    return "PRIVATE KEY" in _base64_prefix(match.group(), 80)


def _docker_config_ok(match: re.Match[str]) -> bool:
    return _DOCKER_CREDENTIAL_FIELDS.search(_base64_prefix(match.group(), 4000)) is not None


#: ``password%3DS3cr3t%21``: a form body or a query string logged inside another URL (a
#: ``redirect=`` or ``next=`` parameter) has its ``=`` as ``%3D`` (``%253D`` twice encoded), so
#: the plain ``password`` and ``secret_assignment`` rules never see an assignment. The value
#: runs to the next ``&`` in either form (``%26``), a space, or a quote.
_ENCODED_EQUALS = r"(?P<eq>%(?:25)?3[Dd])"
#: The value never runs over the next ``=`` written as the assignment's (its own ``=`` are
#: encoded once more, ``%253D`` after ``%3D``; trailing base64 padding is kept): running to the
#: end of ``key%3Dakey%3Da...`` from each of its names made a long line quadratic.
_ENCODED_VALUE = (
    r"(?P<value>(?:[A-Za-z0-9._~!*+-]|(?!(?P=eq))%(?!(?:25)?26)(?:25)?[0-9A-Fa-f]{2})+"
    r"(?:(?P=eq))*)"
)
_ENCODED_PASSWORD = rf"""(?x)
    (?P<keyword>{spelled("pass")}(?:{spelled("word")}|{spelled("wd")}|{spelled("phrase")})?
      |{spelled("pwd")})
    {_ENCODED_EQUALS}{_ENCODED_VALUE}
"""
_ENCODED_SECRET = rf"""(?x)
    (?P<keyword>{spelled("secret")}|{spelled("token")}|{spelled("key")})
    {_ENCODED_EQUALS}{_ENCODED_VALUE}
"""
#: The prefilter's view of ``%3D`` and ``%253D`` (digits read as ``0``).
_ENCODED_EQUALS_HINTS = ("%0d", "%000d")
_NAME_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-"


def _decoded(match: re.Match[str]) -> str:
    return unquote(unquote(match.group("value")))


def _encoded_name(match: re.Match[str]) -> str:
    """The name assigned to, from after the escape before it: ``%26pwd`` names ``pwd``, and
    ``%3Fapi_key`` ``api_key`` (the escape's hex digits are no part of the name)."""
    before = _ESCAPE.split(line_before(match, 48, "keyword"))[-1]
    tail = before[len(before.rstrip(_NAME_CHARS)) :]
    return (tail + match.group("keyword")).lower()


def _encoded_password_ok(match: re.Match[str]) -> bool:
    name = _encoded_name(match)
    keyword = match.group("keyword").lower()
    # ``pass`` and ``pwd`` alone must be the whole name or its last part: not ``bypass``.
    if keyword in {"pass", "pwd"} and name != keyword and name[-len(keyword) - 1] not in "_.-":
        return False
    value = _decoded(match)
    return len(value.strip()) >= 3 and secret_value_ok(value)


def _encoded_secret_ok(match: re.Match[str]) -> bool:
    name = _encoded_name(match)
    if name.endswith("key") and not SECRET_KEY_NAME.search(name):
        return False
    if NOT_SECRET_NAME.search(name):
        return False
    value = _decoded(match)
    return secret_value_ok(value) and looks_random(value, min_length=6)


def encoded_rules() -> list[Rule]:
    """The rules for values an encoding hides: phone numbers, credentials."""
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
        Rule(
            name="base64_private_key",
            kind="PRIVATE_KEY",
            pattern=_BASE64_FILE,
            validator=_base64_private_key_ok,
            description=(
                "Base64-encoded PEM private keys under any name (Kubernetes Secret tls.key, "
                "Helm values, env vars: LS0tLS1CRUdJTi...); encoded certificates and public "
                "keys stay."
            ),
            hints=(_BASE64_PEM_START,),
            reach=0,
            priority=CONTEXT_PRIORITY,
            example=(
                "  tls.key: LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS0tLS0tCk1IY0NBUUVFSUJrZzRMVldNOW51"
            ),
        ),
        Rule(
            name="docker_config_base64",
            kind="SECRET",
            pattern=_BASE64_FILE,
            validator=_docker_config_ok,
            description=(
                "Base64-encoded Docker registry configs with credentials (Kubernetes "
                ".dockerconfigjson: eyJhdXRocyI6...); one without auth or password stays."
            ),
            hints=_BASE64_DOCKER_STARTS,
            reach=0,
            priority=CONTEXT_PRIORITY,
            example=(
                "  .dockerconfigjson: eyJhdXRocyI6eyJyZWdpc3RyeS5leGFtcGxlLmNvbSI6eyJhdXRoIjoi"
                "WTJrNldHczVMWEJNTW5FPSJ9fX0="
            ),
        ),
        Rule(
            name="encoded_password",
            kind="PASSWORD",
            pattern=_ENCODED_PASSWORD,
            validator=_encoded_password_ok,
            group="value",
            description=(
                "Passwords in URL-encoded assignments (password%3DS3cr3t%21, pwd%253D... "
                "twice encoded), as a form body or a query string inside another URL logs them."
            ),
            hints=_ENCODED_EQUALS_HINTS,
            reach=48,
            reach_chars=_NAME_CHARS,
            priority=CONTEXT_PRIORITY,
            example="GET /login?next=%2Fsso%3Fuser%3Djdoe%26password%3DS3cr3t%2521 302",
        ),
        Rule(
            name="encoded_secret",
            kind="SECRET",
            pattern=_ENCODED_SECRET,
            validator=_encoded_secret_ok,
            group="value",
            description=(
                "Generated-looking values of client_secret, access_token, api_key... in "
                "URL-encoded assignments (access_token%3DeyJ...); not next_token, not a plain key."
            ),
            hints=_ENCODED_EQUALS_HINTS,
            reach=48,
            reach_chars=_NAME_CHARS,
            priority=CONTEXT_PRIORITY,
            example="redirect_uri=https%3A%2F%2Fapp%2Fcb%3Faccess_token%3D9f8e7d6c5b4a3928%26x%3D1",
        ),
    ]
