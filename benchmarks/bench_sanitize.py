"""Sanitizer quality and speed: recall, damage to clean lines, MB/s through ``logai sanitize``.

Targets (issue 3): recall >= 0.99 of the labeled values in ``tests/fixtures/sanitize``, at most
1% of its negative lines changed, and >= 30 MB/s end to end through ``logai sanitize`` on ~50 MB
of mixed log text in which 80% of the lines hold no PII.

Run: ``python benchmarks/bench_sanitize.py [--mb 50] [--keep DIR] [--baseline-ref REF]...``. The log
text is generated (seeded, so every run sees the same bytes) into a temporary directory and
deleted afterwards. In the same run, interleaved with the timed runs of the current rules, it
times the previous rule set: the default pack without the rule families of issues 13 and 18
(switched off with ``LOGAI_SANITIZER_DISABLED_RULES``), and with ``--baseline-ref`` the
``logai-core`` of that git commit.
Besides wall-clock MB/s it prints MB/s of CPU time (user + system of the child): on a shared
machine the wall clock also measures the neighbours, the CPU time only the sanitizer.
A naive nine-regex sanitizer runs on the same input and corpus for context.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "fixtures" / "sanitize" / "corpus.jsonl"

#: The rules added for datastore credentials, connection strings, URL-encoded values, national
#: and financial identifiers, session cookies, chat-ops webhooks, vendor tokens, device
#: identifiers, kubeconfig credentials and cookie jars (issues 13 and 18): switched off, the
#: default pack is the previous rule set.
NEW_FAMILY_RULES = (
    "sql_password", "sql_password_replace", "redis_auth", "redis_acl_password",
    "mongodb_password", "broker_cli_password", "mysql_password_hash", "postgres_password_hash",
    "connection_string_password", "connection_string_key", "encoded_phone",
    "iban", "us_itin", "es_nie", "es_dni", "uk_nino", "ca_sin", "passport_number",
    "date_of_birth", "session_cookie", "har_session_cookie", "teams_webhook_url",
    "workflow_trigger_url", "chat_hook_url", "google_chat_webhook_url", "chat_robot_webhook_url",
    "docker_hub_token", "vault_token", "terraform_cloud_token", "digitalocean_token",
    "shopify_token", "mailgun_api_key", "new_relic_key", "grafana_token", "sentry_token",
    "doppler_token", "linear_api_key", "atlassian_api_token", "postman_api_key",
    "databricks_token", "twilio_api_key", "advertising_id", "device_id", "push_token",
    "mac_address", "imei", "kubeconfig_client_data", "cookie_jar_session",
)  # fmt: skip


# -- quality on the labeled corpus ---------------------------------------------------------------


def corpus_quality(sanitize: Callable[[str], str]) -> tuple[float, float, int, int]:
    """``(recall, share of negative lines changed, labeled values, negative lines)``."""
    found = total = changed = negatives = 0
    for entry in corpus_entries():
        line, secrets = entry["line"], entry["secrets"]
        out = sanitize(line)
        if secrets:
            total += len(secrets)
            found += sum(secret not in out for secret in secrets)
        else:
            negatives += 1
            changed += out != line
    return found / total, changed / negatives, total, negatives


def corpus_entries() -> Iterator[dict[str, object]]:
    for raw in CORPUS.read_text(encoding="utf-8").splitlines():
        if raw.strip():
            yield json.loads(raw)


def family_quality(sanitize: Callable[[str], str]) -> dict[str, tuple[int, int, int, int]]:
    """Per ``family`` label: ``(values redacted, labeled values, negatives changed, negatives)``."""
    families: dict[str, list[int]] = {}
    for entry in corpus_entries():
        family = entry.get("family")
        if not isinstance(family, str):
            continue
        line, secrets = str(entry["line"]), list(entry["secrets"])  # type: ignore[call-overload]
        counts = families.setdefault(family, [0, 0, 0, 0])
        out = sanitize(line)
        if secrets:
            counts[0] += sum(secret not in out for secret in secrets)
            counts[1] += len(secrets)
        else:
            counts[2] += out != line
            counts[3] += 1
    return {family: (c[0], c[1], c[2], c[3]) for family, c in sorted(families.items())}


# -- generated mixed log text ---------------------------------------------------------------------


class LogFaker:
    """Realistic log lines from a seeded RNG: clean ones and ones carrying PII or secrets."""

    def __init__(self, seed: int = 20261125) -> None:
        self.rng = random.Random(seed)

    def hex(self, n: int) -> str:
        return "".join(self.rng.choice("0123456789abcdef") for _ in range(n))

    def uuid(self) -> str:
        h = self.hex(32)
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"

    def ts(self) -> str:
        r = self.rng
        return (
            f"2026-11-{r.randint(1, 28):02d}T{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:"
            f"{r.randint(0, 59):02d}.{r.randint(0, 999):03d}Z"
        )

    def word(self) -> str:
        return self.rng.choice(
            ["orders", "billing", "inventory", "checkout", "search", "auth", "catalog", "users"]
        )

    def clean(self) -> str:
        r = self.rng
        n = r.randrange(16)
        if n == 0:
            return (
                f'{{"timestamp":"{self.ts()}","level":"INFO","logger":"api.http","message":'
                f'"GET /api/v1/{self.word()}/{r.randint(1, 99999)} {r.choice([200, 201, 304])}",'
                f'"duration_ms":{r.random() * 300:.1f},"request_id":"{self.uuid()}",'
                f'"bytes":{r.randint(100, 99999)}}}'
            )
        if n == 1:
            return (
                f"REPORT RequestId: {self.uuid()}\tDuration: {r.random() * 900:.2f} ms\t"
                f"Billed Duration: {r.randint(1, 900)} ms\tMemory Size: 512 MB\t"
                f"Max Memory Used: {r.randint(60, 500)} MB"
            )
        if n == 2:
            return f"START RequestId: {self.uuid()} Version: $LATEST"
        if n == 3:
            return (
                f"\tat com.example.{self.word()}.service.OrderService.process"
                f"(OrderService.java:{r.randint(20, 900)})"
            )
        if n == 4:
            return f'  File "/app/{self.word()}/handlers.py", line {r.randint(1, 600)}, in handle'
        if n == 5:
            return (
                f"{self.ts()} WARN [{self.word()}-worker-{r.randint(1, 16)}] retrying "
                f"{self.word()} call after {r.randint(1, 30)}s (attempt {r.randint(1, 5)}/5)"
            )
        if n == 6:
            return (
                f"I1125 10:{r.randint(10, 59)}:{r.randint(10, 59)}.{r.randint(0, 999999):06d}"
                f"       1 controller.go:{r.randint(10, 400)}] Successfully synced "
                f'"default/{self.word()}-{self.hex(10)}-{self.hex(5)}"'
            )
        if n == 7:
            return (
                f"{self.ts()} INFO deployed commit {self.hex(40)} image "
                f"registry.example.com/{self.word()}@sha256:{self.hex(64)}"
            )
        if n == 8:
            return (
                f"{self.ts()} INFO invoking arn:aws:lambda:eu-west-1:123456789012:function:"
                f"{self.word()}-api in {r.randint(1, 999)} ms"
            )
        if n == 9:
            return (
                f"{self.ts()} DEBUG wrote s3://logs-{self.word()}/2026/11/"
                f"{r.randint(1, 28):02d}/part-{r.randint(0, 9999):05d}.json.gz "
                f"({r.randint(1000, 99_000_000)} bytes)"
            )
        if n == 10:
            return (
                f"SELECT id, status, total FROM {self.word()} WHERE updated_at > "
                f"'2026-11-25 10:00:00' ORDER BY id LIMIT {r.randint(10, 500)}"
            )
        if n == 11:
            return (
                f"{self.ts()} INFO {self.word()} v{r.randint(1, 9)}.{r.randint(0, 30)}."
                f"{r.randint(0, 99)} started on python 3.11.7, pid {r.randint(100, 65000)}"
            )
        if n == 12:
            return (
                f'{{"ts":{r.randint(1_760_000_000_000, 1_790_000_000_000)},"event":'
                f'"cache_miss","key":"{self.word()}:{r.randint(1, 99999)}","ttl_s":300}}'
            )
        if n == 13:
            return (
                f"{self.ts()} ERROR {self.word()} failed: TimeoutError('read timed out after "
                f"{r.randint(1, 60)}s') trace_id=1-{self.hex(8)}-{self.hex(24)}"
            )
        if n == 14:
            return (
                f"{self.ts()} INFO llm call model=claude-sonnet prompt_tokens="
                f"{r.randint(100, 9000)} completion_tokens={r.randint(10, 2000)} "
                f"next_token=eyJvZmZzZXQiOiAxfQ"
            )
        return (
            f"{self.ts()} INFO GET /health 200 {r.randint(1, 30)}ms "
            f'user_agent="kube-probe/1.{r.randint(25, 31)}"'
        )

    def dirty(self) -> str:
        r = self.rng
        n = r.randrange(12)
        ip = f"{r.randint(11, 223)}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}"
        user = f"{r.choice(['jane', 'omar', 'li', 'anna', 'raj'])}.{self.hex(4)}"
        if n == 0:
            return (
                f"{ip} - - [25/Nov/2026:10:{r.randint(10, 59)}:{r.randint(10, 59)} +0000] "
                f'"GET /{self.word()}?page={r.randint(1, 9)} HTTP/1.1" 200 {r.randint(200, 9999)}'
                f' "-" "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0.0.0 Safari/537.36"'
            )
        if n == 1:
            return f"{self.ts()} INFO signup email={user}@example.com plan=pro"
        if n == 2:
            return (
                f'{{"level":"ERROR","msg":"payment declined","card":"4111 1111 1111 1111",'
                f'"customer":"{user}@corp.example.org","request_id":"{self.uuid()}"}}'
            )
        if n == 3:
            return f"{self.ts()} DEBUG boto3 credentials AKIAIOSFODNN7EXAMPLE from env"
        if n == 4:
            return (
                f"{self.ts()} INFO outgoing headers {{'Authorization': 'Bearer eyJhbGciOiJIUzI1NiJ9"
                f".eyJzdWIiOiJ1c2VyLXt9In0.{self.hex(43)}', 'Accept': 'application/json'}}"
            )
        if n == 5:
            return (
                f"{self.ts()} ERROR db connect failed postgres://svc:{self.hex(12)}"
                f"@db-{self.word()}.internal:5432/{self.word()}"
            )
        if n == 6:
            return f"{self.ts()} INFO callback requested by +1 415-555-{r.randint(1000, 9999)}"
        if n == 7:
            return f"{self.ts()} WARN client [2001:db8::{self.hex(4)}]:443 reset the connection"
        if n == 8:
            return f'{{"event":"kyc_check","ssn":"078-05-{r.randint(1001, 9999)}","result":"ok"}}'
        if n == 9:
            return f"{self.ts()} DEBUG config loaded password={self.hex(10)} pool=8"
        if n == 10:
            return (
                f"{self.ts()} INFO request from {ip} X-Api-Key: {self.hex(32)} "
                f"path=/v1/{self.word()}"
            )
        return f"{self.ts()} INFO webhook {ip}:{r.randint(1024, 65535)} -> {user}@example.net"

    def lines(self, dirty_share: float = 0.2) -> Iterator[str]:
        while True:
            yield self.dirty() if self.rng.random() < dirty_share else self.clean()


def write_mixed_log(path: Path, megabytes: float) -> int:
    """Write ~``megabytes`` of mixed log lines to ``path``; return the number of lines."""
    target = int(megabytes * 1_000_000)
    size = count = 0
    with path.open("w", encoding="utf-8", newline="\n") as out:
        batch: list[str] = []
        for line in LogFaker().lines():
            batch.append(line)
            size += len(line) + 1
            count += 1
            if len(batch) == 10_000 or size >= target:
                out.write("\n".join(batch) + "\n")
                batch.clear()
            if size >= target:
                return count
    return count  # pragma: no cover - the generator is endless


# -- throughput through the command line ----------------------------------------------------------


def logai_command() -> list[str]:
    return [sys.executable, "-m", "logai", "sanitize"]


def run_cli(path: Path, out_path: Path, env: dict[str, str] | None = None) -> tuple[float, float]:
    """``(wall seconds, CPU seconds)`` of ``logai sanitize path > out_path``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with out_path.open("wb") as out:
        subprocess.run(
            [*logai_command(), str(path)],
            stdout=out,
            check=True,
            env={**os.environ, **(env or {})},
        )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


# -- the naive baseline ----------------------------------------------------------------------------

NAIVE = [
    re.compile(p)
    for p in (
        r"[\w.+-]+@[\w-]+\.[\w.-]+",
        r"\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b",
        r"\b(?:\d[ -]?){13,16}\b",
        r"\b\d{3}-\d{2}-\d{4}\b",
        r"\+?\d[\d -]{8,}\d",
        r"AKIA[0-9A-Z]{16}",
        r"eyJ[\w-]+\.[\w-]+\.[\w-]+",
        r"(?i)password\s*[=:]\s*\S+",
        r"(?i)bearer\s+\S+",
    )
]


def naive_sanitize(text: str) -> str:
    for pattern in NAIVE:
        text = pattern.sub("<REDACTED>", text)
    return text


def naive_throughput(path: Path, megabytes: float = 5.0) -> float:
    data = path.read_text(encoding="utf-8")[: int(megabytes * 1_000_000)]
    started = time.process_time()
    for line in data.split("\n"):
        naive_sanitize(line)
    return len(data) / 1e6 / (time.process_time() - started)


def export_core(ref: str, folder: Path) -> Path:
    """``logai-core/src`` as of git ``ref``, extracted under ``folder``; its path."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", ref, "logai-core/src"],
        check=True,
        capture_output=True,
    ).stdout
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder / "logai-core" / "src"


def count_lines(path: Path) -> int:
    with path.open("rb") as produced:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: produced.read(1 << 20), b""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=50.0, help="size of the generated log text")
    parser.add_argument("--keep", type=Path, help="write the generated log here and keep it")
    parser.add_argument("--runs", type=int, default=3, help="timed runs (best one counts)")
    parser.add_argument(
        "--baseline-ref",
        action="append",
        default=[],
        help="also time the logai-core of this git commit (e.g. main); repeatable",
    )
    args = parser.parse_args()

    from logai.sanitize import Sanitizer

    sanitizer = Sanitizer.from_plugins()
    recall, damage, labeled, negatives = corpus_quality(lambda s: sanitizer.sanitize_text(s)[0])
    print(f"corpus: {labeled} labeled values, {negatives} negative lines ({CORPUS.name})")
    print(f"  logai      recall {recall:.4f}   negative lines changed {damage:.2%}")
    n_recall, n_damage, _, _ = corpus_quality(naive_sanitize)
    print(f"  naive 9-re recall {n_recall:.4f}   negative lines changed {n_damage:.2%}")
    for family, (redacted, labeled_values, changed, family_negatives) in family_quality(
        lambda s: sanitizer.sanitize_text(s)[0]
    ).items():
        recall_text = f"{redacted / labeled_values:.4f}" if labeled_values else "-"
        print(
            f"  family {family:<20} recall {recall_text} of {labeled_values:3d}   "
            f"negative lines changed {changed}/{family_negatives}"
        )

    with tempfile.TemporaryDirectory(prefix="logai-bench-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        log, out = folder / "mixed.log", folder / "mixed.sanitized.log"
        lines = write_mixed_log(log, args.mb)
        size = log.stat().st_size
        print(f"throughput: {size / 1e6:.1f} MB, {lines} lines, 20% with PII ({log})")
        setups: dict[str, dict[str, str]] = {
            "current rules": {},
            "previous rules": {"LOGAI_SANITIZER_DISABLED_RULES": ",".join(NEW_FAMILY_RULES)},
        }
        for number, ref in enumerate(args.baseline_ref):
            baseline = export_core(ref, Path(tmp) / f"baseline-{number}")
            setups[f"logai-core@{ref}"] = {
                "PYTHONPATH": os.pathsep.join(
                    filter(None, [str(baseline), os.environ.get("PYTHONPATH")])
                )
            }
        best = {name: (float("inf"), float("inf")) for name in setups}
        for _ in range(args.runs):  # interleaved, so that load on the machine hits all alike
            for name, env in setups.items():
                wall, cpu = run_cli(log, out, env)
                best[name] = (min(best[name][0], wall), min(best[name][1], cpu))
                assert count_lines(out) == lines, f"{name}: output lines != {lines} input lines"
        current_cpu = best["current rules"][1]
        for name, (wall, cpu) in best.items():
            print(
                f"  logai sanitize  {size / 1e6 / wall:6.1f} MB/s wall   "
                f"{size / 1e6 / cpu:6.1f} MB/s CPU   {current_cpu / cpu:5.1%} of its CPU time  "
                f"{name} (best of {args.runs}, start-up included)"
            )
        print(f"  naive 9-re loop {naive_throughput(log):6.1f} MB/s CPU   (in-process, 5 MB)")


if __name__ == "__main__":
    main()
