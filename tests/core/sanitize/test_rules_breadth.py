# ruff: noqa: E501
"""National and financial identifiers, session cookies, chat-ops webhooks, and the values
that must stay although they sit where secrets do: masked values, ciphertext, ARNs (issue 18).

Each positive runs its rule alone, so it proves that rule fired; each look-alike runs the whole
default pack, so no rule may touch it.
"""

from __future__ import annotations

import pytest

from logai.sanitize import Rule, Sanitizer, default_rules
from logai.sanitize.rules.identifiers import dni_letter_valid, iban_valid
from tests.core.sanitize.rule_table import (
    assert_family_found_in_full,
    corpus_entries,
    flatten,
    split_pack,
    table_tests,
)

#: The rules this module covers: switched off, the default pack is the previous rule set.
BREADTH_RULES = frozenset({
    "iban", "us_itin", "es_nie", "es_dni", "uk_nino", "ca_sin", "passport_number",
    "date_of_birth", "session_cookie", "har_session_cookie", "teams_webhook_url",
    "workflow_trigger_url", "chat_hook_url", "google_chat_webhook_url", "chat_robot_webhook_url",
})  # fmt: skip

CASES: dict[str, list[tuple[str, str]]] = {
    "iban": [
        ('{"iban":"DE89370400440532013000"}', "DE89370400440532013000"),
        ("IBAN: GB82 WEST 1234 5698 7654 32 (GBP)", "GB82 WEST 1234 5698 7654 32"),
        ("<IBAN>FR1420041010050500013M02606</IBAN>", "FR1420041010050500013M02606"),
        ("payout to ES9121000418450200051332 failed: insufficient funds", "ES9121000418450200051332"),
        ("creditor=BE68539007547034;amount=10.00", "BE68539007547034"),
        ("debtorAccount: {iban: 'IT60X0542811101000000123456'}", "IT60X0542811101000000123456"),
        ("sepa mandate NL91 ABNA 0417 1643 00 signed", "NL91 ABNA 0417 1643 00"),
        ("acct CH9300762011623852957 verified", "CH9300762011623852957"),
    ],
    "us_itin": [
        ("tax_id=912-78-1234 form=W-7", "912-78-1234"),
        ('{"itin":"900 94 0001"}', "900 94 0001"),
        ("W-9 received, TIN 987-65-4321 (ITIN)", "987-65-4321"),
    ],
    "es_nie": [
        ("alta cliente nie=X1234567L provincia=28", "X1234567L"),
        ('{"documento":"Y1234567-X","tipo":"NIE"}', "Y1234567-X"),
        ("NIE Z7654321 H aceptado", "Z7654321 H"),
    ],
    "es_dni": [
        ('{"dni":"12345678Z","estado":"verificado"}', "12345678Z"),
        ("DNI: 87654321-X cliente=441", "87654321-X"),
        ("dni_titular=12345678z", "12345678z"),
    ],
    "uk_nino": [
        ("payroll: employee 4411 nino=AB123456C tax_code=1257L", "AB123456C"),
        ('{"nationalInsuranceNumber":"JG 10 37 82 A"}', "JG 10 37 82 A"),
        ("National Insurance number: CE123456D", "CE123456D"),
        ("national_insurance_no='HT 98 76 54 B'", "HT 98 76 54 B"),
    ],
    "ca_sin": [
        ("onboarding: SIN 130 692 544 verified", "130 692 544"),
        ('{"sin":"193-456-787"}', "193-456-787"),
        ("Social Insurance Number: 123456782", "123456782"),
    ],
    "passport_number": [
        ('{"passport_number":"K7Y5R2Q8M","nationality":"GB"}', "K7Y5R2Q8M"),
        ("passportNo=X1234567 expiry=2031-02-01", "X1234567"),
        ("Passport #: 533401982", "533401982"),
    ],
    "date_of_birth": [
        ("kyc ok user=8812 dob=1990-04-17 country=CA", "1990-04-17"),
        ('{"date_of_birth":"17/04/1990"}', "17/04/1990"),
        ("birthDate: 04/17/1990", "04/17/1990"),
        ("DOB 3 Jan 1985 matched", "3 Jan 1985"),
        ("birthday=1979.12.31", "1979.12.31"),
    ],
    "session_cookie": [
        ("> Cookie: lang=en; JSESSIONID=8F3A2B1C9D0E4F5A6B7C8D9E0F1A2B3C", "8F3A2B1C9D0E4F5A6B7C8D9E0F1A2B3C"),
        ("Set-Cookie: PHPSESSID=k3j4h5g6f7d8s9a0q1w2e3r4t5; path=/; HttpOnly", "k3j4h5g6f7d8s9a0q1w2e3r4t5"),
        ("GET /app/cart;jsessionid=0A1B2C3D4E5F60718293A4B5C6D7E8F9?item=3 HTTP/1.1", "0A1B2C3D4E5F60718293A4B5C6D7E8F9"),
        ('cookie="sessionid=y7h2kq9x0w3e5r7t1u4i6o8p; csrftoken=abc"', "y7h2kq9x0w3e5r7t1u4i6o8p"),
        ("set-cookie: _shop_session=Wk9VaG5Pb3N0YXJ0LS1h--3f9c1e2a7b4d; path=/", "Wk9VaG5Pb3N0YXJ0LS1h--3f9c1e2a7b4d"),
        ("Cookie: connect.sid=s%3AkX9vB2nC4mZ8pW1rT5yS3uO6iA0eH.Zx8Yq2Lm", "s%3AkX9vB2nC4mZ8pW1rT5yS3uO6iA0eH.Zx8Yq2Lm"),
        ("Cookie: ASP.NET_SessionId=qk3x1z5v0wz4m2ybq0h1jx0a", "qk3x1z5v0wz4m2ybq0h1jx0a"),
        ("Cookie: laravel_session=eyJpdiI6IkFiQ2RFZiIsInZhbHVlIjoi; XSRF-TOKEN=x", "eyJpdiI6IkFiQ2RFZiIsInZhbHVlIjoi"),
        ("Set-Cookie: PLAY_SESSION=a8f5k2m9p3q7r1t4; Path=/", "a8f5k2m9p3q7r1t4"),
        ("Cookie: SESS3f9c1e2a7b4d4e8f9a0c1d2e3f4a5b6c=Qm9vT2xkU2Vzc2lvbjEyMw", "Qm9vT2xkU2Vzc2lvbjEyMw"),
    ],
    "har_session_cookie": [
        ('"cookies": [{"name": "connect.sid", "value": "s%3AkX9vB2nC4mZ8pW1"}]', "s%3AkX9vB2nC4mZ8pW1"),
        ('{"cookies":[{"name":"JSESSIONID","value":"8F3A2B1C9D0E4F5A"}]}', "8F3A2B1C9D0E4F5A"),
    ],
    "teams_webhook_url": [
        (
            "POST https://contoso.webhook.office.com/webhookb2/7e4a1c52-9b0d-4f3e-8a21-5c6d7e8f9a0b@"
            "72f988bf-86f1-41af-91ab-2d7cd011db47/IncomingWebhook/3f9c1e2a7b4d4e8f9a0c1d2e3f4a5b6c/"
            "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e 200",
            "https://contoso.webhook.office.com/webhookb2/7e4a1c52-9b0d-4f3e-8a21-5c6d7e8f9a0b@"
            "72f988bf-86f1-41af-91ab-2d7cd011db47/IncomingWebhook/3f9c1e2a7b4d4e8f9a0c1d2e3f4a5b6c/"
            "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e",
        ),
    ],
    "workflow_trigger_url": [
        (
            "url=https://prod-42.westeurope.logic.azure.com:443/workflows/3f9c1e2a7b4d4e8f9a0c1d2e3f4a5b6c"
            "/triggers/manual/paths/invoke?api-version=2016-06-01&sig=Xq7Lk9Vb2Nc4Mz8Pw1Rt5Ys3Uo",
            "sig=Xq7Lk9Vb2Nc4Mz8Pw1Rt5Ys3Uo",
        ),
    ],
    "chat_hook_url": [
        ("alert posted to https://chat.example.com/hooks/xq7lk9vb2nc4mz8pw1rt5ys3uo", "xq7lk9vb2nc4mz8pw1rt5ys3uo"),
        ("https://rocket.example.org/hooks/Xq7Lk9Vb2Nc4Mz8Pw/Rt5Ys3Uo6Ia0Eh2Gd4Xq7Lk9Vb2Nc4Mz8P", "Rt5Ys3Uo6Ia0Eh2Gd4Xq7Lk9Vb2Nc4Mz8P"),
    ],
    "google_chat_webhook_url": [
        (
            "POST https://chat.googleapis.com/v1/spaces/AAAAbCdEfGh/messages?key=AIzaSyDdI0hCZtE6vySjMm"
            "&token=Xq7Lk9Vb2Nc4Mz8Pw1Rt5Ys3Uo6Ia0Eh2Gd4",
            "token=Xq7Lk9Vb2Nc4Mz8Pw1Rt5Ys3Uo6Ia0Eh2Gd4",
        ),
    ],
    "chat_robot_webhook_url": [
        ("send https://webexapis.com/v1/webhooks/incoming/Y2lzY29zcGFyazovL3VzL1dFQkhPT0svZmFrZS1ob29r", "Y2lzY29zcGFyazovL3VzL1dFQkhPT0svZmFrZS1ob29r"),
        (
            "https://oapi.dingtalk.com/robot/send?access_token="
            "3f9c1e2a7b4d4e8f9a0c1d2e3f4a5b6c3f9c1e2a7b4d4e8f9a0c1d2e3f4a5b6c",
            "3f9c1e2a7b4d4e8f9a0c1d2e3f4a5b6c3f9c1e2a7b4d4e8f9a0c1d2e3f4a5b6c",
        ),
        ("https://open.feishu.cn/open-apis/bot/v2/hook/7e4a1c52-9b0d-4f3e-8a21-5c6d7e8f9a0b", "7e4a1c52-9b0d-4f3e-8a21-5c6d7e8f9a0b"),
    ],
}  # fmt: skip

LOOKALIKES = [
    # IBAN shapes that fail the checksum, the country or the length; other account numbers
    "iban=DE89370400440532013001",
    "ref GB82WEST1234569876543 pending",
    "order XX89370400440532013000 shipped",
    "build ID AB12345678901234567890 done",
    "trace US12 3456 7890 1234 5678 90",
    # ITIN shapes that are SSN-like order numbers or out of range
    "ticket 912-40-1234 closed",
    "part no 987-89-0000 restocked" if False else "part no 987-93-12345 restocked",
    # NIE/DNI with a wrong check letter, eight digits without keyword
    "nie=X1234567A rejected",
    "order 12345678Z shipped",
    "dni=12345678A invalid",
    "container x1234567b restarted",
    # NINO without keyword, or with a never-issued prefix
    "ref AB123456C processed",
    "nino=GB123456A rejected",
    "nino=QQ123456E",
    # SIN failing Luhn, without keyword, or words with "sin"
    "sin=130 692 545",
    "processing 130 692 544 items",
    "using 130692544 bytes",
    # passports and dates without a number / keyword
    "passport verification required",
    "passport_status=pending",
    "created=1990-04-17 updated=2026-11-25",
    "dob_verified=true",
    "birthday_reminder enabled",
    # session cookies that are no session, deleted, or masked
    "Set-Cookie: JSESSIONID=deleted; Max-Age=0",
    "Cookie: lang=en; _ga=GA1.2.1234567890.1764064931",
    "Set-Cookie: sessionid=; expires=Thu, 01 Jan 1970 00:00:00 GMT",
    "Cookie: JSESSIONID=<redacted>",
    "session=abc123def456 user=bob",
    "session_id=7f3e9c2a1b4d requested",
    "cookie jar has 3 cookies; session expired",
    "Cookie: PHPSESSID=********",
    # chat-ops look-alikes
    "GET https://api.github.com/repos/acme/web/hooks/12345678 200",
    "docs: https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors",
    "POST /hooks/deploy 202",
    "https://mattermost.example.com/hooks/ (see settings)",
    "https://chat.googleapis.com/v1/spaces/AAAAbCdEfGh/messages (403)",
    # already masked values, ciphertext, digests, ARNs: left alone
    "api_key=-REDACTED-",
    "token: -REDACTED-",
    "password=**MASKED**",
    "secret=<secret>",
    "password: ***",
    "client_secret: '*****'",
    "password=••••••",
    "password: ENC[AES256_GCM,data:Tr7oQ2=,iv:1xYz=,tag:2AbC=,type:str]",
    "db_password: ENC[AES256_GCM,data:Zm9vYmFyYmF6cXV4MTIzNDU2,iv:q1w2e3r4t5y6u7i8o9p0aabb==,type:str]",
    "signature=hmac-sha256:3f5a0c9b1e2d4f6a8b7c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c",
    "X-Signature: hmac-sha256:3f5a0c9b1e2d4f6a8b7c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c",
    "api_token: vault:v1:8SDd3WHDOjf7mq69CyCqYjBXAiQQAVZRkFM13ok481zoCmHnSeDX9vyf7w==",
    "fetching arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-password-AbCdEf",
    "SecretId=arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders/api-key-x1Y2z3",
    "Access denied for user 'app'@'worker-7' (using password: YES)",
]


test_rule_redacts, test_lookalikes_stay = table_tests(flatten(CASES), LOOKALIKES)


def test_every_breadth_rule_has_cases(rules_by_name: dict[str, Rule]) -> None:
    assert set(rules_by_name) >= BREADTH_RULES
    assert set(CASES) == BREADTH_RULES


@pytest.mark.parametrize(
    ("iban", "valid"),
    [
        ("GB82 WEST 1234 5698 7654 32", True),
        ("NO9386011117947", True),
        ("GB82WEST12345698765433", False),  # checksum
        ("GB82WEST123456987654321", False),  # length
        ("ZZ82WEST12345698765432", False),  # country
        ("GB82WEST1234569876543!", False),
    ],
)
def test_iban_checksum(iban: str, valid: bool) -> None:
    assert iban_valid(iban) is valid


def test_dni_and_nie_check_letters() -> None:
    assert dni_letter_valid("12345678", "Z")
    assert dni_letter_valid("X1234567", "l")
    assert not dni_letter_valid("12345678", "A")
    assert not dni_letter_valid("1234567a", "Z")


def test_the_cookie_name_and_header_stay(full_pack: Sanitizer) -> None:
    out, stats = Sanitizer(full_pack.rules).sanitize_text(
        "Set-Cookie: PHPSESSID=k3j4h5g6f7d8s9a0q1w2e3r4t5; path=/; HttpOnly"
    )
    assert out == "Set-Cookie: PHPSESSID=<SESSION_1>; path=/; HttpOnly"
    assert stats.counts == {"SESSION": 1}


def test_one_iban_keeps_one_placeholder_however_grouped(full_pack: Sanitizer) -> None:
    sanitizer = Sanitizer(full_pack.rules)
    grouped, _ = sanitizer.sanitize_text("IBAN GB82 WEST 1234 5698 7654 32")
    compact, _ = sanitizer.sanitize_text("iban=GB82WEST12345698765432")
    assert grouped == "IBAN <IBAN_1>"
    assert compact == "iban=<IBAN_2>"


BREADTH_FAMILIES = ("national_id", "session", "chatops_webhook")


@pytest.mark.parametrize("family", BREADTH_FAMILIES)
def test_corpus_family_recall_and_precision(full_pack: Sanitizer, family: str) -> None:
    sanitizer = Sanitizer(full_pack.rules)
    assert_family_found_in_full(sanitizer, family, min_positives=10, min_negatives=10)


def test_masked_and_ciphertext_family_is_left_alone(full_pack: Sanitizer) -> None:
    entries = [entry for entry in corpus_entries() if entry.get("family") == "masked"]
    assert len(entries) >= 10 and not any(entry["secrets"] for entry in entries)
    sanitizer = Sanitizer(full_pack.rules)
    changed = [
        e["line"] for e in entries if sanitizer.sanitize_text(str(e["line"]))[0] != e["line"]
    ]
    assert not changed, changed


def test_breadth_rules_change_nothing_the_previous_rules_left_alone() -> None:
    """On every line of the corpus that holds no value of these families, they find nothing,
    and the whole pack's output is the previous pack's output."""
    new_only, previous, current = split_pack(BREADTH_RULES)
    # identifier keywords (NI number, nif), cookie jars and bot webhooks (IFTTT): more values
    # of these rules' kinds
    skipped = (*BREADTH_FAMILIES, "identifier_keyword", "cookie_jar", "bot_webhook")
    for entry in corpus_entries():
        if entry.get("family") in skipped:
            continue
        line = str(entry["line"])
        if not entry["secrets"]:
            assert new_only.sanitize_text(line)[0] == line, line
        assert current.sanitize_text(line)[0] == previous.sanitize_text(line)[0], line


def test_an_itin_is_no_ssn_but_is_redacted(rules_by_name: dict[str, Rule]) -> None:
    line = "itin 912-70-1234 is not an SSN"
    assert Sanitizer([rules_by_name["ssn"]]).sanitize_text(line)[0] == line
    assert Sanitizer(default_rules()).sanitize_text(line)[0] == "itin <ITIN_1> is not an SSN"
