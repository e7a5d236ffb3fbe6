"""Hide credentials that ride inside URLs before a URL is shown to anyone.

Endpoints are often configured with the secret in them: ``https://user:PASSWORD@proxy/v1``,
``...?api-key=…``, a presigned ``X-Amz-Signature``, an Azure SAS ``sig``. ``logai config
show``, ``config check`` and error messages that echo an endpoint print the URL with the
password of its userinfo and the value of every secret-looking query or fragment parameter
replaced by ``********``; the user name, host, path and other parameters stay, so the user
can still tell which endpoint is meant.
"""

from __future__ import annotations

import re

__all__ = ["MASK", "is_secret_parameter", "mask_url", "mask_urls_in_text"]

MASK = "********"

#: Parameter-name fragments that mark a secret (matched on the lowercased name with
#: separators removed, so ``api-key``, ``api_key``, ``apiKey`` and ``x-api-key`` all match).
_SECRET_FRAGMENTS = (
    "key",
    "token",
    "secret",
    "passw",
    "pwd",
    "signature",
    "credential",
    "auth",
    "session",
    "cookie",
    "jwt",
    "bearer",
)
#: Short names that are secrets on their own (SAS ``sig``, ``pass``, OAuth ``code``...).
_SECRET_NAMES = frozenset({"sig", "sign", "pass", "code", "hash", "otp", "pin", "sas"})
#: Name prefixes whose every parameter belongs to a signed request (AWS SigV4, GCS).
_SECRET_PREFIXES = ("xamz", "xgoog")

_URL = re.compile(r"""[A-Za-z][A-Za-z0-9+.-]*://[^\s<>"'`]+""")
_PARAMETER = re.compile(r"(?P<lead>^|[?&;#])(?P<name>[^=&;#?]+)=(?P<value>[^&;#?]*)")


def is_secret_parameter(name: str) -> bool:
    """Whether a query or fragment parameter of this name is likely to carry a secret."""
    folded = re.sub(r"[^a-z0-9]", "", name.lower())
    return (
        folded in _SECRET_NAMES
        or folded.startswith(_SECRET_PREFIXES)
        or any(fragment in folded for fragment in _SECRET_FRAGMENTS)
    )


def _mask_parameter(match: re.Match[str]) -> str:
    if not is_secret_parameter(match["name"]) or not match["value"]:
        return match.group()
    return f"{match['lead']}{match['name']}={MASK}"


def mask_url(url: str) -> str:
    """``url`` with its userinfo password and secret-looking parameters masked."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    end = len(rest)
    for delimiter in "/?#":
        found = rest.find(delimiter)
        if found != -1:
            end = min(end, found)
    authority, tail = rest[:end], rest[end:]
    userinfo, at, host = authority.rpartition("@")
    if at:
        user, colon, password = userinfo.partition(":")
        authority = f"{user}:{MASK}@{host}" if colon and password else authority
    # Query, fragment (OAuth ``#access_token=``) and path parameters (``;jsessionid=``).
    return f"{scheme}://{authority}{_PARAMETER.sub(_mask_parameter, tail)}"


def mask_urls_in_text(text: str) -> str:
    """Every URL inside ``text`` (an error message, a status line) masked by :func:`mask_url`."""
    if "://" not in text:
        return text
    return _URL.sub(lambda match: mask_url(match.group()), text)
