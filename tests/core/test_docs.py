"""The plugin guide documents every hook, and its examples really work as plugins."""

from __future__ import annotations

import re
from pathlib import Path

from logai.plugins import PluginHost

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_every_hook_is_documented_with_an_example() -> None:
    text = (DOCS / "plugins.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^### (register_\w+)\(", text, flags=re.MULTILINE))
    hooks = set(PluginHost(load_entry_points=False).hook_names())
    assert hooks == documented, f"undocumented: {hooks - documented}, stale: {documented - hooks}"
    sections = re.split(r"^### ", text, flags=re.MULTILINE)[1:]
    for section in sections:
        name = section.split("(")[0]
        assert "```python" in section, f"{name} has no example"
        assert "@hookimpl" in section, f"{name}'s example does not implement the hook"


def test_readme_links_exist() -> None:
    root = DOCS.parent
    for doc in [root / "README.md", *DOCS.glob("*.md")]:
        for target in re.findall(r"\]\(([^)#]+)\)", doc.read_text(encoding="utf-8")):
            if "://" in target:
                continue
            assert (doc.parent / target).exists(), f"{doc.name} links to missing {target}"
