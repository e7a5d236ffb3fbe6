"""Free text: words that are values merge, words that name the event stay apart.

Masking cannot see that ``orders`` and ``billing`` are values; the evidence is across lines.
These tests pin both directions: low-cardinality names in value positions (after a
preposition, quoted, one naming scheme, a ``user@db`` header) are one event, while verbs that
name an operation (``ADD``/``UPDATE``/``DELETE``), even five or more of them, are kept apart so
that a rare deletion never hides among updates.
"""

from __future__ import annotations

import random
from collections import Counter

import pytest

from logai.reduce import TemplateGroup, group_lines


def _templates(groups: list[TemplateGroup]) -> dict[str, int]:
    return {g.template: g.count for g in groups}


def test_verb_only_differences_stay_apart_however_many_verbs() -> None:
    verbs = ["UPDATE"] * 60 + ["ADD"] * 8 + ["DELETE"] + ["REMOVE", "RECONCILE", "RESYNC"]
    rng = random.Random(7)
    lines = [
        f"2024-03-01T10:00:{i % 60:02d}Z INFO route-controller: {verb} route 10.{i}.0.0/16 "
        f"via igw-{rng.getrandbits(32):08x} in table rtb-{rng.getrandbits(32):08x}"
        for i, verb in enumerate(verbs)
    ]
    groups = group_lines(lines)
    assert sorted(g.count for g in groups) == sorted(Counter(verbs).values())
    deletion = next(g for g in groups if g.template.startswith("DELETE"))
    assert deletion.count == 1


def test_http_methods_before_a_target_are_a_variable() -> None:
    methods = ["GET", "POST", "PUT", "GET", "PATCH"]
    lines = [
        f"2024-03-01 10:00:0{i}.000  WARN 1 --- [exec-{i}] c.e.RequestTimer : Slow request "
        f"{m} /api/orders/{i}00 took {1000 + i} ms"
        for i, m in enumerate(methods)
    ]
    assert _templates(group_lines(lines)) == {"Slow request <*> <*> took <*>": 5}


@pytest.mark.parametrize(
    ("lines", "template"),
    [
        (  # after a preposition
            [f"retrying call to {s} service" for s in ["payments", "inventory", "email"]],
            "retrying call to <*> service",
        ),
        (  # after a preposition and a noun
            [f"Started Session {i}{i} of User {u}." for i, u in
             enumerate(["root", "ec2-user", "ssm-user"])],
            "Started Session <*> of User <*>",
        ),
        (  # quoted data
            [f"Cannot read properties of undefined (reading '{k}')"
             for k in ["id", "items", "name"]],
            "Cannot read properties of undefined (reading <*>",
        ),
        (  # one naming scheme
            [f"Mar 01 10:00:00 ip-10-0-1-5 systemd[1]: {u}.service: Main process exited, "
             "code=exited, status=1/FAILURE" for u in ["docker", "containerd", "kubelet"]],
            "<*> Main process exited, code=exited, status=<*>",
        ),
        (  # a returned literal
            [f"Task tasks.a[{n}] succeeded in 0.{n}s: {r}" for n, r in
             enumerate(["None", "True", "42"], 1)],
            "Task tasks.a[<*>] succeeded in <*>",
        ),
    ],
    ids=["preposition", "preposition-noun", "quoted", "naming-scheme", "literal"],
)  # fmt: skip
def test_names_in_value_positions_are_one_event(lines: list[str], template: str) -> None:
    groups = group_lines(lines)
    assert [(g.template.rstrip("."), g.count) for g in groups] == [(template.rstrip("."), 3)]


def test_two_states_and_device_names_stay_apart() -> None:
    # Too little evidence to call two alternatives values; device names (``alt0``) are paths.
    lines = ["Location icon should now be in state 'Active'",
             "Location icon should now be in state 'Inactive'"]  # fmt: skip
    lines += [f"link up on network 10.0.0.0 via interface {d}" for d in ["alt0", "ee0", "scip0"]]
    assert len(group_lines(lines)) == 5


def test_postgres_users_and_databases_do_not_split_a_message() -> None:
    users = ["app_user", "readonly", "etl", "rdsadmin"]
    dbs = ["orders", "users", "billing"]
    lines = [
        f"2024-03-01 10:00:{i % 60:02d} UTC:10.0.{i}.1({40000 + i}):{u}@{d}:[{1000 + i}]:LOG:  "
        f"disconnection: session time: 0:00:0{i % 10}.{i:03d} user={u} database={d} "
        f"host=10.0.{i}.1 port={40000 + i}"
        for i, (u, d) in enumerate((u, d) for u in users for d in dbs)
    ]
    lines.append("2024-03-01 10:01:00 UTC:10.0.0.9(4001):etl@orders:[77]:ERROR:  deadlock detected")
    groups = group_lines(lines)
    assert [(g.template, g.count, g.severity) for g in groups] == [
        ("deadlock detected", 1, "ERROR"),
        ("disconnection: session time: <*> user=<*> database=<*> host=<*> port=<*>", 12, "INFO"),
    ]


def test_two_quoted_values_that_combine_freely_are_data() -> None:
    lines = [
        f"Cache entry for key '{k}::{n}' found in cache '{c}'"
        for n, (k, c) in enumerate(
            [(k, c) for k in ["price", "product"] for c in ["prices", "products"]] * 3
        )
    ]
    assert _templates(group_lines(lines)) == {"Cache entry for key <*> found in cache <*>": 12}


def test_container_and_service_names_in_headers_do_not_split_a_message() -> None:
    lines = [f"{c}  | Listening on port {8000 + i}" for i, c in enumerate(["web-1", "api-1"])]
    lines += [f"[{c}] starting up" for c in ["web", "api", "worker"]]
    lines += [f"{c}: 2024/03/01 10:00:00 server started" for c in ["web", "api", "worker"]]
    assert _templates(group_lines(lines)) == {
        "Listening on port <*>": 2,
        "starting up": 3,
        "server started": 3,
    }


def test_verbs_in_an_argument_list_stay_apart() -> None:
    verbs = ["ADD", "UPDATE", "DELETE", "REMOVE", "RECONCILE", "RESTORE"]
    lines = [
        f'I0301 10:00:0{i % 10}.000000    1 kubelet.go:2100] SyncLoop ({v}, "api"): "web-{i}_prod"'
        for i, v in enumerate(verbs * 3)
    ]
    assert sorted(g.count for g in group_lines(lines)) == [3] * 6
