"""OAuth 2.0 and OpenID Connect one-time credentials: authorization codes and PKCE verifiers.

Access, refresh and ID tokens carry a credential's name (``access_token=``) and are the
``secret_assignment`` and ``jwt`` rules' work. An authorization code is called just ``code``,
a name that means anything (``exit code=1``, ``code=ERR_TIMEOUT``, a 6-digit OTP page), yet
the access logs of every OAuth client hold it in the redirect: whoever replays it before the
client does gets the user's tokens. So ``code`` counts only in an OAuth exchange (a ``state``,
``redirect_uri`` or ``grant_type=authorization_code`` nearby, or a callback path);
``code_verifier`` and ``device_code`` always do.
"""

from __future__ import annotations

import re

from logai.sanitize.rule import Rule
from logai.sanitize.rules.secrets import CONTEXT_PRIORITY, secret_value_ok, spelled
from logai.sanitize.validators import line_after, line_before, looks_random

__all__ = ["oauth_rules"]

_CODE = rf"""(?x)
    (?<![A-Za-z0-9_.-])
    (?P<keyword>{spelled("code")}(?:_{spelled("verifier")})?|{spelled("device_code")})
    (?:=|(?P<json>"[ \t]*:[ \t]*"))
    (?P<value>[A-Za-z0-9._~/%+*!-]{{10,}})
"""
#: What makes ``code=`` an OAuth exchange rather than an error or a status code.
_OAUTH_CONTEXT = re.compile(
    r"(?i)[?&#\s\"](?:state|session_state|redirect_uri|scope|client_id)[=\"]"
    r"|authorization_code|/(?:oauth2?|callback|cb|signin-[a-z]+|auth/[a-z0-9_-]+/callback)\b"
)


def _oauth_code_ok(match: re.Match[str]) -> bool:
    value = match.group("value")
    if not secret_value_ok(value) or not looks_random(value, min_length=10):
        return False
    if value.isdigit() or value.isupper():
        return False  # an OTP, an error name: codes the user types or reads
    if match.group("keyword").lower() != "code":
        return True
    if match.group("json") is None and line_before(match, 1, "keyword") not in {
        "?",
        "&",
        "#",
        " ",
        "",
    }:
        return False
    context = line_before(match, 300) + line_after(match, 300)
    return _OAUTH_CONTEXT.search(context) is not None


def oauth_rules() -> list[Rule]:
    """The OAuth rules of the default pack."""
    return [
        Rule(
            name="oauth_code",
            kind="SECRET",
            pattern=_CODE,
            validator=_oauth_code_ok,
            group="value",
            description=(
                "OAuth/OIDC authorization codes in redirects and token requests (code= with "
                "state, redirect_uri or grant_type=authorization_code nearby), PKCE "
                "code_verifier= and device_code=; exit codes, error codes and OTPs stay."
            ),
            # not "verifier": a hint whose only rare letter is "v" would make the prefilter fold
            # "v" and stop far more often for every other hint
            hints=("code=", 'code"', "code_verifier"),
            reach=len("device_"),  # the hint "code=" of device_code=
            priority=CONTEXT_PRIORITY,
            example=(
                '203.0.113.9 - - [05/Dec/2026:03:00:00 +0000] "GET /oauth2/callback?code='
                '4/0AX4XfWjYq81Kd0zP2&state=af0ifjsldkj HTTP/1.1" 302 0'
            ),
        ),
    ]
