"""The Markdown incident note: placeholders that survive rendering, code left as written."""

from __future__ import annotations

import pytest

from logai.history.export import markdown_safe


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("declined for <EMAIL_1>.", "declined for \\<EMAIL_1\\>."),
        ("`<EMAIL_1>` and <IP_2>", "`<EMAIL_1>` and \\<IP_2\\>"),
        ("```\nuser=<EMAIL_1>\n```\n<EMAIL_1>", "```\nuser=<EMAIL_1>\n```\n\\<EMAIL_1\\>"),
        ("<b>bold</b> a < b > c", "<b>bold</b> a < b > c"),
        ("| <AWS_KEY_1> |", "| \\<AWS_KEY_1\\> |"),
    ],
)
def test_placeholders_are_escaped_outside_code(text: str, expected: str) -> None:
    assert markdown_safe(text) == expected
