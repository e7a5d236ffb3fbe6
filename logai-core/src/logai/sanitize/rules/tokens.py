"""Default rules for credentials with a recognisable shape: AWS key IDs, JWTs, vendor tokens.

Vendors prefix their tokens (``ghp_``, ``xoxb-``, ``sk_live_``) precisely so that scanners
like this one can find them without context. Each pattern starts with its literal prefix, so
the regex engine skips to it at memory-search speed; the look-behind placed *after* the prefix
keeps that speed while refusing a prefix glued to a longer word (``task-``, ``disk-``).
"""

from __future__ import annotations

import re

from logai.sanitize.rule import Rule
from logai.sanitize.rules.secrets import KNOWN_FORMAT_PRIORITY
from logai.sanitize.validators import looks_random

__all__ = ["END", "after_prefix_boundary", "token_rules"]


def after_prefix_boundary(prefix_length: int) -> str:
    """A look-behind, placed right after a literal prefix, that requires a word start before it."""
    return rf"(?<![A-Za-z0-9_-].{{{prefix_length}}})"


def _random_ok(match: re.Match[str]) -> bool:
    return looks_random(match.group())


END = r"(?![A-Za-z0-9_-])"

_AWS_ACCESS_KEY = rf"A(?:KIA|SIA|BIA|CCA){after_prefix_boundary(4)}[A-Z0-9]{{16}}(?![A-Za-z0-9])"
_JWT = (
    rf"eyJ{after_prefix_boundary(3)}[A-Za-z0-9_-]{{8,}}\.[A-Za-z0-9_-]{{8,}}\.[A-Za-z0-9_-]*"
    rf"(?:\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)?{END}"
)


def _spec(
    name: str,
    kind: str,
    pattern: str,
    description: str,
    example: str,
    *,
    hints: tuple[str, ...] = (),
    trigger: str | None = None,
    reach: int = 0,
    random: bool = False,
) -> Rule:
    return Rule(
        name=name,
        kind=kind,
        pattern=pattern,
        validator=_random_ok if random else None,
        description=description,
        hints=hints,
        trigger=trigger,
        reach=reach if hints or trigger else None,
        priority=KNOWN_FORMAT_PRIORITY,
        example=example,
    )


def token_rules() -> list[Rule]:
    """The fixed-format credential rules of the default pack."""
    return [
        _spec(
            "aws_access_key_id",
            "AWS_ACCESS_KEY",
            _AWS_ACCESS_KEY,
            "AWS access key IDs (AKIA..., temporary ASIA...). Account IDs in ARNs stay.",
            "aws_access_key_id=AKIAIOSFODNN7EXAMPLE region=us-east-1",
            # shares one scan for "A" with the other triggers that start with it (ATATT3)
            trigger=r"A(?:KIA|SIA|BIA|CCA)",
        ),
        _spec(
            "jwt",
            "JWT",
            _JWT,
            "JSON Web Tokens (signed and encrypted): eyJ...eyJ....sig",
            "token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N",
            hints=("eyJ",),
        ),
        _spec(
            "github_token",
            "GITHUB_TOKEN",
            rf"g{after_prefix_boundary(1)}(?:h[pousr]_[A-Za-z0-9]{{36,251}}"
            rf"|ithub_pat_[A-Za-z0-9_]{{50,240}}){END}",
            "GitHub tokens: ghp_, gho_, ghu_, ghs_, ghr_ and fine-grained github_pat_.",
            "git push failed: token ghp_16C7e42F292c6912E7710c838347Ae178B4a rejected",
            hints=("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
        ),
        _spec(
            "slack_token",
            "SLACK_TOKEN",
            rf"x{after_prefix_boundary(1)}(?:ox[abposre]-[A-Za-z0-9-]{{10,250}}"
            rf"|app-[0-9]-[A-Za-z0-9-]{{10,250}}){END}",
            "Slack bot, user, app and refresh tokens (xoxb-, xoxp-, xapp-...).",
            "slack post failed token=xoxb-2048-1357911-AbCdEfGhIjKlMnOp",
            hints=("xox", "xapp-"),
        ),
        _spec(
            "stripe_key",
            "STRIPE_KEY",
            r"(?<![A-Za-z0-9])(?:[sr]k_(?:live|test)_[A-Za-z0-9]{16,247}|whsec_[A-Za-z0-9]{24,})"
            + END,
            "Stripe secret and restricted keys (sk_live_, rk_test_) and webhook secrets (whsec_)."
            " Publishable pk_ keys are public by design and stay.",
            "stripe.api_key set to sk_live_4eC39HqLyjWDarjtT1zdp7dc",
            hints=("k_live_", "k_test_", "whsec_"),
            reach=1,
        ),
        _spec(
            "google_api_key",
            "GOOGLE_API_KEY",
            rf"AIza{after_prefix_boundary(4)}[0-9A-Za-z_-]{{35}}{END}",
            "Google API keys (AIza...).",
            "maps geocode https://maps.googleapis.com/?key=AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe",
            hints=("AIza",),
        ),
        _spec(
            "google_oauth",
            "GOOGLE_TOKEN",
            r"(?<![A-Za-z0-9_-])(?:ya29\.[0-9A-Za-z_-]{20,}|GOCSPX-[0-9A-Za-z_-]{28})" + END,
            "Google OAuth access tokens (ya29.) and client secrets (GOCSPX-).",
            "refreshing credentials ya29.a0AfH6SMBx3gkLp0nTqYwErT5uIoPzXcVbNm",
            hints=("ya29.", "GOCSPX-"),
        ),
        _spec(
            "anthropic_api_key",
            "ANTHROPIC_API_KEY",
            rf"sk-ant-{after_prefix_boundary(7)}[a-z]{{2,6}}[0-9]{{2}}-[A-Za-z0-9_-]{{20,}}{END}",
            "Anthropic API keys (sk-ant-api03-...).",
            "LLM call failed for key sk-ant-api03-Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe",
            hints=("sk-ant-",),
        ),
        _spec(
            "openai_api_key",
            "OPENAI_API_KEY",
            rf"sk-{after_prefix_boundary(3)}(?!ant-)(?:(?:proj|svcacct|admin|None)-)?"
            rf"[A-Za-z0-9_-]{{20,}}{END}",
            "OpenAI-style API keys (sk-..., sk-proj-...), also used by many compatible APIs.",
            "openai.AuthenticationError: Incorrect API key provided: sk-proj-Ab12Cd34Ef56Gh78Ij90",
            random=True,
            hints=("sk-",),
        ),
        _spec(
            "gitlab_token",
            "GITLAB_TOKEN",
            rf"gl{after_prefix_boundary(2)}(?:pat|ptt|dt|rt|cbt|soat|ffct|imt)-"
            rf"[A-Za-z0-9_-]{{20,}}{END}",
            "GitLab personal, pipeline, deploy and runner tokens (glpat-...).",
            "cloning with PRIVATE-TOKEN glpat-xK9mP2vL8nQ4wR7tY3zB",
            hints=("glpat-", "glptt-", "gldt-", "glrt-", "glcbt-", "glsoat-", "glffct-", "glimt-"),
        ),
        _spec(
            "npm_token",
            "NPM_TOKEN",
            rf"npm_{after_prefix_boundary(4)}[A-Za-z0-9]{{36}}{END}",
            "npm access tokens (npm_...).",
            "//registry.npmjs.org/:_authToken=npm_Xq7Lk9Vb2Nc4Mz8Pw1Rt5Ys3Uo6Ia0Eh2Gd4",
            # rides the prefilter's shared scan for "n" (nino, national...)
            hints=("npm_",),
        ),
        _spec(
            "sendgrid_api_key",
            "SENDGRID_API_KEY",
            rf"SG\.{after_prefix_boundary(3)}[A-Za-z0-9_-]{{16,32}}\.[A-Za-z0-9_-]{{24,64}}{END}",
            "SendGrid API keys (SG.xxx.yyy).",
            "mail relay auth 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",
            hints=("SG.",),
        ),
        _spec(
            "huggingface_token",
            "HUGGINGFACE_TOKEN",
            rf"hf_{after_prefix_boundary(3)}[A-Za-z0-9]{{34,}}{END}",
            "Hugging Face access tokens (hf_...).",
            "hub download HF_TOKEN=hf_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789",
            random=True,
            hints=("hf_",),
        ),
        _spec(
            "pypi_token",
            "PYPI_TOKEN",
            rf"pypi-{after_prefix_boundary(5)}AgE[A-Za-z0-9_-]{{50,}}{END}",
            "PyPI upload tokens (pypi-AgEIcHlwaS5vcmc...).",
            "twine upload -p pypi-AgEIcHlwaS5vcmcCJDk2NTRhMWI4LTRhYzQtNDRkZC1hZDYwLWQ4ZjFlOTc",
            hints=("pypi-",),
        ),
        _spec(
            "webhook_url",
            "WEBHOOK_URL",
            r"https://(?:hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9/_-]{20,}"
            r"|(?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks/[0-9]+/[A-Za-z0-9_-]{20,})",
            "Slack and Discord webhook URLs (the URL itself is the credential).",
            "alert sent to https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
            hints=("hooks.slack.com", "/api/webhooks/"),
            reach=40,
        ),
    ]
