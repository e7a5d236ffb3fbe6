"""Leaks an outside tester found in real-world formats, one family per table.

Each positive runs its rule alone, so it proves that rule fired; each look-alike runs the whole
default pack, so no rule may touch it. The corpus families must be found in full.
"""

from __future__ import annotations

import pytest

from logai.sanitize import Sanitizer
from tests.core.sanitize.rule_table import (
    assert_family_found_in_full,
    table_tests,
)

RSA_KEY_B64 = (
    "LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlFb3dJQkFBS0NBUUVBdTFTVTFM"
    "ZlZMUEhDb3pNeEgyTW80bGdPRWVQek5tMHRSZ2VMZXpWNmZm"
)
SSH_KEY_B64 = (
    "LS0tLS1CRUdJTiBPUEVOU1NIIFBSSVZBVEUgS0VZLS0tLS0KYjNCbGJuTnphQzFyWlhrdGRq"
    "RUFBQUFBQkc1dmJtVUFBQUFFYm05dVpRQUFBQUFBQUFBQkFBQUFNd0FBQUF0emMyZ3RaVw=="
)
DOCKER_B64 = (
    "eyJhdXRocyI6IHsicmVnaXN0cnkuZXhhbXBsZS5jb20iOiB7ImF1dGgiOiAiWTJrNldHczVM"
    "WEJNTW5FdGNtVm5hWE4wY25rPSJ9fX0="
)
DOCKER_INDENTED_B64 = (
    "ewogICJhdXRocyI6IHsKICAgICJnaGNyLmlvIjogewogICAgICAiYXV0aCI6ICJZbTkwT21k"
    "b2NGOTQiCiAgICB9CiAgfQp9"
)
CERT_B64 = (
    "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSURkekNDQWwrZ0F3SUJBZ0lFQWdBQXVU"
    "QU5CZ2txaGtpRzl3MEJBUVVGQURC"
)

FAMILIES = (
    "bare_auth_scheme",
    "base64_secret_file",
    "terraform_plan",
    "oauth_flow",
    "bot_webhook",
    "windows_command",
)

CASES: list[tuple[str, str, str]] = [
    # HAProxy captured request headers: the scheme without its header name.
    (
        "authorization",
        "haproxy[1]: 203.0.113.9:5555 fe be/s1 0/0/1/2/3 200 123 - - ---- 1/1/0/0/0 0/0 "
        '{Basic YWRtaW46c2VjcmV0cGFzcw==|curl/8} "GET / HTTP/1.1"',
        "YWRtaW46c2VjcmV0cGFzcw==",
    ),
    ("authorization", "auth: Basic YWRtaW46c2VjcmV0cGFzcw==", "YWRtaW46c2VjcmV0cGFzcw=="),
    (
        "authorization",
        '{"hdr":"Bearer eyJhbGciOiJIUzI1NiJ9.abc.def-ghij"}',
        "eyJhbGciOiJIUzI1NiJ9.abc.def-ghij",
    ),
    (
        "authorization",
        "curl -H 'X-Auth: Bearer 9f8e7d6c5b4a3928zzAA' https://api",
        "9f8e7d6c5b4a3928zzAA",
    ),
    ("authorization", "upstream headers=[Basic dXNlcjpwYXNzd29yZA==]", "dXNlcjpwYXNzd29yZA=="),
    # Azure Storage signs requests with the account key: the signature after the account.
    (
        "authorization",
        "Authorization: SharedKey myaccount:ctzMq410TV3wS7upTBcunJTDLEJwMAZuFPfr0mrrA08=",
        "ctzMq410TV3wS7upTBcunJTDLEJwMAZuFPfr0mrrA08=",
    ),
    (
        "authorization",
        '"Authorization": "SharedKeyLite acct-2:Zm9vYmFyYmF6cXV4Zm9vYmFy="',
        "Zm9vYmFyYmF6cXV4Zm9vYmFy=",
    ),
    # Kubernetes Secret data, Helm values, env vars: whole files base64-encoded.
    (
        "base64_private_key",
        f"  tls.key: {RSA_KEY_B64}",
        RSA_KEY_B64,
    ),
    (
        "base64_private_key",
        f'{{"data":{{"id_ed25519":"{SSH_KEY_B64}"}},"kind":"Secret"}}',
        SSH_KEY_B64,
    ),
    (
        "base64_private_key",
        f"SSH_KEY_B64={RSA_KEY_B64}",
        RSA_KEY_B64,
    ),
    (
        "docker_config_base64",
        f"  .dockerconfigjson: {DOCKER_B64}",
        DOCKER_B64,
    ),
    (
        "docker_config_base64",
        f'{{"data":{{".dockerconfigjson":"{DOCKER_INDENTED_B64}"}}}}',
        DOCKER_INDENTED_B64,
    ),
    # Terraform plan/apply: aligned attributes, and the new value of a change.
    (
        "secret_assignment",
        '      ~ api_token       = "tok_9f8e7d6c5b4a" -> null',
        "tok_9f8e7d6c5b4a",
    ),
    ("secret_assignment", "access_token\t= q8Z-2vN_7tY0pL4w", "q8Z-2vN_7tY0pL4w"),
    (
        "plan_secret_change",
        '      ~ client_secret = "old-Secret-1" -> "new-Secret-2"',
        "new-Secret-2",
    ),
    (
        "plan_secret_change",
        '      ~ "api_key"  = "AKx81fj29dkq0z" -> "BKx81fj29dkq0z"',
        "BKx81fj29dkq0z",
    ),
    (
        "plan_password_change",
        '      ~ master_password = "0ldPassw0rd!" -> "N3wPassw0rd!"',
        "N3wPassw0rd!",
    ),
    ("plan_password_change", '      ~ db_password = (sensitive value) -> "S3cret-77"', "S3cret-77"),
    # OAuth 2.0 / OIDC: authorization codes and PKCE verifiers in redirects and token requests.
    (
        "oauth_code",
        "GET /oauth2/callback?state=af0ifjsldkj&code=0.AXoA1b2c3d4e5f6g7h8i9j0kLmNoPq HTTP/1.1",
        "0.AXoA1b2c3d4e5f6g7h8i9j0kLmNoPq",
    ),
    (
        "oauth_code",
        '10.0.0.1 - - "GET /cb?code=4/0AX4XfWjabcdefghijkl&scope=email HTTP/1.1" 302',
        "4/0AX4XfWjabcdefghijkl",
    ),
    (
        "oauth_code",
        "POST /token client_id=abc&code=SplxlOBeZQQYbYS6WxSbIA&grant_type=authorization_code",
        "SplxlOBeZQQYbYS6WxSbIA",
    ),
    (
        "oauth_code",
        '{"grant_type":"authorization_code","code":"Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv"}',
        "Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv",
    ),
    (
        "oauth_code",
        "body: code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk&grant_type=x",
        "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
    ),
    (
        "oauth_code",
        "device_code=GmRhmhcxhwAzkoEqiMEg_DnyEysNkuNhszIySk9eS&client_id=cli",
        "GmRhmhcxhwAzkoEqiMEg_DnyEysNkuNhszIySk9eS",
    ),
    # Bot tokens and trigger keys that ride in URLs.
    (
        "telegram_bot_token",
        "POST https://api.telegram.org/bot7123456789:AAF9xK2mQ8vL3nR7tY1wZ5cB0dH4jE6gU2s/sendMessage",
        "7123456789:AAF9xK2mQ8vL3nR7tY1wZ5cB0dH4jE6gU2s",
    ),
    (
        "telegram_bot_token",
        "TELEGRAM_TOKEN=110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",
        "110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",
    ),
    (
        "chat_robot_webhook_url",
        "curl -X POST https://maker.ifttt.com/trigger/deploy_done/with/key/dAbC9fGh2JkLmN4pQrS6tU",
        "dAbC9fGh2JkLmN4pQrS6tU",
    ),
    (
        "chat_robot_webhook_url",
        "GET https://maker.ifttt.com/trigger/alarm/json/with/key/bXk2-Lm9Qp4RtY7vW1zA 200",
        "bXk2-Lm9Qp4RtY7vW1zA",
    ),
    # Windows process-creation events (4688, Sysmon 1) and PowerShell logs show commands whole.
    (
        "windows_cli_password",
        r"Process Command Line: net use \\fs01\share /user:CORP\jdoe P@ssw0rd1 /persistent:no",
        "P@ssw0rd1",
    ),
    (
        "windows_cli_password",
        'CommandLine: "C:\\Windows\\system32\\net1.exe" user svc_backup Backup#2026 /add',
        "Backup#2026",
    ),
    ("windows_cli_password", 'net user admin "Two Words 9" /domain', "Two Words 9"),
    (
        "windows_cli_password",
        "cmdkey /generic:TERMSRV/srv01 /user:CORP\\jdoe /pass:Rdp-Pass-77",
        "Rdp-Pass-77",
    ),
    (
        "powershell_plaintext_password",
        '$pw = ConvertTo-SecureString "Pl@inText99" -AsPlainText -Force',
        "Pl@inText99",
    ),
    (
        "powershell_plaintext_password",
        "ConvertTo-SecureString -String 'Svc-Pass 1' -AsPlainText -Force",
        "Svc-Pass 1",
    ),
    # Env dumps and config: key kinds and encoding suffixes the generic names missed.
    (
        "secret_assignment",
        "HMAC_KEY=0123456789abcdef0123456789abcdef",
        "0123456789abcdef0123456789abcdef",
    ),
    ("secret_assignment", '"jwt_key": "q8Z2vN7tY0pL4wK3"', "q8Z2vN7tY0pL4wK3"),
    (
        "secret_assignment",
        "FERNET_KEY=ZmDfcTF7_60GrrY167zsiPd67pEvs0aGOv2oasOM1Pg=",
        "ZmDfcTF7_60GrrY167zsiPd67pEvs0aGOv2oasOM1Pg=",
    ),
    (
        "secret_assignment",
        "session_key: 8f14e45fceea167a5a36dedd4bea2543",
        "8f14e45fceea167a5a36dedd4bea2543",
    ),
    (
        "secret_assignment",
        "VAULT_UNSEAL_KEY=uQ7sX2k9Lm4Rt8Vb3Nc6Zp1Wy5Ae0Hd",
        "uQ7sX2k9Lm4Rt8Vb3Nc6Zp1Wy5Ae0Hd",
    ),
    (
        "suffixed_secret",
        "SECRET_KEY_BASE=9f8e7d6c5b4a39281706f5e4d3c2b1a0",
        "9f8e7d6c5b4a39281706f5e4d3c2b1a0",
    ),
    (
        "suffixed_secret",
        "CLIENT_SECRET_B64=cTh6LTJ2Tl83dFkwcEw0dw==",
        "cTh6LTJ2Tl83dFkwcEw0dw==",
    ),
    ("suffixed_secret", '"api_key_base64": "QUt4ODFmajI5ZGtxMHo="', "QUt4ODFmajI5ZGtxMHo="),
    ("suffixed_secret", "auth_token_hex = 9f8e7d6c5b4a3928", "9f8e7d6c5b4a3928"),
    # Card verification codes next to card data (checkout payloads, GraphQL variables).
    (
        "card_security_code",
        '{"card":{"number":"4111111111111111","cvv":"123","exp_month":12}}',
        "123",
    ),
    ("card_security_code", "payment attempt cvc=4321 last4=1111", "4321"),
    ("card_security_code", '{"securityCode": "737", "holder": "x"}', "737"),
    ("card_security_code", "card_cvv2=123&amount=10", "123"),
    ("card_security_code", '{"cardCvv":"0421"}', "0421"),
    ("card_security_code", "<CardSecurityCode>918</CardSecurityCode>", "918"),
    # Short options that are a password only for the program that takes them.
    (
        "program_password_option",
        "+ curl -fsS -u admin:S3cretPw https://api.example.com/",
        "S3cretPw",
    ),
    ("program_password_option", "curl --user 'deploy:Tok3n Pw' -X POST https://ci/", "Tok3n Pw"),
    ("program_password_option", "sshpass -p 'Sshp4ss!' ssh deploy@host", "Sshp4ss!"),
    ("program_password_option", "redis-cli -h cache -a R3disPass! ping", "R3disPass!"),
    (
        "program_password_option",
        'ldapsearch -x -D "cn=admin,dc=ex" -w Ld4pPass -H ldap://l',
        "Ld4pPass",
    ),
    ("program_password_option", "zip -r -P ZipPass99 out.zip dir", "ZipPass99"),
    ("program_password_option", "7z a -mhe=on -pArch1vePass backup.7z dir/", "Arch1vePass"),
    ("program_password_option", r"C:\tools\7z.exe x a.7z -p'two words' -o.", "two words"),
    (
        "program_password_option",
        "az login --service-principal -u app -p Q8f8Q~abcdEFGH12 --tenant t",
        "Q8f8Q~abcdEFGH12",
    ),
    (
        "program_password_option",
        "openssl enc -aes-256-cbc -k Op3nSSLpass -in a -out b",
        "Op3nSSLpass",
    ),
    # aws configure set NAME VALUE, and keys listed with a space or tab before their value.
    (
        "aws_secret_access_key",
        "+ aws configure set aws_secret_access_key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    ),
    (
        "aws_secret_access_key",
        "aws_secret_access_key\twJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    ),
    (
        "aws_configure_secret",
        "aws configure set aws_session_token IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3Q"
        " --profile ci",
        "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3Q",
    ),
    (
        "aws_configure_secret",
        "aws configure set profile.ci.aws_session_token FwoGZXIvYXdzEBYaDH7x2 ",
        "FwoGZXIvYXdzEBYaDH7x2",
    ),
]

LOOKALIKES = [
    "secret key 9fceb02d0ae598e95dc970b74767f19372d61af8 rotated",
    "aws configure set region us-east-1",
    "aws configure set aws_session_token $AWS_SESSION_TOKEN",
    "aws_secret_access_key     ****************MPLE shared-credentials-file",
    "curl -u admin https://api.example.com/",
    "curl -u $API_USER:$API_PASS https://api.example.com/",
    "docker run -u 1000:1000 alpine id",
    "sshpass -e ssh deploy@host",
    "redis-cli -h cache -p 6379 ping",
    "gzip -P 4 big.log",
    "ldapsearch -x -W -D cn=admin",
    # Dovecot names its password database and the user before the reason: no value after auth:
    "dovecot: auth: passwd-file(bob,127.0.0.1): unknown user",
    "dovecot: auth-worker(4242): sql(bob,127.0.0.1): Password mismatch",
    "sshd[1]: auth: pam_unix(sshd:auth): authentication failure; logname= uid=0",
    '{"cvv":"***","last4":"1111"}',
    "cvv_check=pass avs_check=fail",
    '"cvc_check": "unchecked"',
    "security_code=SEC-001 severity=high",
    "cvv=12345 not a code",
    "cvc3 0.4.2 installed",
    "partition_key=user_42 sort_key=created_at",
    "cache_key=orders:v2:42 hit=true",
    "session_key_prefix=sess: ttl=3600",
    "token_hex = secrets.token_hex(32)",
    "key_value=color:blue",
    "shared_key_name=RootManageSharedAccessKey",
    "next_token_b64=eyJvZmZzZXQiOjEwMH0=",
    "net user jdoe /domain",
    "net user",
    "net use Z: \\\\fs01\\share /persistent:yes",
    "net use \\\\fs01\\share /user:CORP\\jdoe *",
    'runas /user:CORP\\admin "mmc.exe"',
    "ConvertTo-SecureString $env:SVC_PASSWORD -AsPlainText -Force",
    "$s = ConvertTo-SecureString $encrypted -Key $key",
    "the net user count grew by 3",
    "internet user jdoe Pass-77 connected",
    "queue 20:Active depth=3",
    "mac 00:a0:c9:14:c8:29 port 3",
    "bot 7123456789: Alive and well, 12 chats",
    "https://maker.ifttt.com/trigger/{event}/with/key/{your-key}",
    "GET /verify?code=123456&state=abc HTTP/1.1",
    "GET /search?q=x&code=ERR_TIMEOUT HTTP/1.1",
    "exit code=1 status_code=503 error_code=ThrottlingException",
    '{"error":{"code":"InvalidAuthenticationToken","message":"expired"}}',
    "country code=US zip_code=94105",
    "https://login.example.com/authorize?response_type=code&client_id=abc&state=xyz",
    "code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256",
    "GET /oauth2/callback?error=access_denied&state=af0ifjsldkj HTTP/1.1",
    "      ~ password                     = (sensitive value)",
    "      ~ db_password = (sensitive value) -> (sensitive value)",
    '      ~ api_token       = "${var.token}" -> (known after apply)',
    "  + secret_string = (sensitive value)",
    '      ~ instance_type = "t3.micro" -> "t3.large"',
    '      ~ key_name      = "deploy" -> "deploy-2"',
    '      ~ token_ttl     = "3600" -> "7200"',
    "Outputs: db_password = <sensitive>",
    "  # aws_db_instance.main will be updated in-place",
    f"  tls.crt: {CERT_B64}",
    f"  ca.crt: {CERT_B64}",
    '{"data":{".dockerconfigjson":"eyJhdXRocyI6e319"}}',
    "  config: eyJsb2dMZXZlbCI6ImRlYnVnIn0=",
    "LS0tLS1CRUdJTi is how base64 of a PEM header starts",
    'WWW-Authenticate: Bearer realm="api", error="invalid_token"',
    'WWW-Authenticate: Basic realm="Restricted Area"',
    "using basic authentication for user bob",
    '{"token_type":"Bearer","expires_in":3600}',
    "token_type=Bearer expires_in=3600",
    "the bearer token was rejected",
    "plan: Basic tier, 3 seats",
]


test_rule_redacts, test_lookalikes_stay = table_tests(CASES, LOOKALIKES)


@pytest.mark.parametrize("family", FAMILIES)
def test_corpus_family_recall_and_precision(full_pack: Sanitizer, family: str) -> None:
    assert_family_found_in_full(
        Sanitizer(full_pack.rules), family, min_positives=4, min_negatives=4
    )
