# ruff: noqa: E501  (one generated line shape per line reads better than wrapped pieces)
"""A labelled corpus of modern log formats, generated: what CloudWatch users actually have.

Loghub is classic text logs. This generates, deterministically (seeded), the shapes seen in
practice today, each line with the id of the event kind a human would give it:

JSON app logs with and without a message field, nested JSON with ids, Go slog / logfmt,
OpenTelemetry Collector (zap console + JSON fields), nginx / ingress-nginx and envoy access logs,
RDS PostgreSQL with its ``%t:%r:%u@%d:[%p]:`` prefix, kubelet (klog) with verb-only differences,
Kubernetes Event objects, Lambda platform lines, CloudTrail-like records, Spring Boot and Python
service logs, Redis, Kafka, systemd, GitHub Actions runner output with pytest lines, a route
reconciler whose events differ only by ADD/UPDATE/DELETE.

Values follow realistic distributions: skewed event frequencies (some kinds appear a handful of
times), low-cardinality variables (``GET``/``POST``, ``true``/``false``, ``cache``/``db``, a few
databases and namespaces) next to high-cardinality ids, and constant fields that name the event.
The true event kind of an access-log line is its line shape and status class (2xx/3xx/4xx/5xx);
of a structured record, its message (or event-naming field) and its set of keys.

``python benchmarks/modern_corpus.py OUTDIR`` writes ``<system>.log`` and ``<system>.labels``.
"""

from __future__ import annotations

import json
import random
import sys
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

Line = tuple[str, str]  # (line, true template id)
Maker = Callable[[random.Random, datetime], str]

LINES_PER_SYSTEM = 1500

_USERS = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy"]
_METHODS = ["GET"] * 12 + ["POST"] * 5 + ["PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]
_AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.2 Safari/605.1.15",
    "curl/8.4.0",
    "python-requests/2.31.0",
    "Go-http-client/1.1",
    "kube-probe/1.28",
    "ELB-HealthChecker/2.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15",
    "okhttp/4.12.0",
    "Amazon CloudFront",
]
_ROUTES = [
    "/api/v1/orders/{n}",
    "/api/v1/users/{n}/profile",
    "/api/v1/cart",
    "/healthz",
    "/static/js/app.{h}.js",
    "/api/v2/search?q={w}&page={s}",
    "/login",
    "/api/v1/orders/{n}/items/{s}",
    "/metrics",
    "/",
]
_WORDS = ["shoes", "red", "lamp", "desk", "phone", "case", "cable", "book", "mug", "chair"]
_DBS = ["orders", "users", "billing", "inventory"]
_NAMESPACES = ["prod", "staging", "kube-system", "monitoring"]
_APPS = ["web", "api", "worker", "checkout", "search", "auth"]
_REGIONS = ["us-east-1", "us-west-2", "eu-west-1"]


def _pick(rng: random.Random, items: list[str]) -> str:
    """Skewed choice: the first items are the common ones, the last ones rare."""
    weights = [1 / (i + 1) for i in range(len(items))]
    return rng.choices(items, weights)[0]


def _ip(rng: random.Random) -> str:
    return f"10.{rng.randint(0, 3)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"


def _hex(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _route(rng: random.Random) -> str:
    return _pick(rng, _ROUTES).format(
        n=rng.randint(1, 99999), s=rng.randint(1, 40), h=_hex(rng, 8), w=rng.choice(_WORDS)
    )


def _pod(rng: random.Random) -> str:
    return f"{_pick(rng, _APPS)}-{_hex(rng, 9)}-{_hex(rng, 5)}"


def _iso(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


def _status(rng: random.Random, klass: int) -> int:
    codes = {2: [200] * 8 + [201, 204], 3: [301, 302, 304], 4: [400, 401, 403, 404] + [404] * 4,
             5: [500, 502, 503, 504]}  # fmt: skip
    return rng.choice(codes[klass])


# -- systems ---------------------------------------------------------------------------------


def json_app(rng: random.Random, t: datetime) -> Line:
    """pino/zap-style JSON with a ``msg`` field and varying extra fields."""
    kinds: list[tuple[str, float, Callable[[], dict[str, object]]]] = [
        (
            "request",
            40,
            lambda: {
                "level": 30,
                "msg": "request completed",
                "method": _pick(rng, _METHODS),
                "url": _route(rng),
                "statusCode": 200,
                "responseTime": round(rng.random() * 90, 3),
            },
        ),
        (
            "cache_hit",
            16,
            lambda: {
                "level": 20,
                "msg": f"cache hit for key {rng.choice(['user', 'cart', 'session'])}:{rng.randint(1, 9999)}",
                "store": rng.choice(["redis", "memory"]),
            },
        ),
        (
            "cache_miss",
            4,
            lambda: {
                "level": 20,
                "msg": f"cache miss for key {rng.choice(['user', 'cart', 'session'])}:{rng.randint(1, 9999)}",
                "store": rng.choice(["redis", "memory"]),
            },
        ),
        (
            "order",
            15,
            lambda: {
                "level": 30,
                "msg": f"order {rng.randint(10000, 99999)} placed by {rng.choice(_USERS)}",
                "total": round(rng.random() * 300, 2),
                "currency": rng.choice(["USD", "EUR"]),
            },
        ),
        (
            "retry",
            5,
            lambda: {
                "level": 40,
                "msg": f"retrying call to {rng.choice(['payments', 'inventory', 'email'])} service",
                "attempt": rng.randint(1, 5),
                "backoffMs": rng.choice([100, 200, 400, 800]),
            },
        ),
        (
            "dbfail",
            2,
            lambda: {
                "level": 50,
                "msg": "database connection lost",
                "err": {"code": "ECONNRESET", "errno": -104},
                "host": _ip(rng),
            },
        ),
        ("jwt", 1, lambda: {"level": 50, "msg": "jwt expired", "userId": _uuid(rng)}),
        (
            "start",
            0.3,
            lambda: {
                "level": 30,
                "msg": "server listening",
                "port": 8080,
                "pid": rng.randint(1, 999),
            },
        ),
    ]
    kind, make = _choose(rng, kinds)
    record: dict[str, object] = {"time": int(t.timestamp() * 1000), "pid": 1, "hostname": _pod(rng)}
    record.update(make())
    return json.dumps(record), kind


def json_nomsg(rng: random.Random, t: datetime) -> Line:
    """Event records without a message field: the event is named by a ``type`` field."""
    kinds: list[tuple[str, float, Callable[[], dict[str, object]]]] = [
        (
            "pageview",
            40,
            lambda: {
                "type": "page_view",
                "path": _route(rng),
                "user": _uuid(rng),
                "mobile": rng.choice([True, False]),
                "country": _pick(rng, ["US", "DE", "FR", "IN", "BR"]),
            },
        ),
        (
            "click",
            25,
            lambda: {
                "type": "click",
                "element": rng.choice(["buy", "add-to-cart", "search", "menu"]),
                "user": _uuid(rng),
                "mobile": rng.choice([True, False]),
            },
        ),
        (
            "signup",
            5,
            lambda: {
                "type": "signup",
                "user": _uuid(rng),
                "plan": rng.choice(["free", "pro"]),
                "referrer": rng.choice(["google", "twitter", "direct"]),
            },
        ),
        (
            "payment_ok",
            8,
            lambda: {
                "type": "payment.succeeded",
                "amount": rng.randint(100, 90000),
                "currency": rng.choice(["usd", "eur"]),
                "customer": "cus_" + _hex(rng, 14),
            },
        ),
        (
            "payment_fail",
            1,
            lambda: {
                "type": "payment.failed",
                "amount": rng.randint(100, 90000),
                "currency": rng.choice(["usd", "eur"]),
                "customer": "cus_" + _hex(rng, 14),
            },
        ),
        (
            "churn",
            0.4,
            lambda: {
                "type": "subscription.cancelled",
                "user": _uuid(rng),
                "plan": rng.choice(["free", "pro"]),
            },
        ),
    ]
    kind, make = _choose(rng, kinds)
    record: dict[str, object] = {"ts": _iso(t)}
    record.update(make())
    return json.dumps(record), kind


def nested_json(rng: random.Random, t: datetime) -> Line:
    """Nested request records with ids; kinds are the status class and the error object."""
    klass = rng.choices([2, 3, 4, 5], [80, 5, 12, 3])[0]
    record: dict[str, object] = {
        "@timestamp": _iso(t),
        "service": {"name": "checkout", "version": rng.choice(["1.4.2", "1.4.3"])},
        "trace": {"id": _hex(rng, 32), "span_id": _hex(rng, 16)},
        "http": {
            "request": {"method": _pick(rng, _METHODS), "path": _route(rng)},
            "response": {"status_code": _status(rng, klass), "bytes": rng.randint(0, 90000)},
        },
        "user": {"id": rng.randint(1, 50000), "tenant": _pick(rng, ["acme", "globex", "initech"])},
        "duration_ms": round(rng.random() * 500, 1),
    }
    kind = f"http{klass}xx"
    if klass == 5:
        record["error"] = {"type": rng.choice(["TimeoutError", "UpstreamError"]), "stack": "..."}
    return json.dumps(record), kind


def logfmt(rng: random.Random, t: datetime) -> Line:
    """Go log/slog text handler: ``time=... level=INFO msg="..." key=value``."""
    stamp = t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"
    kinds: list[tuple[str, float, Callable[[], str]]] = [
        (
            "req",
            40,
            lambda: (
                f'level=INFO msg="handled request" method={_pick(rng, _METHODS)} path={_route(rng)} status={_status(rng, 2)} dur={rng.randint(1, 900)}ms cached={rng.choice(["true", "false"])}'
            ),
        ),
        (
            "query",
            25,
            lambda: (
                f'level=DEBUG msg="query executed" db={_pick(rng, _DBS)} rows={rng.randint(0, 500)} source={rng.choice(["cache", "db"])}'
            ),
        ),
        (
            "auth",
            8,
            lambda: (
                f'level=WARN msg="authentication failed" user={rng.choice(_USERS)} reason="{rng.choice(["bad password", "expired token", "unknown user"])}" remote={_ip(rng)}'
            ),
        ),
        (
            "flush",
            10,
            lambda: (
                f'level=INFO msg="flushed batch" size={rng.randint(1, 1000)} queue={rng.choice(["events", "metrics"])} ok=true'
            ),
        ),
        (
            "panic",
            0.3,
            lambda: (
                f'level=ERROR msg="worker crashed" worker={rng.randint(1, 16)} err="runtime error: index out of range [{rng.randint(1, 9)}] with length {rng.randint(1, 9)}"'
            ),
        ),
        (
            "conf",
            0.5,
            lambda: (
                f'level=INFO msg="config reloaded" version={rng.randint(1, 99)} changed={rng.choice(["true", "false"])}'
            ),
        ),
    ]
    kind, make = _choose(rng, kinds)
    return f"time={stamp} {make()}", kind


def otel(rng: random.Random, t: datetime) -> Line:
    """OpenTelemetry Collector (zap console encoder): tab-separated, JSON fields at the end."""
    kinds: list[tuple[str, float, Callable[[], tuple[str, str, str, dict[str, object]]]]] = [
        (
            "export_fail",
            10,
            lambda: (
                "info",
                "exporterhelper/retry_sender.go:118",
                "Exporting failed. Will retry the request after interval.",
                {
                    "kind": "exporter",
                    "data_type": rng.choice(["traces", "metrics", "logs"]),
                    "name": "otlp",
                    "error": f"rpc error: code = Unavailable desc = connection error: dial tcp {_ip(rng)}:4317: connect: connection refused",
                    "interval": f"{rng.random() * 30:.9f}s",
                },
            ),
        ),
        (
            "dropped",
            3,
            lambda: (
                "error",
                "exporterhelper/queue_sender.go:101",
                "Dropping data because sending_queue is full. Try increasing queue_size.",
                {
                    "kind": "exporter",
                    "data_type": rng.choice(["traces", "metrics", "logs"]),
                    "name": "otlp",
                    "dropped_items": rng.randint(1, 5000),
                },
            ),
        ),
        (
            "memlimit",
            2,
            lambda: (
                "warn",
                "memorylimiter/memorylimiter.go:203",
                "Memory usage is above soft limit. Forcing a GC.",
                {
                    "kind": "processor",
                    "name": "memory_limiter",
                    "pipeline": rng.choice(["traces", "metrics"]),
                    "cur_mem_mib": rng.randint(300, 800),
                },
            ),
        ),
        (
            "batch",
            30,
            lambda: (
                "debug",
                "batchprocessor/batch_processor.go:260",
                "Sending batch",
                {
                    "kind": "processor",
                    "name": "batch",
                    "pipeline": rng.choice(["traces", "metrics", "logs"]),
                    "size": rng.randint(1, 8192),
                },
            ),
        ),
        (
            "started",
            0.3,
            lambda: (
                "info",
                "service/service.go:161",
                "Everything is ready. Begin running and processing data.",
                {},
            ),
        ),
    ]
    kind, make = _choose(rng, kinds)
    level, caller, message, fields = make()
    tail = f"\t{json.dumps(fields)}" if fields else ""
    return f"{_iso(t)}\t{level}\t{caller}\t{message}{tail}", kind


def nginx(rng: random.Random, t: datetime) -> Line:
    """nginx combined and ingress-nginx upstream formats; kind = format and status class."""
    klass = rng.choices([2, 3, 4, 5], [75, 8, 14, 3])[0]
    stamp = t.strftime("%d/%b/%Y:%H:%M:%S +0000")
    request = f'"{_pick(rng, _METHODS)} {_route(rng)} HTTP/{rng.choice(["1.1", "1.1", "2.0"])}"'
    base = (
        f"{_ip(rng)} - {rng.choice(['-', '-', '-', rng.choice(_USERS)])} [{stamp}] {request} "
        f"{_status(rng, klass)} {rng.randint(0, 60000)} "
        f'"{rng.choice(["-", "https://shop.example.com/", "https://www.google.com/"])}" '
        f'"{_pick(rng, _AGENTS)}"'
    )
    if rng.random() < 0.6:
        return base, f"combined{klass}xx"
    upstreams = ", ".join(f"{_ip(rng)}:8080" for _ in range(rng.choice([1, 1, 1, 2, 3])))
    ingress = (
        f" {rng.randint(200, 2000)} {rng.random():.3f} [{_pick(rng, _NAMESPACES)}-"
        f"{_pick(rng, _APPS)}-80] [] {upstreams} {rng.randint(0, 60000)} {rng.random():.3f} "
        f"{_status(rng, klass)} {_hex(rng, 32)}"
    )
    return base + ingress, f"ingress{klass}xx"


def envoy(rng: random.Random, t: datetime) -> Line:
    """Envoy's default access log format."""
    klass = rng.choices([2, 4, 5], [85, 10, 5])[0]
    flags = "-" if klass != 5 else rng.choice(["UF", "UH", "URX", "UT"])
    line = (
        f'[{_iso(t)}] "{_pick(rng, _METHODS)} {_route(rng)} HTTP/1.1" {_status(rng, klass)} '
        f"{flags} {rng.randint(0, 5000)} {rng.randint(0, 90000)} {rng.randint(0, 900)} "
        f'{rng.randint(0, 900)} "{_ip(rng)}" "{_pick(rng, _AGENTS)}" "{_uuid(rng)}" '
        f'"{rng.choice(["api.example.com", "shop.example.com"])}" "{_ip(rng)}:8080"'
    )
    return line, f"envoy{klass}xx"


def rds_postgres(rng: random.Random, t: datetime) -> Line:
    """RDS PostgreSQL with ``log_line_prefix = %t:%r:%u@%d:[%p]:``."""
    user = _pick(rng, ["app_user", "readonly", "rdsadmin", "etl"])
    db = _pick(rng, _DBS)
    prefix = (
        f"{t.strftime('%Y-%m-%d %H:%M:%S')} UTC:{_ip(rng)}({rng.randint(30000, 65000)}):"
        f"{user}@{db}:[{rng.randint(1000, 32000)}]:"
    )
    table = _pick(rng, ["orders", "order_items", "users", "payments", "sessions"])
    kinds: list[tuple[str, float, Callable[[], str]]] = [
        (
            "duration",
            40,
            lambda: (
                f"LOG:  duration: {rng.random() * 900:.3f} ms  statement: SELECT * FROM {table} WHERE id = {rng.randint(1, 99999)}"
            ),
        ),
        (
            "conn_recv",
            15,
            lambda: f"LOG:  connection received: host={_ip(rng)} port={rng.randint(30000, 65000)}",
        ),
        (
            "conn_auth",
            15,
            lambda: (
                f"LOG:  connection authorized: user={user} database={db} SSL enabled (protocol=TLSv1.3, cipher=TLS_AES_256_GCM_SHA384, bits=256)"
            ),
        ),
        (
            "disconn",
            12,
            lambda: (
                f"LOG:  disconnection: session time: 0:00:{rng.randint(0, 59):02d}.{rng.randint(0, 999):03d} user={user} database={db} host={_ip(rng)} port={rng.randint(30000, 65000)}"
            ),
        ),
        (
            "dup",
            3,
            lambda: f'ERROR:  duplicate key value violates unique constraint "{table}_pkey"',
        ),
        ("deadlock", 0.5, lambda: "ERROR:  deadlock detected"),
        ("authfail", 1, lambda: f'FATAL:  password authentication failed for user "{user}"'),
        (
            "checkpoint",
            2,
            lambda: (
                f"LOG:  checkpoint complete: wrote {rng.randint(1, 9000)} buffers ({rng.random() * 10:.1f}%); 0 WAL file(s) added, 0 removed, {rng.randint(0, 9)} recycled"
            ),
        ),
    ]
    kind, make = _choose(rng, kinds)
    return prefix + make(), kind


def kubelet(rng: random.Random, t: datetime) -> Line:
    """klog lines from kubelet; SyncLoop events differ only by their verb."""
    pod = f"{_pick(rng, _NAMESPACES)}/{_pod(rng)}"
    head = (
        f"{rng.choice('IIIIW')}{t.strftime('%m%d %H:%M:%S')}.{t.microsecond:06d}    "
        f"{rng.randint(1000, 9999)} "
    )
    kinds: list[tuple[str, float, str, Callable[[], str]]] = [
        (
            "sync_update",
            30,
            "kubelet.go:2445",
            lambda: f'"SyncLoop UPDATE" source="api" pods=["{pod}"]',
        ),
        ("sync_add", 10, "kubelet.go:2429", lambda: f'"SyncLoop ADD" source="api" pods=["{pod}"]'),
        (
            "sync_delete",
            2,
            "kubelet.go:2451",
            lambda: f'"SyncLoop DELETE" source="api" pods=["{pod}"]',
        ),
        (
            "sync_remove",
            2,
            "kubelet.go:2445",
            lambda: f'"SyncLoop REMOVE" source="api" pods=["{pod}"]',
        ),
        (
            "probe",
            20,
            "prober.go:107",
            lambda: (
                f'"Probe failed" probeType="{rng.choice(["Readiness", "Liveness"])}" pod="{pod}" podUID={_uuid(rng)} containerName="{_pick(rng, _APPS)}" probeResult=failure output="Get \\"http://{_ip(rng)}:8080/healthz\\": dial tcp {_ip(rng)}:8080: connect: connection refused"'
            ),
        ),
        (
            "volume",
            15,
            "reconciler_common.go:258",
            lambda: (
                f'"operationExecutor.VerifyControllerAttachedVolume started for volume \\"kube-api-access-{_hex(rng, 5)}\\" (UniqueName: \\"kubernetes.io/projected/{_uuid(rng)}-kube-api-access-{_hex(rng, 5)}\\") pod \\"{_pod(rng)}\\" (UID: \\"{_uuid(rng)}\\") " pod="{pod}"'
            ),
        ),
        (
            "evict",
            0.5,
            "eviction_manager.go:366",
            lambda: (
                f'"Eviction manager: attempting to reclaim" resourceName="{rng.choice(["memory", "ephemeral-storage"])}"'
            ),
        ),
    ]
    kind, weight_make = _choose(rng, [(k, w, (c, m)) for k, w, c, m in kinds])
    caller, make = weight_make
    return f"{head}{caller}] {make()}", kind


def k8s_events(rng: random.Random, t: datetime) -> Line:
    """Kubernetes Event objects as JSON (``kubectl get events -o json``, event exporters)."""
    pod = _pod(rng)
    ns = _pick(rng, _NAMESPACES)
    node = f"ip-10-0-{rng.randint(0, 9)}-{rng.randint(1, 250)}.ec2.internal"
    kinds: list[tuple[str, float, str, str, Callable[[], str]]] = [
        (
            "scheduled",
            20,
            "Normal",
            "Scheduled",
            lambda: f"Successfully assigned {ns}/{pod} to {node}",
        ),
        (
            "pulled",
            20,
            "Normal",
            "Pulled",
            lambda: (
                f'Container image "123456789012.dkr.ecr.us-east-1.amazonaws.com/{_pick(rng, _APPS)}:v{rng.randint(1, 40)}" already present on machine'
            ),
        ),
        ("created", 20, "Normal", "Created", lambda: f"Created container {_pick(rng, _APPS)}"),
        ("started", 20, "Normal", "Started", lambda: f"Started container {_pick(rng, _APPS)}"),
        (
            "backoff",
            4,
            "Warning",
            "BackOff",
            lambda: (
                f"Back-off restarting failed container {_pick(rng, _APPS)} in pod {pod}_{ns}({_uuid(rng)})"
            ),
        ),
        (
            "unhealthy",
            5,
            "Warning",
            "Unhealthy",
            lambda: (
                f"Readiness probe failed: HTTP probe failed with statuscode: {rng.choice([500, 503])}"
            ),
        ),
        (
            "oom",
            0.5,
            "Warning",
            "OOMKilling",
            lambda: (
                f"Memory cgroup out of memory: Killed process {rng.randint(100, 99999)} ({_pick(rng, _APPS)})"
            ),
        ),
    ]
    kind, rest = _choose(rng, [(k, w, (ty, r, m)) for k, w, ty, r, m in kinds])
    etype, reason, make = rest
    record = {
        "kind": "Event",
        "metadata": {"name": f"{pod}.{_hex(rng, 16)}", "namespace": ns},
        "involvedObject": {"kind": "Pod", "name": pod, "namespace": ns, "uid": _uuid(rng)},
        "reason": reason,
        "message": make(),
        "type": etype,
        "count": rng.randint(1, 30),
        "lastTimestamp": t.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    return json.dumps(record), kind


def lambda_platform(rng: random.Random, t: datetime) -> Line:
    """Lambda platform START/END/REPORT lines and a function's own tab-separated lines."""
    rid = _uuid(rng)
    dur = rng.random() * 900
    kinds: list[tuple[str, float, Callable[[], str]]] = [
        ("start", 20, lambda: f"START RequestId: {rid} Version: $LATEST"),
        ("end", 20, lambda: f"END RequestId: {rid}"),
        (
            "report",
            18,
            lambda: (
                f"REPORT RequestId: {rid}\tDuration: {dur:.2f} ms\tBilled Duration: {int(dur) + 1} ms\tMemory Size: 512 MB\tMax Memory Used: {rng.randint(60, 500)} MB\t"
            ),
        ),
        (
            "report_init",
            2,
            lambda: (
                f"REPORT RequestId: {rid}\tDuration: {dur:.2f} ms\tBilled Duration: {int(dur) + 1} ms\tMemory Size: 512 MB\tMax Memory Used: {rng.randint(60, 500)} MB\tInit Duration: {rng.random() * 900:.2f} ms\t"
            ),
        ),
        (
            "app_info",
            25,
            lambda: (
                f"{_iso(t)}\t{rid}\tINFO\tProcessing record {rng.randint(1, 9999)} from queue {rng.choice(['orders', 'refunds'])}"
            ),
        ),
        (
            "timeout",
            0.5,
            lambda: f"{_iso(t)} {rid} Task timed out after {rng.choice([3, 15, 30])}.00 seconds",
        ),
        (
            "app_error",
            1,
            lambda: (
                f'{_iso(t)}\t{rid}\tERROR\tInvoke Error \t{{"errorType":"TypeError","errorMessage":"Cannot read properties of undefined (reading \'{rng.choice(["id", "items", "name"])}\')"}}'
            ),
        ),
    ]
    kind, make = _choose(rng, kinds)
    return make(), kind


def cloudtrail(rng: random.Random, t: datetime) -> Line:
    """CloudTrail-like records: no message; the event is eventSource + eventName."""
    calls = [
        ("s3.amazonaws.com", "GetObject", 40), ("s3.amazonaws.com", "PutObject", 20),
        ("sts.amazonaws.com", "AssumeRole", 15), ("kms.amazonaws.com", "Decrypt", 15),
        ("ec2.amazonaws.com", "DescribeInstances", 8), ("iam.amazonaws.com", "CreateAccessKey", 0.3),
        ("ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", 0.3),
    ]  # fmt: skip
    source, name, _ = rng.choices(calls, [c[2] for c in calls])[0]
    denied = rng.random() < 0.04
    record: dict[str, object] = {
        "eventVersion": "1.08",
        "userIdentity": {
            "type": "AssumedRole",
            "principalId": f"AROA{_hex(rng, 16).upper()}:{rng.choice(_USERS)}",
            "arn": f"arn:aws:sts::123456789012:assumed-role/{rng.choice(['deploy', 'app', 'admin'])}/{rng.choice(_USERS)}",
            "accountId": "123456789012",
        },
        "eventTime": t.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "eventSource": source,
        "eventName": name,
        "awsRegion": _pick(rng, _REGIONS),
        "sourceIPAddress": rng.choice([_ip(rng), "AWS Internal", source]),
        "userAgent": _pick(
            rng, ["aws-sdk-go/1.44.0", "Boto3/1.34.0", "console.amazonaws.com", "aws-cli/2.15.0"]
        ),
        "requestParameters": {"bucketName": rng.choice(["logs", "assets"]), "key": _hex(rng, 12)}
        if source == "s3.amazonaws.com"
        else {"roleSessionName": rng.choice(_USERS)},
        "requestID": _hex(rng, 16).upper(),
        "eventID": _uuid(rng),
        "readOnly": name.startswith(("Get", "Describe", "Decrypt")),
        "eventType": "AwsApiCall",
    }
    kind = f"{name}"
    if denied:
        record["errorCode"] = "AccessDenied"
        record["errorMessage"] = "User is not authorized to perform this operation"
        kind += ":denied"
    return json.dumps(record), kind


def java_service(rng: random.Random, t: datetime) -> Line:
    """Spring Boot default console pattern."""
    head = (
        f"{t.strftime('%Y-%m-%d %H:%M:%S')}.{t.microsecond // 1000:03d}  "
        f"{{lvl}} 1 --- [nio-8080-exec-{rng.randint(1, 10)}] "
    )
    kinds: list[tuple[str, float, str, Callable[[], str]]] = [
        (
            "created",
            30,
            "INFO",
            lambda: (
                f"c.e.shop.web.OrderController   : Created order {rng.randint(1, 99999)} for customer {_uuid(rng)}"
            ),
        ),
        (
            "cache",
            25,
            "DEBUG",
            lambda: (
                f"o.s.cache.interceptor.CacheAspect : Cache entry for key '{rng.choice(['product', 'price'])}::{rng.randint(1, 9999)}' found in cache '{rng.choice(['products', 'prices'])}'"
            ),
        ),
        (
            "hikari",
            5,
            "WARN",
            lambda: (
                f"com.zaxxer.hikari.pool.HikariPool : HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta={rng.randint(1, 59)}s{rng.randint(1, 999)}ms)."
            ),
        ),
        (
            "sql",
            3,
            "ERROR",
            lambda: (
                "o.h.engine.jdbc.spi.SqlExceptionHelper : ERROR: could not serialize access due to concurrent update"
            ),
        ),
        (
            "started",
            0.3,
            "INFO",
            lambda: (
                f"c.e.shop.ShopApplication : Started ShopApplication in {rng.random() * 20:.3f} seconds (process running for {rng.random() * 25:.3f})"
            ),
        ),
        (
            "slow",
            4,
            "WARN",
            lambda: (
                f"c.e.shop.web.RequestTimer : Slow request {_pick(rng, _METHODS)} {_route(rng)} took {rng.randint(1000, 9000)} ms"
            ),
        ),
    ]
    kind, rest = _choose(rng, [(k, w, (lv, m)) for k, w, lv, m in kinds])
    level, make = rest
    return head.replace("{lvl}", f"{level:>5}") + make(), kind


def python_service(rng: random.Random, t: datetime) -> Line:
    """Python logging with ``%(asctime)s - %(name)s - %(levelname)s - %(message)s`` (Celery)."""
    stamp = t.strftime("%Y-%m-%d %H:%M:%S") + f",{t.microsecond // 1000:03d}"
    task = _pick(rng, ["tasks.send_email", "tasks.resize_image", "tasks.sync_inventory"])
    kinds: list[tuple[str, float, str, Callable[[], str]]] = [
        (
            "received",
            30,
            "celery.worker.strategy - INFO",
            lambda: f"Task {task}[{_uuid(rng)}] received",
        ),
        (
            "succeeded",
            28,
            "celery.app.trace - INFO",
            lambda: (
                f"Task {task}[{_uuid(rng)}] succeeded in {rng.random() * 5:.6f}s: {rng.choice(['None', 'True', repr(rng.randint(1, 99))])}"
            ),
        ),
        (
            "retry",
            3,
            "celery.app.trace - INFO",
            lambda: (
                f"Task {task}[{_uuid(rng)}] retry: Retry in {rng.choice([10, 30, 60])}s: ConnectionError()"
            ),
        ),
        (
            "raised",
            1,
            "celery.app.trace - ERROR",
            lambda: (
                f"Task {task}[{_uuid(rng)}] raised unexpected: {rng.choice(['KeyError', 'ValueError'])}('{rng.choice(['sku', 'width', 'email'])}')"
            ),
        ),
        (
            "heartbeat",
            2,
            "celery.worker.consumer.gossip - INFO",
            lambda: f"missed heartbeat from celery@{_pod(rng)}",
        ),
    ]
    kind, rest = _choose(rng, [(k, w, (h, m)) for k, w, h, m in kinds])
    head, make = rest
    return f"{stamp} - {head} - {make()}", kind


def redis(rng: random.Random, t: datetime) -> Line:
    """Redis server log."""
    head = f"{rng.randint(1, 9)}:M {t.strftime('%d %b %Y %H:%M:%S')}.{t.microsecond // 1000:03d} "
    kinds: list[tuple[str, float, Callable[[], str]]] = [
        (
            "changes",
            30,
            lambda: (
                f"* {rng.randint(1, 10000)} changes in {rng.choice([60, 300, 900])} seconds. Saving..."
            ),
        ),
        ("bgsave", 30, lambda: f"* Background saving started by pid {rng.randint(100, 99999)}"),
        ("done", 29, lambda: "* Background saving terminated with success"),
        ("oom", 1, lambda: "# Can't save in background: fork: Cannot allocate memory"),
        ("client", 5, lambda: f"- Accepted {_ip(rng)}:{rng.randint(30000, 65000)}"),
    ]
    kind, make = _choose(rng, kinds)
    return head + make(), kind


def systemd(rng: random.Random, t: datetime) -> Line:
    """systemd journal exported as syslog text from EC2 hosts."""
    host = f"ip-10-0-{rng.randint(0, 3)}-{rng.randint(1, 250)}"
    head = f"{t.strftime('%b %d %H:%M:%S')} {host} "
    unit = _pick(rng, ["amazon-ssm-agent", "docker", "containerd", "kubelet", "chronyd"])
    kinds: list[tuple[str, float, Callable[[], str]]] = [
        (
            "session",
            25,
            lambda: (
                f"systemd[1]: Started Session {rng.randint(1, 9999)} of User {rng.choice(['ec2-user', 'root', 'ssm-user'])}."
            ),
        ),
        ("started", 20, lambda: f"systemd[1]: Started {unit}.service."),
        ("stopped", 5, lambda: f"systemd[1]: Stopped {unit}.service."),
        (
            "failed",
            1,
            lambda: (
                f"systemd[1]: {unit}.service: Main process exited, code=exited, status={rng.randint(1, 3)}/FAILURE"
            ),
        ),
        (
            "dhcp",
            15,
            lambda: (
                f"dhclient[{rng.randint(100, 9999)}]: XMT: Solicit on eth0, interval {rng.randint(100, 120000)}ms."
            ),
        ),
        (
            "chrony",
            10,
            lambda: f"chronyd[{rng.randint(100, 9999)}]: Selected source 169.254.169.123",
        ),
    ]
    kind, make = _choose(rng, kinds)
    return head + make(), kind


def kafka(rng: random.Random, t: datetime) -> Line:
    """Kafka broker (log4j with ``[component]`` tags and a trailing logger in parentheses)."""
    head = f"[{t.strftime('%Y-%m-%d %H:%M:%S')},{t.microsecond // 1000:03d}] "
    topic = _pick(rng, ["orders", "payments", "clicks", "audit"])
    group = _pick(rng, ["billing-consumer", "search-indexer", "analytics"])
    kinds: list[tuple[str, float, Callable[[], str]]] = [
        (
            "roll",
            30,
            lambda: (
                f"INFO [ProducerStateManager partition={topic}-{rng.randint(0, 11)}] Wrote producer snapshot at offset {rng.randint(1, 10**7)} with 0 producer ids in {rng.randint(1, 40)} ms. (kafka.log.ProducerStateManager)"
            ),
        ),
        (
            "rebalance",
            10,
            lambda: (
                f"INFO [GroupCoordinator {rng.randint(1, 3)}]: Preparing to rebalance group {group} in state PreparingRebalance with old generation {rng.randint(1, 500)} (__consumer_offsets-{rng.randint(0, 49)}) (reason: Adding new member consumer-{group}-{rng.randint(1, 9)}-{_uuid(rng)} with group instance id None) (kafka.coordinator.group.GroupCoordinator)"
            ),
        ),
        (
            "stabilized",
            10,
            lambda: (
                f"INFO [GroupCoordinator {rng.randint(1, 3)}]: Stabilized group {group} generation {rng.randint(1, 500)} (__consumer_offsets-{rng.randint(0, 49)}) with {rng.randint(1, 9)} members (kafka.coordinator.group.GroupCoordinator)"
            ),
        ),
        (
            "isr_shrink",
            2,
            lambda: (
                f"INFO [Partition {topic}-{rng.randint(0, 11)} broker={rng.randint(1, 3)}] Shrinking ISR from {rng.randint(1, 3)},{rng.randint(1, 3)},{rng.randint(1, 3)} to {rng.randint(1, 3)},{rng.randint(1, 3)}. Leader: (highWatermark: {rng.randint(1, 10**6)}, endOffset: {rng.randint(1, 10**6)}). Out of sync replicas: (brokerId: {rng.randint(1, 3)}, endOffset: {rng.randint(1, 10**6)}). (kafka.cluster.Partition)"
            ),
        ),
        (
            "fetch_error",
            0.7,
            lambda: (
                f"WARN [ReplicaFetcher replicaId={rng.randint(1, 3)}, leaderId={rng.randint(1, 3)}, fetcherId=0] Error in response for fetch request (type=FetchRequest, replicaId={rng.randint(1, 3)}, maxWait=500, minBytes=1, maxBytes=10485760) (kafka.server.ReplicaFetcherThread)"
            ),
        ),
    ]
    kind, make = _choose(rng, kinds)
    return head + make(), kind


def ci_runner(rng: random.Random, t: datetime) -> Line:
    """GitHub Actions runner output with pytest lines: test modules have a handful of values."""
    stamp = t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond:06d}0Z "
    module = _pick(
        rng,
        [
            "tests/core/test_cache.py",
            "tests/core/test_sources.py",
            "tests/api/test_orders.py",
            "tests/api/test_users.py",
        ],
    )
    test = rng.choice(["test_read", "test_write", "test_expiry", "test_retry", "test_empty"])
    kinds: list[tuple[str, float, Callable[[], str]]] = [
        (
            "passed",
            60,
            lambda: (
                f"{module}::{test}[case{rng.randint(0, 9)}] PASSED {'':<10}[{rng.randint(1, 99):3d}%]"
            ),
        ),
        (
            "failed",
            2,
            lambda: (
                f"{module}::{test}[case{rng.randint(0, 9)}] FAILED {'':<10}[{rng.randint(1, 99):3d}%]"
            ),
        ),
        (
            "skipped",
            5,
            lambda: f"{module}::{test} SKIPPED (requires docker) [{rng.randint(1, 99):3d}%]",
        ),
        (
            "group",
            6,
            lambda: (
                f"##[group]Run {rng.choice(['actions/checkout@v4', 'actions/setup-python@v5', 'actions/cache@v4'])}"
            ),
        ),
        ("endgroup", 6, lambda: "##[endgroup]"),
        ("error", 0.5, lambda: f"##[error]Process completed with exit code {rng.randint(1, 2)}."),
        (
            "download",
            4,
            lambda: (
                f"Downloading {rng.choice(['pytest', 'ruff', 'mypy', 'httpx'])}-{rng.randint(1, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}-py3-none-any.whl ({rng.randint(10, 999)} kB)"
            ),
        ),
    ]
    kind, make = _choose(rng, kinds)
    return stamp + make(), kind


def reconciler(rng: random.Random, t: datetime) -> Line:
    """A controller whose events differ only by a verb: a DELETE must not hide among UPDATEs."""
    verb = rng.choices(["UPDATE", "ADD", "DELETE"], [85, 12, 3])[0]
    stamp = t.strftime("%Y-%m-%dT%H:%M:%SZ")
    cidr = f"10.{rng.randint(0, 255)}.0.0/16"
    if rng.random() < 0.5:
        line = (
            f"{stamp} INFO route-controller: {verb} route {cidr} via "
            f"igw-{_hex(rng, 8)} in table rtb-{_hex(rng, 8)}"
        )
        return line, f"route_{verb}"
    line = f"{stamp} INFO dns-sync: {verb} record {rng.choice(_WORDS)}.example.com A {_ip(rng)}"
    return line, f"dns_{verb}"


SYSTEMS: dict[str, Callable[[random.Random, datetime], Line]] = {
    "json_app": json_app,
    "json_nomsg": json_nomsg,
    "nested_json": nested_json,
    "logfmt": logfmt,
    "otel": otel,
    "nginx": nginx,
    "envoy": envoy,
    "rds_postgres": rds_postgres,
    "kubelet": kubelet,
    "k8s_events": k8s_events,
    "lambda": lambda_platform,
    "cloudtrail": cloudtrail,
    "java_service": java_service,
    "python_service": python_service,
    "redis": redis,
    "systemd": systemd,
    "reconciler": reconciler,
    "kafka": kafka,
    "ci_runner": ci_runner,
}

_K = TypeVar("_K")


def _choose(rng: random.Random, kinds: list[tuple[str, float, _K]]) -> tuple[str, _K]:
    """A kind, by weight, and what makes it."""
    kind, _, make = rng.choices(kinds, [k[1] for k in kinds])[0]
    return kind, make


def generate(
    system: str, lines: int = LINES_PER_SYSTEM, seed: int = 0
) -> tuple[list[str], list[str]]:
    """``lines`` raw lines of ``system`` and their true template ids, the same for one seed."""
    rng = random.Random(f"{system}:{seed}")
    make = SYSTEMS[system]
    t = datetime(2026, 3, 1, 8, 0, 0, tzinfo=UTC)
    out: list[str] = []
    labels: list[str] = []
    for _ in range(lines):
        t += timedelta(milliseconds=rng.randint(1, 4000))
        line, kind = make(rng, t)
        out.append(line)
        labels.append(kind)
    return out, labels


def main() -> int:
    if len(sys.argv) != 2:
        print("usage: modern_corpus.py OUTDIR", file=sys.stderr)
        return 2
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for system in SYSTEMS:
        lines, labels = generate(system)
        (out / f"{system}.log").write_text("\n".join(lines) + "\n", encoding="utf-8")
        (out / f"{system}.labels").write_text("\n".join(labels) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
