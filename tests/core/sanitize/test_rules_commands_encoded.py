"""Passwords on command lines and credentials in URL-encoded assignments.

Each positive runs its rule alone, so it proves that rule fired; each look-alike runs the whole
default pack, so no rule may touch it. The corpus families must be found in full, and on the
rest of the corpus the pack must redact exactly what it did without these rules.
"""

from __future__ import annotations

import pytest

from logai.sanitize import Rule, Sanitizer
from tests.core.sanitize.rule_table import (
    assert_family_found_in_full,
    assert_linear,
    corpus_entries,
    flatten,
    split_pack,
    table_tests,
)

NEW_RULES = frozenset(
    {"mysql_cli_password", "cli_password_option", "encoded_password", "encoded_secret"}
)
NEW_FAMILIES = ("command_line", "encoded_assignment")

CASES: dict[str, list[tuple[str, str]]] = {
    "mysql_cli_password": [
        ("mysql -u root -pS3cr3tPass -h db", "S3cr3tPass"),
        ("+ mysqldump -u backup -p'Dump 2026!' shop", "Dump 2026!"),
        ('mariadb-dump -u admin -p"Maria#Db9" --all-databases', "Maria#Db9"),
        ("/usr/bin/mysqladmin -uroot -pHunter22 status", "Hunter22"),
        ("sh -c 'mysql -pAbc-123 app'", "Abc-123"),
    ],
    "cli_password_option": [
        ("docker login --username ci --password Xk9-pL2q registry", "Xk9-pL2q"),
        ("keytool -list -keystore a.jks -storepass changeit", "changeit"),
        ("cli --db-password 'two words' --host db", "two words"),
        ("ansible-playbook site.yml --vault-password hunter2x", "hunter2x"),
        ('tool --passphrase "correct horse" sign', "correct horse"),
        ("agent --PASSWORD Upper-Case-1", "Upper-Case-1"),
    ],
    "encoded_password": [
        ("password%3DS3cr3t%21", "S3cr3t%21"),
        ("next=%2Fsso%3Fuser%3Djdoe%26password%3DS3cr3t%2521 302", "S3cr3t%2521"),
        ("body=user%3Dbob%26pwd%3Dbobs-Pw-42", "bobs-Pw-42"),
        ("form: user%3Djane%26passwd%253DHunter22%2526remember%253D1", "Hunter22"),
        ("db_password%3Dpg-Pw-77%26db%3Dorders", "pg-Pw-77"),
        # Its own "=" encoded once more than the assignment's: part of the value.
        ("next=%2Fsso%3Fuser%3Djdoe%26password%3DS3cr%253Dt%2521 302", "S3cr%253Dt%2521"),
    ],
    "encoded_secret": [
        ("cb%3Faccess_token%3D9f8e7d6c5b4a3928%26x%3D1", "9f8e7d6c5b4a3928"),
        ("cb%3Faccess_token%3DeyJhbGciOiJIUzI1NiJ9xYz12%3D%3D%26x%3D1", "xYz12%3D%3D"),
        ("hook%253Fapi_key%253DAKx81fj29dkq0z%2526v%253D2", "AKx81fj29dkq0z"),
        ("grant_type%3Dclient_credentials%26client_secret%3Dq8Z-2vN_7tY0pL4w", "q8Z-2vN_7tY0pL4w"),
    ],
}

LOOKALIKES = [
    "mkdir -p /var/log/app",
    "ssh -p 2222 deploy@bastion",
    "mysql -u root -p -h db",
    "mysql -u app -p${DB_PASSWORD} orders",
    "cp -p a b  # mysql backup copy",
    "usage: login --password is required",
    "docker login --password-stdin < token.txt",
    "tool --password --verbose",
    "+ pg_dump -h db -U app --password orders > orders.sql",
    "psql --host db --password analytics",
    "mysql -u root --password shop",
    "you shall not pass this check",
    "error: --password must be at least 12 characters",
    "a password reset was requested",
    "GET /search?q=bypass%3Dtrue HTTP/1.1",
    "next=%2Fapi%3Fnext_token%3Dabc123def456",
    "body=password%3D%2A%2A%2A%2A%2A%2A",
    "cfg=api_key%3D%24%7BAPI_KEY%7D",
    "sort=sort_key%3Dcreated_at%26dir%3Ddesc",
    "msg=password%3Dis%26required%3D1",
    "GET /a%2Db%2Dc?x=%5B1%5D HTTP/1.1",
]


test_rule_redacts, test_lookalikes_stay = table_tests(flatten(CASES), LOOKALIKES)


def test_every_new_rule_has_cases(rules_by_name: dict[str, Rule]) -> None:
    assert set(rules_by_name) >= NEW_RULES
    assert set(CASES) == NEW_RULES


def test_the_option_and_the_quotes_stay(full_pack: Sanitizer) -> None:
    out, _ = Sanitizer(full_pack.rules).sanitize_text("mysqldump -u b -p'Dump 2026!' --x 'y'")
    assert out == "mysqldump -u b -p'<PASSWORD_1>' --x 'y'"


@pytest.mark.parametrize("family", NEW_FAMILIES)
def test_corpus_family_recall_and_precision(full_pack: Sanitizer, family: str) -> None:
    sanitizer = Sanitizer(full_pack.rules)
    assert_family_found_in_full(sanitizer, family, min_positives=6, min_negatives=6)


def test_new_rules_change_nothing_the_previous_rules_left_alone() -> None:
    new_only, previous, current = split_pack(NEW_RULES)
    for entry in corpus_entries():
        if entry.get("family") in NEW_FAMILIES:
            continue
        line = str(entry["line"])
        if not entry["secrets"]:
            assert new_only.sanitize_text(line)[0] == line, line
        assert current.sanitize_text(line)[0] == previous.sanitize_text(line)[0], line


@pytest.mark.parametrize(
    "unit",
    [
        "key%3Da",  # a name the rule turns away, then a value running into the next name
        "bypass%3Dab",
        "next_token%3Dabcdefgh",
        "key%253Da",
        "secret%3Da%253D",
    ],
)
def test_a_long_line_of_encoded_assignments_costs_in_proportion_to_its_length(
    full_pack: Sanitizer, unit: str
) -> None:
    """``key%3Dakey%3Da...`` of 100 KB took 19 s: each value ran to the end of the line."""
    assert_linear(full_pack, "", unit)
