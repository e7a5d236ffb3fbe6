"""Default rules for identifiers of an end user's device, where the log says what they are.

An advertising ID, an install's device ID, a push token, a phone's IMEI or a laptop's MAC
address follows one person across sessions and apps: personal data under GDPR and CCPA. The
same shapes (UUIDs, hex strings, 15 digits, six hex pairs) are everywhere in logs as request
and trace IDs, so each rule needs the keyword naming the value right before it; IMEIs must
also pass the Luhn check. A MAC address written with colons is found through the IPv6 rule's
trigger (no extra scan of the text); written with dashes, only after a keyword with ``addr``.

Hints ride scans the pack runs anyway: ``device``, ``dfa`` (of ``idfa``), ``adid`` and
``addr`` the scan for ``d``; ``android`` and ``apns_`` the one for ``n``; ``gaid``, ``push_``
and ``fcm_token`` hold a rare letter; an IMEI holds the 13-digit run payment cards are found by.
Deliberately left alone: an all-zero advertising ID (the user opted out of tracking), the
broadcast MAC, vendor IDs without a keyword, and IDs of servers (instance and container IDs).
"""

from __future__ import annotations

import re

from logai.sanitize.rule import Rule
from logai.sanitize.rules.pii import PII_PRIORITY
from logai.sanitize.rules.secrets import CONTEXT_PRIORITY
from logai.sanitize.validators import looks_random, luhn_valid

__all__ = ["device_rules"]

#: Between a keyword and its value: ``_id``, ``Id``, a quote, ``:``, ``=``, spaces.
_GAP = r"""[A-Za-z_]{0,8}["']?[ \t]*[:=]?[ \t]*["']?"""
_UUID = r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"

_ADVERTISING_ID = rf"""(?x)
    (?<![A-Za-z0-9])
    (?:[Ii][Dd][Ff][AaVv]|[Gg][Aa][Ii][Dd]|[Aa][Dd][Ii][Dd]|[Aa]dvertising[ _-]?[Ii][Dd]
      |[Aa]d[_-][Ii][Dd])
    {_GAP}(?P<value>{_UUID})(?![0-9A-Za-z-])
"""


def _advertising_id_ok(match: re.Match[str]) -> bool:
    return match.group("value").strip("0-") != ""


_DEVICE_ID = rf"""(?x)
    (?<![A-Za-z0-9])
    (?:[Dd]evice[ _-]?(?:[Ii][Dd]|[Uu]u[Ii][Dd]|[Ss]erial)|[Uu][Dd][Ii][Dd]
      |[Aa]ndroid[ _-]?[Ii][Dd])
    {_GAP}(?P<value>{_UUID}|[0-9A-Fa-f]{{16}}(?:[0-9A-Fa-f]{{24}})?)(?![0-9A-Za-z-])
"""

_PUSH_TOKEN = rf"""(?x)
    (?<![A-Za-z0-9])
    (?:[Pp]ush_?[Tt]oken|[Aa][Pp][Nn][Ss]_?[Tt]oken|[Ff][Cc][Mm]_?[Tt]oken
      |[Dd]evice[ _-]?[Tt]oken|[Rr]egistration_?(?:[Tt]oken|[Ii][Dd]))
    {_GAP}(?P<value>[0-9a-fA-F]{{64}}|[A-Za-z0-9_-]{{11,}}:[A-Za-z0-9_-]{{32,}}|[A-Za-z0-9_-]{{32,}})
    (?![A-Za-z0-9_:-])
"""


def _push_token_ok(match: re.Match[str]) -> bool:
    return looks_random(match.group("value"), 32)


_MAC = r"""(?x)
    (?<![A-Za-z0-9])
    (?:(?:[Cc]lient|CLIENT|[Ss]tation|[Ww]i-?[Ff]i|WIFI|[Ww]lan|WLAN|[Dd]evice|DEVICE|[Uu]ser|USER
         |[Cc]ustomer|[Ss]ubscriber)[ _-]?[Mm][Aa][Cc](?:[ _-]?[Aa]ddr(?:ess)?)?
      |[Mm][Aa][Cc][ _-]?[Aa]ddr(?:ess)?|[Hh][Ww][ _-]?[Aa]ddr(?:ess)?|[Cc][Hh][Aa][Dd][Dd][Rr]
      |STA(?=[ ]))
    ["']?[ \t]*[:=]?[ \t]*["']?
    (?P<value>[0-9A-Fa-f]{2}(?P<sep>[:-])(?:[0-9A-Fa-f]{2}(?P=sep)){4}[0-9A-Fa-f]{2})
    (?![0-9A-Za-z:-])
"""
#: Addresses of no one: broadcast and all-zero.
_MAC_NOBODY = frozenset({"ff:ff:ff:ff:ff:ff", "00:00:00:00:00:00"})


def _mac_ok(match: re.Match[str]) -> bool:
    return match.group("value").lower().replace("-", ":") not in _MAC_NOBODY


def _mac_key(value: str) -> str:
    return value.lower().replace("-", ":")


#: The IPv6 rule's trigger: also where a colon-separated MAC address is (six hex pairs).
_COLON_HEX_TRIGGER = r":(?::|[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:)"

_IMEI = r"""(?x)
    (?<![A-Za-z0-9])
    (?:[Ii][Mm][Ee][Ii]|[Dd]evice[ _-]?[Ii][Mm][Ee][Ii])[A-Za-z_]{0,6}["']?[ \t]*[:=#]?[ \t]*["']?
    (?P<value>[0-9]{15})(?![0-9])
"""


def _imei_ok(match: re.Match[str]) -> bool:
    return luhn_valid(match.group("value"))


def device_rules() -> list[Rule]:
    """The device-identifier rules of the default pack."""
    return [
        Rule(
            name="advertising_id",
            kind="DEVICE_ID",
            pattern=_ADVERTISING_ID,
            validator=_advertising_id_ok,
            group="value",
            description=(
                "Mobile advertising IDs after idfa, idfv, gaid, adid, advertising_id or ad_id "
                "(an all-zero ID means tracking is off and stays)."
            ),
            hints=("dfa", "dfv", "gaid", "adid", "advertisin", "ad_id", "ad id"),
            reach=1,
            priority=PII_PRIORITY,
            example='{"event":"install","idfa":"6D92078A-8246-4BA4-AE5B-76104861E7DC","os":"ios"}',
        ),
        Rule(
            name="device_id",
            kind="DEVICE_ID",
            pattern=_DEVICE_ID,
            group="value",
            description=(
                "Device IDs of end users after device_id, deviceId, udid, android_id "
                "(UUIDs, 16 or 40 hex digits)."
            ),
            hints=("device", "udid", "android"),
            reach=1,
            priority=PII_PRIORITY,
            example="analytics: session start device_id=3f2a9c4e-1b7d-4e8a-9f0c-2d6b8e1a7c5f",
        ),
        Rule(
            name="push_token",
            kind="PUSH_TOKEN",
            pattern=_PUSH_TOKEN,
            validator=_push_token_ok,
            group="value",
            description=(
                "Push notification tokens after push_token, apns_token, fcm_token, device_token or "
                "registration_id (APNs hex, FCM tokens)."
            ),
            hints=(
                "push_",
                "pushtoken",
                "apns_",
                "apnstoken",
                "fcm_token",
                "fcmtoken",
                "device",
                "registration",
            ),
            reach=1,
            priority=CONTEXT_PRIORITY + 1,  # over secret_assignment's "token=": one kind
            example=(
                "apns: sent to device_token=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c"
                "15b0f00a08 status=200"
            ),
        ),
        Rule(
            name="mac_address",
            kind="MAC_ADDRESS",
            pattern=_MAC,
            validator=_mac_ok,
            group="value",
            description=(
                "MAC addresses of end-user devices: after client_mac, station_mac, device_mac, "
                "mac_address, hwaddr, chaddr (DHCP) or hostapd's STA; a bare MAC= (firewall "
                "headers), access points' BSSIDs, broadcast and all-zero stay."
            ),
            hints=("addr",),
            trigger=_COLON_HEX_TRIGGER,
            reach=48,
            priority=PII_PRIORITY,
            normalize=_mac_key,
            example="hostapd: wlan0: associated client_mac=3c:22:fb:7a:19:c4 rssi=-61",
        ),
        Rule(
            name="imei",
            kind="IMEI",
            pattern=_IMEI,
            validator=_imei_ok,
            group="value",
            description="Phone IMEIs (15 digits, Luhn-checked) after imei or device_imei.",
            # an IMEI holds the 13-digit run the card rule's hint is; the keyword is before it
            hints=("0000000000000",),
            reach=24,
            reach_chars="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_\"' \t:=#",
            priority=PII_PRIORITY,
            example='{"msg":"device registered","imei":"490154203237518","carrier":"acme"}',
        ),
    ]
