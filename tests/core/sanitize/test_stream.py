"""Line-for-line streaming: what ``logai sanitize`` promises about its output."""

from __future__ import annotations

import io
import random

import pytest

from logai.sanitize import Sanitizer, default_rules
from logai.sanitize.stream import sanitize_stream

TRICKY_SEPARATORS = ["\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]


def run(data: bytes, block_size: int = 1 << 20) -> bytes:
    out = io.BytesIO()
    sanitize_stream(
        io.BufferedReader(io.BytesIO(data)), out, Sanitizer(default_rules()), block_size=block_size
    )
    return out.getvalue()


@pytest.mark.parametrize("separator", TRICKY_SEPARATORS)
def test_only_newline_ends_a_line(separator: str) -> None:
    data = f"mail jane@example.com{separator}ip 10.1.2.3\nsecond{separator}line\n".encode()
    out = run(data)
    assert out.count(b"\n") == 2
    assert out.decode() == f"mail <EMAIL_1>{separator}ip <IP_1>\nsecond{separator}line\n"


def test_crlf_line_endings_survive() -> None:
    assert run(b"a jane@example.com\r\nb\r\n") == b"a <EMAIL_1>\r\nb\r\n"


def test_invalid_utf8_is_replaced_never_dropped() -> None:
    data = b"bad \xff\xfe bytes jane@example.com\n\xc3(\nok\n"
    out = run(data)
    assert out == "bad \ufffd\ufffd bytes <EMAIL_1>\n\ufffd(\nok\n".encode()


@pytest.mark.parametrize("data", [b"", b"\n", b"\n\n\n", b"no newline at end", b"x\ny"])
def test_line_count_and_final_newline_are_kept(data: bytes) -> None:
    out = run(data)
    assert out.count(b"\n") == data.count(b"\n")
    assert out.endswith(b"\n") == data.endswith(b"\n")


@pytest.mark.parametrize("block_size", [7, 64, 1000])
def test_small_blocks_give_the_same_output_as_one_call(block_size: int) -> None:
    rng = random.Random(block_size)
    values = [
        "jane@example.com",
        "10.1.2.3",
        "4111 1111 1111 1111",
        "AKIAIOSFODNN7EXAMPLE",
        "password=hunter22",
        "+44 20 7946 0958",
        "plain words",
        "2001:db8::1",
    ]
    lines = [" ".join(rng.choice(values) for _ in range(rng.randint(0, 6))) for _ in range(300)]
    text = "\n".join(lines) + "\n"
    expected, _ = Sanitizer(default_rules()).sanitize_text(text)
    assert run(text.encode(), block_size).decode() == expected


@pytest.mark.parametrize("block_size", [16, 50, 4096])
def test_a_pem_block_is_never_cut_in_two(block_size: int) -> None:
    body = [f"MIIEvQIBADANBgkqhkiG9w0BAQEFAASC{i:04d}abcdefghij" for i in range(40)]
    text = (
        "before\n-----BEGIN RSA PRIVATE KEY-----\n"
        + "\n".join(body)
        + "\n-----END RSA PRIVATE KEY-----\nafter jane@example.com\n"
    )
    out = run(text.encode(), block_size).decode()
    assert out.count("\n") == text.count("\n")
    assert all(line not in out for line in body)
    assert out.startswith("before\n<PRIVATE_KEY_1>\n")
    assert out.endswith("\nafter <EMAIL_1>\n")


def test_an_unterminated_pem_block_does_not_stall_the_stream() -> None:
    text = "-----BEGIN PRIVATE KEY-----\n" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldY\n" * 200 + "tail\n"
    out = run(text.encode(), 256).decode()
    assert out.count("\n") == text.count("\n")
    assert "QUJDREVGR0hJSktMTU5PUFFSU1RVVldY" not in out
    assert out.endswith("tail\n")


def test_sources_without_read1_work() -> None:
    class PlainReader:
        def __init__(self, data: bytes) -> None:
            self.data = io.BytesIO(data)

        def read(self, size: int = -1) -> bytes:
            return self.data.read(min(size, 5))

    out = io.BytesIO()
    stats = sanitize_stream(
        PlainReader(b"a jane@example.com\nb\n"),
        out,  # type: ignore[arg-type]
        Sanitizer(default_rules()),
    )
    assert out.getvalue() == b"a <EMAIL_1>\nb\n"
    assert str(stats) == "Redacted 1 email"
