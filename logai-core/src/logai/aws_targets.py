"""``LOGAI_AWS_TARGETS``: several AWS accounts and regions, each a named target.

Syntax, comma-separated (newlines and semicolons work too), one entry per target::

    [ALIAS=][PROFILE][>ROLE_ARN][@REGION]

    prod-eu=prod@eu-west-1
    prod-us=prod@us-east-1
    audit=prod>arn:aws:iam::123456789012:role/LogReader@eu-west-1
    sandbox=>arn:aws:iam::210987654321:role/LogReader@us-east-1

* ``ALIAS`` names the target in listings, tool arguments (``target``), ``--target`` and
  guardrail patterns; letters, digits, ``-`` and ``_``. Without one, the profile (or
  ``default``) joined to the region names it: ``prod-eu-west-1``.
* ``PROFILE`` is an AWS profile (``~/.aws/config``); empty means the credentials LogAI uses
  without targets (``AWS_PROFILE``, the access key pair, or the default chain).
* ``>ROLE_ARN`` assumes that IAM role (``sts:AssumeRole``) with the profile's credentials: the
  usual way into another account. The temporary credentials are refreshed before they expire.
* ``@REGION`` is the region; without it, ``AWS_REGION`` or the profile's region.

Parsing lives in core, without boto3, so ``logai config check`` can report every mistake; the
CloudWatch plugin builds one source per target from the result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from logai.sources.targets import TARGET_NAME

__all__ = ["TARGETS_VARIABLE", "AwsTarget", "TargetSyntaxError", "parse_targets"]

TARGETS_VARIABLE = "LOGAI_AWS_TARGETS"
REGION = re.compile(r"[a-z]{2}(-[a-z]+)+-\d{1,2}")
ROLE_ARN = re.compile(r"arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]+")
PROFILE = re.compile(r"[\w+=,.@/-]+")
EXAMPLE = "prod-eu=prod@eu-west-1 or audit=prod>arn:aws:iam::123456789012:role/Reader@eu-west-1"


class TargetSyntaxError(ValueError):
    """``LOGAI_AWS_TARGETS`` cannot be used; ``str()`` names the entry and what to write."""


@dataclass(frozen=True)
class AwsTarget:
    """One target: whose credentials, which role to assume with them, which region."""

    alias: str
    profile: str | None = None
    role_arn: str | None = None
    region: str | None = None

    def __str__(self) -> str:
        text = f"{self.alias}={self.profile or ''}"
        text += f">{self.role_arn}" if self.role_arn else ""
        return text + (f"@{self.region}" if self.region else "")

    def label(self) -> str:
        """``profile prod, role arn:…, region eu-west-1`` for messages and status lines."""
        parts = [f"profile {self.profile}" if self.profile else "default credentials"]
        if self.role_arn:
            parts.append(f"role {self.role_arn}")
        parts.append(f"region {self.region}" if self.region else "default region")
        return ", ".join(parts)


def _entry(text: str) -> AwsTarget:
    head, equals, rest = text.partition("=")
    alias = head.strip() if equals and TARGET_NAME.fullmatch(head.strip()) else None
    if equals and alias is None and ">" not in head and "@" not in head:
        raise TargetSyntaxError(
            f"'{text}': the target name '{head.strip()}' may hold only letters, digits, '-' and "
            "'_' (at most 64).",
        )
    spec = rest if alias is not None else text
    region: str | None = None
    before, at, after = spec.rpartition("@")
    if at:
        if REGION.fullmatch(after.strip()):
            spec, region = before, after.strip()
        elif ">" not in spec:
            raise TargetSyntaxError(
                f"'{text}': '{after.strip()}' is not an AWS region name (e.g. eu-west-1)."
            )
    profile_text, arrow, role_text = spec.partition(">")
    profile = profile_text.strip() or None
    role = role_text.strip() or None
    if arrow and role is None:
        raise TargetSyntaxError(f"'{text}': '>' must be followed by the ARN of a role to assume.")
    if role is not None and not ROLE_ARN.fullmatch(role):
        raise TargetSyntaxError(
            f"'{text}': '{role}' is not an IAM role ARN (arn:aws:iam::123456789012:role/Name)."
        )
    if profile is not None and not PROFILE.fullmatch(profile):
        raise TargetSyntaxError(f"'{text}': '{profile}' is not a usable AWS profile name.")
    if alias is None:
        alias = re.sub(
            r"[^A-Za-z0-9_-]", "-", "-".join(filter(None, [profile or "default", region]))
        )
    return AwsTarget(alias[:64], profile, role, region)


def parse_targets(text: str | None) -> list[AwsTarget]:
    """The targets of ``LOGAI_AWS_TARGETS``; ``[]`` when unset (one implicit target).

    Raises :class:`TargetSyntaxError` naming the first unusable entry and what to write.
    """
    if text is None or not text.strip():
        return []
    targets: list[AwsTarget] = []
    # Commas between entries; a newline or semicolon does as well (a long value in .env).
    for raw in re.split(r"[,;\n]", text):
        entry = raw.strip()
        if not entry:
            continue
        try:
            target = _entry(entry)
        except TargetSyntaxError as exc:
            raise TargetSyntaxError(f"{TARGETS_VARIABLE}: {exc} Example: {EXAMPLE}.") from None
        if any(known.alias == target.alias for known in targets):
            raise TargetSyntaxError(
                f"{TARGETS_VARIABLE}: two targets are named '{target.alias}'; give each its own "
                "name (ALIAS=...)."
            )
        targets.append(target)
    if not targets:
        raise TargetSyntaxError(f"{TARGETS_VARIABLE} lists no target. Example: {EXAMPLE}.")
    return targets
