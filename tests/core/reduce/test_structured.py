"""Structured lines (JSON, logfmt, klog, access logs) are grouped by shape, not by words.

Each test feeds lines in a real-world shape and checks the grouping a person would make: one
group per kind of event, however many distinct values the other fields have (even two:
``GET``/``POST``, ``true``/``false``), and apart when the event differs (a different event name,
message or status class).
"""

from __future__ import annotations

import json
import random
from collections import Counter
from datetime import UTC, datetime, timedelta

from logai.reduce import TemplateGroup, group_lines, reduce_events
from logai.sources import LogEvent


def _kinds(groups: list[TemplateGroup], labels: list[str]) -> list[dict[str, int]]:
    """For each group, how many of its lines carry each true label."""
    return [dict(Counter(labels[i] for i in g.line_numbers)) for g in groups]


def _assert_grouped_as(lines: list[str], labels: list[str]) -> list[TemplateGroup]:
    """Every group holds one label and every label is one group."""
    groups = group_lines(lines)
    kinds = _kinds(groups, labels)
    assert all(len(k) == 1 for k in kinds), kinds
    assert len(groups) == len(set(labels)), [g.template for g in groups]
    return groups


def _by_template(groups: list[TemplateGroup], needle: str) -> TemplateGroup:
    return next(g for g in groups if needle in g.template)


# -- JSON -------------------------------------------------------------------------------------


def test_json_records_without_a_message_group_by_their_event_name() -> None:
    rng = random.Random(1)
    lines, labels = [], []
    for i in range(300):
        kind = rng.choice(["page_view", "click", "signup"])
        record: dict[str, object] = {"ts": f"2024-03-01T10:00:{i % 60:02d}Z", "type": kind}
        record["user"] = f"{rng.getrandbits(64):016x}"
        record["mobile"] = rng.choice([True, False])  # two values: still a variable
        record["country"] = rng.choice(["US", "DE", "FR"])
        lines.append(json.dumps(record))
        labels.append(kind)
    groups = _assert_grouped_as(lines, labels)
    clicks = _by_template(groups, "type=click")
    assert "mobile=<*>" in clicks.template and "country=<*>" in clicks.template
    spread = {s.name: s for s in clicks.varying}
    assert spread["mobile"].distinct == 2
    assert sorted(spread["mobile"].examples) == ["false", "true"]
    assert "ts" not in spread  # the time is the group's first/last timestamp, not a field
    assert clicks.first_timestamp is not None


def test_cloudtrail_like_records_split_by_event_name_and_by_error() -> None:
    rng = random.Random(2)
    lines, labels = [], []
    for i in range(400):
        name = rng.choice(["GetObject", "PutObject", "AssumeRole", "Decrypt"])
        record: dict[str, object] = {
            "eventVersion": "1.08",
            "userIdentity": {"type": "AssumedRole", "arn": f"arn:aws:sts::1:assumed-role/r/{i}"},
            "eventTime": "2024-03-01T10:00:00Z",
            "eventSource": "s3.amazonaws.com",
            "eventName": name,
            "awsRegion": rng.choice(["us-east-1", "eu-west-1"]),
            "requestID": f"{rng.getrandbits(64):016X}",
        }
        label = name
        if i % 37 == 0:
            record["errorCode"] = "AccessDenied"
            label += ":denied"
        lines.append(json.dumps(record))
        labels.append(label)
    groups = _assert_grouped_as(lines, labels)
    denied = [g for g in groups if "errorCode=AccessDenied" in g.template]
    assert denied and all(g.severity == "ERROR" for g in denied)
    assert groups[0] in denied  # errors first


def test_an_event_name_field_holding_ids_becomes_a_variable() -> None:
    lines = [json.dumps({"action": f"job_{i:05d}_x", "ok": True}) for i in range(200)]
    groups = group_lines(lines)
    assert len(groups) == 1
    assert groups[0].template == "action=<*> ok=true"


def test_nested_json_splits_by_status_class_not_by_status_or_ids() -> None:
    rng = random.Random(3)
    lines, labels = [], []
    for _ in range(300):
        klass = rng.choice([2, 2, 2, 4, 5])
        status = klass * 100 + rng.choice([0, 1, 4])
        record = {
            "@timestamp": "2024-03-01T10:00:00.000Z",
            "trace": {"id": f"{rng.getrandbits(128):032x}"},
            "http": {
                "request": {
                    "method": rng.choice(["GET", "POST"]),
                    "path": f"/o/{rng.randint(1, 9999)}",
                },
                "response": {"status_code": status},
            },
            "user": {"id": rng.randint(1, 99999), "tenant": rng.choice(["acme", "globex"])},
        }
        lines.append(json.dumps(record))
        labels.append(f"{klass}xx")
    groups = _assert_grouped_as(lines, labels)
    assert {g.template.split("http.response.status_code=")[1].split()[0] for g in groups} == {
        "2xx", "4xx", "5xx",
    }  # fmt: skip


def test_json_with_a_message_groups_by_message_and_reads_numeric_levels() -> None:
    lines = [
        json.dumps({"time": 1709287200000 + i, "level": 30, "msg": f"order {1000 + i} placed",
                    "currency": ["USD", "EUR"][i % 2]})
        for i in range(20)
    ]  # fmt: skip
    lines.append(
        json.dumps({"time": 1709287300000, "level": 50, "msg": "database connection lost"})
    )
    groups = group_lines(lines)
    assert [(g.template, g.count, g.severity) for g in groups] == [
        ("database connection lost", 1, "ERROR"),
        ("order <*> placed currency=<*>", 20, "INFO"),
    ]


def test_malformed_or_non_object_json_is_read_as_text() -> None:
    lines = ['{"level": "info", "msg": "half', "[1, 2, 3]", '{"a":' * 5000 + "1" + "}" * 5000]
    groups = group_lines(lines)
    assert sorted(i for g in groups for i in g.line_numbers) == [0, 1, 2]


# -- logfmt, klog, text with JSON fields ------------------------------------------------------


def test_logfmt_low_cardinality_values_do_not_split_an_event() -> None:
    rng = random.Random(4)
    lines, labels = [], []
    for i in range(300):
        stamp = f"time=2024-03-01T10:00:{i % 60:02d}.000Z"
        if rng.random() < 0.7:
            lines.append(
                f'{stamp} level=INFO msg="handled request" method={rng.choice(["GET", "POST"])} '
                f"path=/api/{rng.randint(1, 999)} status=200 cached={rng.choice(['true', 'false'])}"
            )
            labels.append("req")
        else:
            lines.append(
                f'{stamp} level=WARN msg="authentication failed" user={rng.choice(["ann", "bo"])} '
                f'reason="{rng.choice(["bad password", "expired token"])}"'
            )
            labels.append("auth")
    groups = _assert_grouped_as(lines, labels)
    auth = _by_template(groups, "authentication failed")
    assert auth.severity == "WARN"
    assert auth.template == "authentication failed user=<*> reason=<*>"  # prose is no event name


def test_klog_structured_lines_keep_verbs_apart_and_vary_pods() -> None:
    lines, labels = [], []
    for i, verb in enumerate(["UPDATE"] * 40 + ["ADD"] * 5 + ["DELETE"] + ["REMOVE"] * 2):
        ns = ["prod", "staging"][i % 2]
        lines.append(
            f'I0301 10:00:{i % 60:02d}.000000    2048 kubelet.go:2445] "SyncLoop {verb}" '
            f'source="api" pods=["{ns}/web-{i:04x}abc-x{i}k2p"]'
        )
        labels.append(verb)
    groups = _assert_grouped_as(lines, labels)
    assert _by_template(groups, "SyncLoop DELETE").count == 1
    assert all(g.severity == "INFO" for g in groups)


def test_text_with_trailing_json_fields_groups_by_its_message() -> None:
    lines = [
        f"2024-03-01T10:00:0{i}.000Z\twarn\tmemorylimiter/memorylimiter.go:203\tMemory usage is "
        f'above soft limit.\t{{"kind": "processor", "pipeline": "{p}", "cur_mem_mib": {300 + i}}}'
        for i, p in enumerate(["traces", "metrics", "traces", "logs"])
    ]
    groups = group_lines(lines)
    assert len(groups) == 1
    assert groups[0].severity == "WARN"
    assert groups[0].template.startswith("Memory usage is above soft limit. kind=processor")


# -- access logs ------------------------------------------------------------------------------

_AGENTS = ['"curl/8.4.0"', '"Mozilla/5.0 (X11; Linux x86_64) Firefox/121.0"', '"kube-probe/1.28"']


def test_access_logs_group_by_format_and_status_class() -> None:
    rng = random.Random(5)
    lines, labels = [], []
    for i in range(400):
        klass = rng.choice([2, 2, 2, 3, 4, 5])
        status = klass * 100 + rng.choice([0, 1, 4])
        request = (
            f'"{rng.choice(["GET", "POST", "PUT"])} /api/v1/items/{i}?q={rng.random()} HTTP/1.1"'
        )
        base = (
            f"10.0.{i % 7}.{i % 250} - - [01/Mar/2024:10:00:{i % 60:02d} +0000] {request} "
            f'{status} {rng.randint(0, 9999)} "-" {rng.choice(_AGENTS)}'
        )
        if i % 3 == 0:  # ingress-nginx: upstream lists of any length
            ups = ", ".join(f"10.1.0.{n}:8080" for n in range(rng.randint(1, 3)))
            base += (
                f" 512 0.{i:03d} [prod-web-80] [] {ups} 100 0.010 {status} {rng.getrandbits(64):x}"
            )
            labels.append(f"ingress{klass}")
        else:
            labels.append(f"combined{klass}")
        lines.append(base)
    groups = _assert_grouped_as(lines, labels)
    assert all(g.severity == "ERROR" for g in groups if "status=5xx" in g.template)
    ok = next(g for g in groups if "status=2xx" in g.template and "upstream" in g.template)
    assert {s.name for s in ok.varying} >= {"method", "path", "user_agent", "upstream_addr"}


def test_envoy_access_log_is_one_group_per_status_class() -> None:
    lines = [
        f'[2024-03-01T10:00:0{i % 10}.000Z] "{m} /r/{i} HTTP/1.1" {s} - 0 {i} 3 2 "10.0.0.{i}" '
        f'"curl/8.4.0" "{i:08x}-aaaa-bbbb-cccc-000000000000" "api.example.com" "10.1.0.{i}:8080"'
        for i, (m, s) in enumerate([("GET", 200), ("POST", 201), ("GET", 503), ("HEAD", 204)])
    ]
    groups = group_lines(lines)
    assert sorted(g.count for g in groups) == [1, 3]
    assert "response_flags=-" in groups[0].template


# -- rendering --------------------------------------------------------------------------------


def test_the_rendered_reduction_says_which_fields_vary_and_how_much() -> None:
    base = datetime(2024, 3, 1, tzinfo=UTC)
    events = [
        LogEvent(
            timestamp=base + timedelta(seconds=i),
            message=json.dumps({"type": "click", "id": f"{i:08x}", "mobile": i % 2 == 0}),
            group="app",
        )
        for i in range(500)
    ]
    text = reduce_events(events, budget_tokens=300).render()
    assert "type=click id=<*> mobile=<*>" in text
    assert "varies: id 500, mobile 2 (true, false)" in text


def test_logfmt_after_a_text_header_is_grouped_as_fields() -> None:
    lines = [
        f"2024-03-01T10:00:0{i}.000000+00:00 heroku[router]: at=info method={m} "
        f'path="/a/{i}" host=x.herokuapp.com request_id={i:08x}-1 fwd="10.1.2.{i}" '
        f"dyno=web.{i % 2 + 1} connect={i}ms service={i * 3}ms status={s} bytes={i * 100} "
        "protocol=https"
        for i, (m, s) in enumerate([("GET", 200), ("POST", 201), ("GET", 204), ("GET", 503)])
    ]
    groups = group_lines(lines)
    assert [g.count for g in groups] == [1, 3]
    assert "status=5xx" in groups[0].template
    assert "method=<*>" in groups[1].template and "status=2xx" in groups[1].template
    assert groups[1].first_timestamp == datetime(2024, 3, 1, 10, 0, tzinfo=UTC)


def test_a_collectors_envelope_around_application_json_is_opened() -> None:
    lines = [
        json.dumps({
            "log": json.dumps({"level": "warn", "msg": "cache miss", "key": f"k{i}", "store": s})
            + "\n",
            "stream": "stdout",
            "time": "2024-03-01T10:00:00Z",
        })
        for i, s in enumerate(["redis", "memory", "redis"])
    ]  # fmt: skip
    groups = group_lines(lines)
    assert [(g.template, g.severity) for g in groups] == [
        ("cache miss key=<*> store=<*> stream=stdout", "WARN")
    ]


def test_apache_common_log_format_is_an_access_log() -> None:
    lines = [
        f'192.168.0.{i} - frank [10/Oct/2000:13:55:3{i} -0700] "GET /img/{i}.png HTTP/1.0" 200 {i}'
        for i in range(5)
    ]
    groups = group_lines(lines)
    assert [g.template for g in groups] == [
        "client=<*> ident=- user=frank method=GET path=<*> protocol=HTTP/1.0 status=2xx bytes=<*>"
    ]


def test_load_balancer_logs_with_the_status_before_the_request() -> None:
    def alb(status: int, path: str, client: str) -> str:
        return (
            f"https 2024-03-01T10:00:00.186641Z app/my-lb/50dc6c495c0c9188 {client}:2817 "
            f"10.0.0.1:80 0.086 0.048 0.037 {status} {status} 0 57 "
            f'"GET https://www.example.com:443/{path} HTTP/1.1" "curl/7.46.0" '
            "ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-2:1:"
            'targetgroup/t/73e2d6bc24d8a067 "Root=1-58337281-1d84f3d73c47ec4e58577259" '
            '"www.example.com" "-" 1 2024-03-01T10:00:00.064000Z "forward" "-" "-" '
            '"10.0.0.1:80" "200" "-" "-"'
        )

    lines = [
        alb(200, "a", "192.168.1.1"),
        alb(204, "b/1", "192.168.1.2"),
        alb(502, "c", "10.9.9.9"),
    ]
    groups = group_lines(lines)
    assert [(g.count, g.severity) for g in groups] == [(1, "ERROR"), (2, None)]
    assert "elb_status_code=2xx" in groups[1].template
    assert "path=<*>" in groups[1].template and "client=<*>" in groups[1].template


def test_container_runtime_lines_around_json_or_text() -> None:
    lines = [
        f'2024-03-01T10:00:0{i}.123456789Z stdout F {{"level":"info","msg":"request done",'
        f'"method":"{m}","id":{i}}}'
        for i, m in enumerate(["GET", "POST", "GET"])
    ]
    lines += [
        f"2024-03-01T10:00:0{i}.123456789Z stderr F 2024-03-01 10:00:0{i},123 ERROR worker {i} "
        "crashed"
        for i in range(2)
    ]
    lines.append('2024-03-01 10:00:09 WARN {"event": "quota_low", "remaining": 3}')
    groups = group_lines(lines)
    assert [(g.template, g.count, g.severity) for g in groups] == [
        ("worker <*> crashed", 2, "ERROR"),
        ("quota_low remaining=<*>", 1, "WARN"),  # structlog: ``event`` is the message
        ("request done method=<*> id=<*>", 3, "INFO"),
    ]
    assert groups[2].first_timestamp == datetime(2024, 3, 1, 10, 0, 0, 123456, tzinfo=UTC)


def test_a_word_status_names_the_event_a_numeric_one_its_class() -> None:
    lines = [json.dumps({"job": "backup", "status": s, "id": i})
             for i, s in enumerate(["succeeded"] * 20 + ["failed"])]  # fmt: skip
    lines += [json.dumps({"msg": "req", "status": s}) for s in [200, 201, 500]]
    groups = group_lines(lines)
    assert {(g.template, g.count) for g in groups} == {
        ("job=backup status=succeeded id=<*>", 20),
        ("job=backup status=failed id=<*>", 1),
        ("req status=2xx", 2),
        ("req status=5xx", 1),
    }


def test_keys_that_are_ids_do_not_make_new_shapes() -> None:
    lines = [json.dumps({"msg": "daily counts", "counts": {f"2024-03-{d:02d}": d}}) for d in
             range(1, 20)]  # fmt: skip
    lines += [json.dumps({"type": "seen", f"user_{n}": True}) for n in range(100, 130)]
    groups = group_lines(lines)
    assert [(g.template, g.count) for g in groups] == [
        ("type=seen <*>=true", 30),
        ("daily counts counts.<*>=<*>", 19),
    ]
