"""Make the test plugin packages under ``tests/plugins/`` visible as installed distributions.

Each package gets a ``<name>-<version>.dist-info`` folder (METADATA + entry_points.txt) and its
source copied into one directory that is put on ``sys.path`` (and on ``PYTHONPATH`` for
subprocesses). importlib.metadata then finds their ``logai`` entry points exactly as it finds a
pip-installed package's, without touching the real environment.
"""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

PLUGINS_DIR = Path(__file__).resolve().parents[1] / "plugins"


def plugin_project(folder_name: str) -> Path:
    """Path of a test plugin project, e.g. ``logai-example-plugin``."""
    path = PLUGINS_DIR / folder_name
    if not (path / "pyproject.toml").is_file():
        raise FileNotFoundError(f"no test plugin project at {path}")
    return path


def install_as_dist_info(projects: list[Path], target: Path) -> Path:
    """Lay out ``projects`` in ``target`` as importable, discoverable distributions."""
    target.mkdir(parents=True, exist_ok=True)
    for project in projects:
        meta = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))["project"]
        name, version = meta["name"], meta["version"]
        info = target / f"{name.replace('-', '_')}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8"
        )
        lines = []
        for group, entries in meta.get("entry-points", {}).items():
            lines.append(f"[{group}]")
            lines += [f"{key} = {value}" for key, value in entries.items()]
        (info / "entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        for package in (project / "src").iterdir():
            if package.is_dir() and not package.name.endswith(".egg-info"):
                shutil.copytree(package, target / package.name)
    return target
