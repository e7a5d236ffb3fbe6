"""Default credential rules found by context: keys, passwords, tokens, PEM blocks."""

from __future__ import annotations

import pytest

from logai.sanitize import Rule, Sanitizer
from tests.core.sanitize.rule_table import assert_linear, assert_redacts, assert_untouched

CASES: dict[str, list[tuple[str, str]]] = {
    "aws_secret_access_key": [
        (
            "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ),
        (
            '{"SecretAccessKey":"9drTJvcXLB89EXAMPLELB8923FB892xMFI/gFqQ5"}',
            "9drTJvcXLB89EXAMPLELB8923FB892xMFI/gFqQ5",
        ),
        (
            "export AWS_SECRET_ACCESS_KEY=je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
            "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
        ),
        (
            "X-Aws-Secret-Key: Zx81Ko9PqR7sT3uV5wX1yZ2aB4cD6eF8gH0iJ2kL",
            "Zx81Ko9PqR7sT3uV5wX1yZ2aB4cD6eF8gH0iJ2kL",
        ),
        (
            "creds AKIAJ2QXZKEXAMPLE7QA:f0Lk2mNpQr8sTuVwXyZaBcDeFgHiJkLmNoPqRs/T",
            "f0Lk2mNpQr8sTuVwXyZaBcDeFgHiJkLmNoPqRs/T",
        ),
    ],
    "private_key": [
        (
            '{"private_key":"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\n'
            '-----END PRIVATE KEY-----\\n"}',
            "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC",
        ),
        (
            "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi\n"
            "-----END RSA PRIVATE KEY-----",
            "MIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi",
        ),
        (
            "truncated -----BEGIN ENCRYPTED PRIVATE KEY-----\\nMIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkq",
            "MIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkq",
        ),
        (
            "-----BEGIN PGP PRIVATE KEY BLOCK-----\\n\\nlQOYBGVexamplepgpkeymaterial01\\n=ab12\\n"
            "-----END PGP PRIVATE KEY BLOCK-----",
            "lQOYBGVexamplepgpkeymaterial01",
        ),
        (
            "-----BEGIN OPENSSH PRIVATE KEY-----\r\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU\r\n"
            "-----END OPENSSH PRIVATE KEY-----",
            "b3BlbnNzaC1rZXktdjEAAAAABG5vbmU",
        ),
    ],
    "authorization": [
        ("Authorization: Basic YWxhZGRpbjpvcGVuc2VzYW1l", "YWxhZGRpbjpvcGVuc2VzYW1l"),
        (
            '{"authorization": "Bearer a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6"}',
            "a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6",
        ),
        (
            'curl -H "Authorization: token 8f14e45fceea167a5a36dedd4bea2543aa9f4e1c" https://x',
            "8f14e45fceea167a5a36dedd4bea2543aa9f4e1c",
        ),
        ("Proxy-Authorization: Basic dXNlcjpwYXNzd29yZDEyMw==", "dXNlcjpwYXNzd29yZDEyMw=="),
        ("authorization=Bearer opaque-Token.2026~xyz", "opaque-Token.2026~xyz"),
    ],
    "url_password": [
        ("failed postgres://app:S3cr3t-pw@db.internal:5432/orders", "S3cr3t-pw"),
        ("redis://:hunter2redis@cache:6379/0", "hunter2redis"),
        ("amqp://guest:guest123@rabbit:5672/", "guest123"),
        ("https://user:pa55word@internal.example.com/admin", "pa55word"),
        ("mongodb+srv://reporting:R3p0rt1ng@cluster0.mongodb.net/admin", "R3p0rt1ng"),
    ],
    "password": [
        ('{"user": "svc", "password": "correct horse battery"}', "correct horse battery"),
        ("login user=admin password=Winter2026! from x", "Winter2026!"),
        ("Server=sql01;User Id=sa;Password=P@ssw0rd123;Encrypt=true", "P@ssw0rd123"),
        ("mysql -u root --password=rootpw123 crm", "rootpw123"),
        ("DB_PASS=Tr0ub4dor&3 loaded", "Tr0ub4dor&3"),
        ("{'DATABASE_PASSWORD': 'qwerty-9876'}", "qwerty-9876"),
        ("<Login><password>Secr3tSoap!</password></Login>", "Secr3tSoap!"),
        ('smtp.login(user="alerts", passwd="mail-pass-42")', "mail-pass-42"),
        ('{\\"username\\":\\"bob\\",\\"password\\":\\"b0bSecret!\\"}', "b0bSecret!"),
        ("ldap bind pwd=LdapAdm1n", "LdapAdm1n"),
        ("keystore_passphrase: 'long phrase 42'", "long phrase 42"),
        ("dbPassword => 's3cret!'", "s3cret!"),
        ("pass := hunter2", "hunter2"),
    ],
    "secret_assignment": [
        (
            "POST /v1/charge X-Api-Key: 9f8e7d6c5b4a39281706f5e4d3c2b1a0",
            "9f8e7d6c5b4a39281706f5e4d3c2b1a0",
        ),
        ('{"api_key":"c29tZS1yZWFsbHktc2VjcmV0LWtleQ"}', "c29tZS1yZWFsbHktc2VjcmV0LWtleQ"),
        ("GET /w?apikey=4f3c2b1a0e9d8c7b6a5f4e3d2c1b0a99 200", "4f3c2b1a0e9d8c7b6a5f4e3d2c1b0a99"),
        ("access_token=ya8Bx0p2Lq9rS7tU5vW3xY1zA&token_type=bearer", "ya8Bx0p2Lq9rS7tU5vW3xY1zA"),
        ('{"client_secret":"7Hq#2kLp!9zXw4Rt"}', "7Hq#2kLp!9zXw4Rt"),
        (
            "X-Auth-Token: 5e884898da28047151d0e56f8dc62927 rejected",
            "5e884898da28047151d0e56f8dc62927",
        ),
        (
            "AccountName=a;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6==;Endpoint",
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6==",
        ),
        (
            '"SessionToken": "FwoGZXIvYXdzEBYaDHqa0AP1dyEXAMPLE0123"',
            "FwoGZXIvYXdzEBYaDHqa0AP1dyEXAMPLE0123",
        ),
        ('{"secret": "s3cr3t-v4lue-2026"}', "s3cr3t-v4lue-2026"),
        ('{"auth":"ZGVwbG95OmRlcGxveS1wYXNzd29yZA=="}', "ZGVwbG95OmRlcGxveS1wYXNzd29yZA=="),
        (
            "?sv=2022&sig=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA%3D%3D",
            "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA%3D%3D",
        ),
        ("signature=3b4c5d6e7f8091a2b3c4d5e6f708192a", "3b4c5d6e7f8091a2b3c4d5e6f708192a"),
    ],
}

LOOKALIKES = [
    "password reset requested for user_id=42",
    "password: must be at least 12 characters",
    '{"password": "", "remember": true}',
    '{"password":null}',
    "password=******** accepted",
    "DB_PASSWORD=${DB_PASSWORD} not expanded",
    "password: [REDACTED]",
    "password_changed=true password_length=14",
    "passwords must match",
    "bypass=true cache=off",
    "OLDPWD=/home/app PWD=/srv/app",
    "token expired for session",
    '{"token_type":"Bearer","expires_in":3600}',
    "prompt_tokens=1532 completion_tokens=211 max_tokens=4096",
    "pagination next_token=eyJvZmZzZXQiOiAxMDB9 page_size=100",
    "nextToken: f/38379469438945838345838453/s",
    "cache key=orders:user:42 hit=true",
    '{"Key":"logs/2026/11/25/app.log"}',
    "primary_key=id sort_key=created_at partition_key=tenant_id",
    "idempotency_key=3f9c1e2a-7b4d-4e8f-9a0c-1d2e3f4a5b6c",
    'WWW-Authenticate: Bearer realm="api", error="invalid_token"',
    'WWW-Authenticate: Basic realm="Restricted"',
    "401: Basic authentication required",
    "Authorization: AWS4-HMAC-SHA256 request rejected",
    "secret rotation scheduled in 7 days",
    "api_key: <your-api-key>",
    "api_key={{ API_KEY }} template",
    "token: %s",
    "https://example.com/search?q=user:pass@ignore",
    "http://localhost:8080/ and https://api.example.com:443/v1",
    "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkq\n-----END CERTIFICATE-----",
    "-----BEGIN PUBLIC KEY-----\\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\\n-----END PUBLIC KEY-----",
    "PRIVATE KEY file permissions too open (0644)",
    "redis://cache.internal:6379/0 connected",
    "auth=ok user=bob",
]


@pytest.mark.parametrize(
    ("name", "line", "value"),
    [(name, line, value) for name, cases in CASES.items() for line, value in cases],
)
def test_secret_rule_redacts(
    rules_by_name: dict[str, Rule], name: str, line: str, value: str
) -> None:
    assert_redacts(rules_by_name[name], line, value)


@pytest.mark.parametrize("line", LOOKALIKES)
def test_secret_lookalikes_stay(full_pack: Sanitizer, line: str) -> None:
    assert_untouched(full_pack, line)


def test_pem_block_becomes_one_placeholder_keeping_its_lines(full_pack: Sanitizer) -> None:
    block = (
        "-----BEGIN EC PRIVATE KEY-----\r\nMHcCAQEEIBexampleECkeymaterialAAAA\r\n"
        "AwEHoUQDQgAEexampleexample==\r\n-----END EC PRIVATE KEY-----"
    )
    out, stats = Sanitizer(full_pack.rules).sanitize_text(f"key:\n{block}\nnext line")
    assert out == "key:\n<PRIVATE_KEY_1>\r\n\r\n\r\n\nnext line"
    assert stats.counts == {"PRIVATE_KEY": 1}


def test_url_password_keeps_user_and_host(full_pack: Sanitizer) -> None:
    out, _ = Sanitizer(full_pack.rules).sanitize_text("postgres://app:S3cr3t-pw@db.internal:5432/x")
    assert out == "postgres://app:<PASSWORD_1>@db.internal:5432/x"


@pytest.mark.parametrize(
    ("name", "unit"),
    [("secret_assignment", "=-key"), ("secret_assignment", "key=-"), ("password", "=-pass")],
)
def test_a_long_run_of_assignments_costs_in_proportion_to_its_length(
    rules_by_name: dict[str, Rule], name: str, unit: str
) -> None:
    """A bare value runs to the next space or separator: a run of ``key=-key=-...`` was read
    to its end from every ``key=`` in it and turned down each time (quadratic)."""
    assert_linear(Sanitizer([rules_by_name[name]]), "x_", unit)


def test_a_bare_value_too_long_to_judge_is_redacted_whole(full_pack: Sanitizer) -> None:
    blob = "A1b2" * 1100  # over 4,096 characters: not looked at, redacted (fail closed)
    out, _ = Sanitizer(full_pack.rules).sanitize_text(f"partition_key={blob} next")
    assert out == "partition_key=<SECRET_1> next"
