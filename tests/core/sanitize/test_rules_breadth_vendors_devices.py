# ruff: noqa: E501
"""Vendor tokens without a keyword, device identifiers, kubeconfig credentials, cookie jars and
the identifier keywords added with them (issue 18, second part).

Each positive runs its rule alone, so it proves that rule fired; each look-alike runs the whole
default pack, so no rule may touch it. The corpus families of these rules must be found in full,
and on the rest of the corpus the pack must redact exactly what it did without them.
"""

from __future__ import annotations

import re

import pytest

from logai.sanitize import Rule, Sanitizer
from tests.core.sanitize.rule_table import (
    assert_family_found_in_full,
    corpus_entries,
    flatten,
    split_pack,
    table_tests,
)

#: The rules this module covers: switched off, the default pack is the previous rule set.
NEW_RULES = frozenset({
    "docker_hub_token", "vault_token", "terraform_cloud_token", "digitalocean_token",
    "shopify_token", "mailgun_api_key", "new_relic_key", "grafana_token", "sentry_token",
    "doppler_token", "linear_api_key", "atlassian_api_token", "postman_api_key",
    "databricks_token", "twilio_api_key", "advertising_id", "device_id", "push_token",
    "mac_address", "imei", "kubeconfig_client_data", "cookie_jar_session",
})  # fmt: skip
NEW_FAMILIES = (
    "vendor_token",
    "device_id",
    "encoded_credential",
    "cookie_jar",
    "identifier_keyword",
)

_ATL = "ATATT3auSDmLhuVtcqcYezdZ-tDDj8hYs5suKcNd8Zra9A9sKPxZ9W3qLy7zKUVQDT7S8sTQCBNR3YbDgbleph1QHt61QTC4XATWS8PHp9NHfYjFM5DI4pZj59fhZ5R1Py4oJe2JbmPTuSgR7cMy_UcU3zr1ZtoLuCr64CxqlIOdNKhiFXiQ2hzT-pLjHX2J"

CASES: dict[str, list[tuple[str, str]]] = {
    "docker_hub_token": [
        ("echo dckr_pat_2b3e9f1c7d4a8e6b0c5d9f2a1e7 | docker login -u ci --password-stdin", "dckr_pat_2b3e9f1c7d4a8e6b0c5d9f2a1e7"),
        ('{"registry":"hub","token":"dckr_oat_Xq7Lk9Vb2Nc4Mz8Pw1Rt5Ys3Uo6Ia0Eh"}', "dckr_oat_Xq7Lk9Vb2Nc4Mz8Pw1Rt5Ys3Uo6Ia0Eh"),
    ],
    "vault_token": [
        ("b'X-Vault-Token: hvs.CAESIJk2Q7m8vN3xL0pR5tY9wB1cF4hD6gK2jM8nP0qS3uV5\\r\\n'", "hvs.CAESIJk2Q7m8vN3xL0pR5tY9wB1cF4hD6gK2jM8nP0qS3uV5"),
        ("| ci | hvb.AAAAAQJk2Q7m8vN3xL0pR5tY9wB1cF4hD6gK2jM8nP0qS3uV5 | 32d |", "hvb.AAAAAQJk2Q7m8vN3xL0pR5tY9wB1cF4hD6gK2jM8nP0qS3uV5"),
    ],
    "terraform_cloud_token": [
        ('token = "U8JZpDE0iGXlD6.atlasv1.gNCFbaEPFjbD0kH8Oool8DklZDOCj2ISaJiHkTj0rLGlkoMXGjtEkDnNfribxUdl7dX"', "U8JZpDE0iGXlD6.atlasv1.gNCFbaEPFjbD0kH8Oool8DklZDOCj2ISaJiHkTj0rLGlkoMXGjtEkDnNfribxUdl7dX"),
    ],
    "digitalocean_token": [
        ("Authorization: Bearer dop_v1_975729fae923d5a4fd12aabfe228f219e9cb0eb53f16947ccf25ec84d8dbc742", "dop_v1_975729fae923d5a4fd12aabfe228f219e9cb0eb53f16947ccf25ec84d8dbc742"),
        ("refresh=dor_v1_975729fae923d5a4fd12aabfe228f219e9cb0eb53f16947ccf25ec84d8dbc742 ok", "dor_v1_975729fae923d5a4fd12aabfe228f219e9cb0eb53f16947ccf25ec84d8dbc742"),
    ],
    "shopify_token": [
        ("> X-Shopify-Access-Token: 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", "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"),
        ('{"app_secret":"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"}', "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"),
    ],
    "mailgun_api_key": [
        ('    requests.post(url, auth=("api", "key-3609y6n14do9gmnu77vtuuj596lguax1"))', "key-3609y6n14do9gmnu77vtuuj596lguax1"),
    ],
    "new_relic_key": [
        ('api_key: "NRAK-7Q2W9E4R1T8Y5U3I6O0P2A7S9D4"', "NRAK-7Q2W9E4R1T8Y5U3I6O0P2A7S9D4"),
        ("insert key NRII-Xq7Lk9Vb2Nc4Mz8Pw1Rt5Ys3Uo6Ia0Eh rejected", "NRII-Xq7Lk9Vb2Nc4Mz8Pw1Rt5Ys3Uo6Ia0Eh"),
    ],
    "grafana_token": [
        ("password: glc_eyJvIjoiNzI4MTQ0IiwibiI6InN0YWNrLXB1c2giLCJrIjoiM2Y", "glc_eyJvIjoiNzI4MTQ0IiwibiI6InN0YWNrLXB1c2giLCJrIjoiM2Y"),
        ("curl -H 'Authorization: Bearer glsa_Xq7Lk9Vb2Nc4Mz8Pw1Rt5Ys3Uo6Ia0Eh_1a2b3c4d'", "glsa_Xq7Lk9Vb2Nc4Mz8Pw1Rt5Ys3Uo6Ia0Eh_1a2b3c4d"),
    ],
    "sentry_token": [
        ("SENTRY_AUTH_TOKEN=sntrys_eyJpYXQiOjE3NjQwNjQ5MzEsInVybCI6Imh0dHBzOi8vc2VudHJ5LmlvIn0_Xq7Lk9Vb2Nc4", "sntrys_eyJpYXQiOjE3NjQwNjQ5MzEsInVybCI6Imh0dHBzOi8vc2VudHJ5LmlvIn0_Xq7Lk9Vb2Nc4"),
    ],
    "doppler_token": [
        ("doppler: error: token dp.pt.Xq7Lk9Vb2Nc4Mz8Pw1Rt5Ys3Uo6Ia0Eh2Gd4Jf8Kl3Z is not valid", "dp.pt.Xq7Lk9Vb2Nc4Mz8Pw1Rt5Ys3Uo6Ia0Eh2Gd4Jf8Kl3Z"),
        ('{"token":"dp.st.prd.Xq7Lk9Vb2Nc4Mz8Pw1Rt5Ys3Uo6Ia0Eh2Gd4Jf8Kl3Z"}', "dp.st.prd.Xq7Lk9Vb2Nc4Mz8Pw1Rt5Ys3Uo6Ia0Eh2Gd4Jf8Kl3Z"),
    ],
    "linear_api_key": [
        ("Authorization: lin_api_Xq7Lk9Vb2Nc4Mz8Pw1Rt5Ys3Uo6Ia0Eh2Gd4Jf8K -> 200", "lin_api_Xq7Lk9Vb2Nc4Mz8Pw1Rt5Ys3Uo6Ia0Eh2Gd4Jf8K"),
    ],
    "atlassian_api_token": [(f"jira-cli: GET /rest/api/3/myself with {_ATL} -> 401", _ATL)],
    "postman_api_key": [
        ("X-Api-Key: PMAK-64f1c2d3e4b5a69788d9e0f1-2a3b4c5d6e7f8091a2b3c4d5e6f7081920", "PMAK-64f1c2d3e4b5a69788d9e0f1-2a3b4c5d6e7f8091a2b3c4d5e6f7081920"),
    ],
    "databricks_token": [
        ("Authorization: Bearer dapi54770f58904dba41ecccc3fc1626e53a-2", "dapi54770f58904dba41ecccc3fc1626e53a-2"),
    ],
    "twilio_api_key": [
        ("twilio.rest: request with api key SK2b7d1c9e8a4b3f6d0c2e1a9b8f7e6d5c failed: 401", "SK2b7d1c9e8a4b3f6d0c2e1a9b8f7e6d5c"),
        ('{"provider":"Twilio","apiKeySid":"SK0123456789abcdef0123456789abcdef"}', "SK0123456789abcdef0123456789abcdef"),
    ],
    "advertising_id": [
        ('{"idfa":"6D92078A-8246-4BA4-AE5B-76104861E7DC"}', "6D92078A-8246-4BA4-AE5B-76104861E7DC"),
        ("gaid=38400000-8cf0-11bd-b23e-10b96e40000d campaign=spring", "38400000-8cf0-11bd-b23e-10b96e40000d"),
        ("GET /track?adid=9f1c2d43-55aa-4a1b-8c2d-0123456789ab HTTP/1.1", "9f1c2d43-55aa-4a1b-8c2d-0123456789ab"),
        ("advertising_id: cdda802e-fb9c-47ad-9866-0794d394c912", "cdda802e-fb9c-47ad-9866-0794d394c912"),
    ],
    "device_id": [
        ("device_id=3f2a9c4e-1b7d-4e8a-9f0c-2d6b8e1a7c5f user=8812", "3f2a9c4e-1b7d-4e8a-9f0c-2d6b8e1a7c5f"),
        ('{"deviceId":"a1b2c3d4e5f60718"}', "a1b2c3d4e5f60718"),
        ("AndroidId: 9774d56d682e549c resolved", "9774d56d682e549c"),
    ],
    "push_token": [
        ("device_token=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 status=200", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
        ("fcm: registration_id=eXaMpLe1234567890abcd:APA91bGhJkLmNoPqRsTuVwXyZ0123456789abcdefGHIJKLMN", "eXaMpLe1234567890abcd:APA91bGhJkLmNoPqRsTuVwXyZ0123456789abcdefGHIJKLMN"),
    ],
    "mac_address": [
        ("hostapd: wlan0: associated client_mac=3c:22:fb:7a:19:c4 rssi=-61", "3c:22:fb:7a:19:c4"),
        ("wlan0: STA 3c:22:fb:7a:19:c4 IEEE 802.11: associated", "3c:22:fb:7a:19:c4"),
        ("DHCPACK on 10.0.4.17 to mac_address 00-1A-2B-3C-4D-5E via eth0", "00-1A-2B-3C-4D-5E"),
        ("DHCPREQUEST chaddr=dc:a6:32:01:02:03", "dc:a6:32:01:02:03"),
    ],
    "imei": [
        ('{"imei":"490154203237518"}', "490154203237518"),
        ("mdm: check-in IMEI: 356938035643809 model=SM-G991B", "356938035643809"),
    ],
    "kubeconfig_client_data": [
        ("    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlFb3dJQkFB", "LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlFb3dJQkFB"),
        ('"client-certificate-data": "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUM4akNDQWRxZ0F3"', "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUM4akNDQWRxZ0F3"),
    ],
    "cookie_jar_session": [
        ("#HttpOnly_.example.com\tTRUE\t/\tTRUE\t1767225600\tsessionid\tq8w7e6r5t4y3u2i1o0p9", "q8w7e6r5t4y3u2i1o0p9"),
        ("app.example.com\tFALSE\t/api\tTRUE\t1799999999\t_app_session\t7b1e2c3d4f5a6b7c8d9e0f1a2b3c4d5e", "7b1e2c3d4f5a6b7c8d9e0f1a2b3c4d5e"),
    ],
}  # fmt: skip

LOOKALIKES = [
    "taskdckr_pat_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa is a build label",
    "vault: token hvs.example-token-here is a placeholder",
    "the hvs.io mirror responded in 34 ms",
    "DigitalOcean droplet dop_v1_nodes resized",
    "monkey-3ax6xnjp29jd6fds4gc373sgvjxteol0 is a hostname",
    "newrelic: NRAK-REDACTED in config",
    "grafana: dashboard glc_overview loaded",
    "payment ref SK2b7d1c9e8a4b3f6d0c2e1a9b8f7e6d5c settled",
    "twilio: account AC0123456789abcdef0123456789abcdef sent 4 SMS",
    "idfa=00000000-0000-0000-0000-000000000000 (limit ad tracking)",
    "request_id=3f2a9c4e-1b7d-4e8a-9f0c-2d6b8e1a7c5f status=200",
    "device_id=<redacted> user=8812",
    "kernel: eth0: link up, broadcast ff:ff:ff:ff:ff:ff",
    "MAC 00:1a:2b:3c:4d:5e and 02:42:ac:11:00:02 seen",
    '{"ap":"lobby-2","bssid":"a4:5e:60:c1:22:9b"}',
    "imei=490154203237519 rejected: checksum",
    "order 490154203237518 shipped",
    "push_token=null disabled=true",
    "    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUMvakNDQWVhZ0F3",
    "    client-key-data: <redacted>",
    ".example.com\tTRUE\t/\tFALSE\t1767225600\tlang\ten",
    "app.example.com\tFALSE\t/\tTRUE\t0\tremember_token\tnull",
    "nif=B12345678 (company CIF)",
]


test_rule_redacts, test_lookalikes_stay = table_tests(flatten(CASES), LOOKALIKES)


def test_every_new_rule_has_cases(rules_by_name: dict[str, Rule]) -> None:
    assert set(rules_by_name) >= NEW_RULES
    assert set(CASES) == NEW_RULES


@pytest.mark.parametrize(
    ("line", "value"),
    [
        ("sepa: debtor iban NL91ABNA0417164300 mandate signed", "NL91ABNA0417164300"),
        ("payroll: NI number: AB123456C", "AB123456C"),
        ('{"ni_no":"AB 12 34 56 C"}', "AB 12 34 56 C"),
        ("alta cliente nif=12345678Z", "12345678Z"),
    ],
)
def test_identifier_keywords_and_compact_ibans(full_pack: Sanitizer, line: str, value: str) -> None:
    assert value not in full_pack.sanitize_text(line)[0]


def test_one_mac_keeps_one_placeholder_however_written(full_pack: Sanitizer) -> None:
    sanitizer = Sanitizer(full_pack.rules)
    colons, _ = sanitizer.sanitize_text("client_mac=3c:22:fb:7a:19:c4")
    dashes, _ = sanitizer.sanitize_text("mac_address 3C-22-FB-7A-19-C4")
    assert colons == "client_mac=<MAC_ADDRESS_1>" and dashes == "mac_address <MAC_ADDRESS_1>"


@pytest.mark.parametrize("family", NEW_FAMILIES)
def test_corpus_family_recall_and_precision(full_pack: Sanitizer, family: str) -> None:
    sanitizer = Sanitizer(full_pack.rules)
    assert_family_found_in_full(sanitizer, family, min_positives=4, min_negatives=4)


_PLACEHOLDER = re.compile(r"<[A-Z][A-Z0-9_]*_[0-9]+>")


def test_new_rules_change_nothing_the_previous_rules_left_alone() -> None:
    """On every line of the corpus outside these families, the new rules find nothing on the
    look-alikes, and the whole pack's output is the previous pack's output: byte for byte on
    look-alikes, the same values redacted elsewhere (a vendor token first caught by its name,
    ``token=hvs....``, now gets its vendor's placeholder)."""
    new_only, previous, current = split_pack(NEW_RULES)
    for entry in corpus_entries():
        if entry.get("family") in NEW_FAMILIES:
            continue
        line = str(entry["line"])
        now, before = current.sanitize_text(line)[0], previous.sanitize_text(line)[0]
        if not entry["secrets"]:
            assert new_only.sanitize_text(line)[0] == line, line
            assert now == before, line
        assert _PLACEHOLDER.sub("<>", now) == _PLACEHOLDER.sub("<>", before), line
