"""Default rules for chat-ops incoming-webhook URLs: whoever has the URL can post as the bot.

Slack (``hooks.slack.com``) and Discord (``/api/webhooks/``) are :mod:`.tokens`' ``webhook_url``
rule; this module adds the other chat platforms teams wire alerts into. Their URLs carry the
credential in the path or query, so the whole URL is redacted, as ``webhook_url`` does. Each
hint holds a rare letter (``k`` of ``webhook``, ``h`` of ``hooks``, ``x`` of ``webex``) so the
one-pass prefilter finds them without a scan of its own.
"""

from __future__ import annotations

import re

from logai.sanitize.rule import Rule
from logai.sanitize.rules.secrets import KNOWN_FORMAT_PRIORITY

__all__ = ["chatops_rules"]

_URL_TAIL = r"[^\s\"'<>()\[\]{}|\\^`]"

_TEAMS = r"""(?x)
    https://(?:[A-Za-z0-9-]+\.)?
    (?:webhook\.office\.com/webhookb2|outlook\.office(?:365)?\.com/webhook)
    /[0-9a-fA-F-]{36}@[0-9a-fA-F-]{36}/IncomingWebhook/[0-9a-fA-F]{32}/[0-9a-fA-F-]{36}
    (?:/[A-Za-z0-9_-]+)?
"""

#: Power Automate / Logic Apps workflow triggers: the ``sig`` query parameter is the credential.
_WORKFLOW = rf"""(?x)
    https://[A-Za-z0-9.-]+\.(?:logic\.azure\.com|environment\.api\.powerplatform\.com)(?::443)?
    /(?:workflows|powerautomate/automations/direct/workflows)/[0-9a-fA-F]{{32}}
    /triggers/[A-Za-z0-9_-]+/paths/invoke{_URL_TAIL}*?[?&]sig=[A-Za-z0-9_%-]{{20,}}
"""

#: Mattermost and Rocket.Chat: ``/hooks/`` and a 26-character key (Mattermost) or an ID and a
#: token (Rocket.Chat); GitHub's ``/repos/o/r/hooks/123`` has digits only and stays.
_HOOKS = r"""(?x)
    https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:/[A-Za-z0-9._~-]+)*?
    /hooks/(?P<key>[a-z0-9]{26}|[A-Za-z0-9]{17}/[A-Za-z0-9]{30,60})(?![A-Za-z0-9])
"""

_GOOGLE_CHAT = rf"""(?x)
    https://chat\.googleapis\.com/v1/spaces/[A-Za-z0-9_-]+/messages\?{_URL_TAIL}*?
    (?:key|token)=[A-Za-z0-9_%-]{{20,}}{_URL_TAIL}*
"""

_OTHER = r"""(?x)
    https://(?:
        webexapis\.com/v1/webhooks/incoming/[A-Za-z0-9_-]{40,}
      | oapi\.dingtalk\.com/robot/send\?access_token=[0-9a-f]{64}
      | open\.(?:feishu\.cn|larksuite\.com)/open-apis/bot/v2/hook/[0-9a-f-]{36}
      | qyapi\.weixin\.qq\.com/cgi-bin/webhook/send\?key=[0-9a-f-]{36}
      | maker\.ifttt\.com/(?:trigger/[A-Za-z0-9_.-]+/(?:json/)?with/key|use)/[A-Za-z0-9_-]{16,}
    )
"""


def _hooks_ok(match: re.Match[str]) -> bool:
    key = match.group("key")
    # a key of letters only is a word, of digits only an ID: Mattermost keys mix both
    return any(c.isdigit() for c in key) and any(c.isalpha() for c in key)


def _rule(name: str, pattern: str, description: str, example: str, hints: tuple[str, ...]) -> Rule:
    return Rule(
        name=name,
        kind="WEBHOOK_URL",
        pattern=pattern,
        validator=_hooks_ok if pattern is _HOOKS else None,
        description=description,
        hints=hints,
        reach=None,
        priority=KNOWN_FORMAT_PRIORITY,
        example=example,
    )


def chatops_rules() -> list[Rule]:
    """The chat-ops webhook rules of the default pack."""
    return [
        _rule(
            "teams_webhook_url",
            _TEAMS,
            "Microsoft Teams incoming-webhook URLs (*.webhook.office.com/webhookb2/..., "
            "outlook.office.com/webhook/...).",
            "POST https://contoso.webhook.office.com/webhookb2/7e4a1c52-9b0d-4f3e-8a21-"
            "5c6d7e8f9a0b@72f988bf-86f1-41af-91ab-2d7cd011db47/IncomingWebhook/"
            "3f9c1e2a7b4d4e8f9a0c1d2e3f4a5b6c/0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e 200",
            ("webhook",),
        ),
        _rule(
            "workflow_trigger_url",
            _WORKFLOW,
            "Power Automate / Logic Apps workflow trigger URLs with their sig= key "
            "(the Teams Workflows replacement for connectors).",
            "notify https://prod-42.westeurope.logic.azure.com:443/workflows/"
            "3f9c1e2a7b4d4e8f9a0c1d2e3f4a5b6c/triggers/manual/paths/invoke?api-version="
            "2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=Xq7Lk9Vb2Nc4Mz8Pw1Rt5Ys3Uo6Ia0Eh",
            ("logic azure", "powerplatform", "workflows/"),
        ),
        _rule(
            "chat_hook_url",
            _HOOKS,
            "Mattermost (/hooks/ + 26-character key) and Rocket.Chat (/hooks/id/token) "
            "incoming-webhook URLs.",
            "alert posted to https://chat.example.com/hooks/xq7lk9vb2nc4mz8pw1rt5ys3uo",
            ("/hooks/",),
        ),
        _rule(
            "google_chat_webhook_url",
            _GOOGLE_CHAT,
            "Google Chat incoming-webhook URLs (chat.googleapis.com/v1/spaces/.../messages"
            "?key=...&token=...).",
            "POST https://chat.googleapis.com/v1/spaces/AAAAbCdEfGh/messages?key=AIzaSyDdI0hC"
            "ZtE6vySjMm-WEfRq3CPzqKqqsHI&token=Xq7Lk9Vb2Nc4Mz8Pw1Rt5Ys3Uo6Ia0Eh2Gd4 200",
            ("chat googleapis",),
        ),
        _rule(
            "chat_robot_webhook_url",
            _OTHER,
            "Webex, DingTalk, Feishu/Lark and WeCom bot webhook URLs, IFTTT Maker trigger URLs.",
            "send https://webexapis.com/v1/webhooks/incoming/Y2lzY29zcGFyazovL3VzL1dFQkhPT0sv"
            "ZmFrZS1ob29r failed: 429",
            ("webexapis", "dingtalk", "hook/", "webhook/send", "ifttt"),
        ),
    ]
