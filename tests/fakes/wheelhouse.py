"""Fresh virtual environments filled offline, the way a plugin author's venv is filled.

A test that must see what ``pip install "logai-core[testing]"`` really brings cannot borrow
this environment's site-packages (it holds pytest-asyncio, moto and the rest of the dev
tools, which would hide a missing dependency). Instead:

* :func:`build_wheel` builds a project's wheel (logai-core from the work tree, a plugin from
  its folder) without build isolation, so nothing is downloaded;
* :func:`wheelhouse_for` packs every distribution that a requirement needs, as installed here,
  back into a wheel: pip then resolves the requirement for real with ``--no-index``, and fails
  as it would for a user if a dependency were not declared;
* :func:`fresh_venv` makes a venv without pip and without system site-packages; this
  environment's pip installs into it (``pip --python``).

Packing copies files only (~250 MB for logai-core's closure, a couple of seconds); versions
are exactly the ones the suite runs with, so the result does not drift with new releases.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.tags import sys_tags

#: Files of an installed dist-info that describe the installation, not the distribution.
_INSTALL_RECORDS = {"RECORD", "INSTALLER", "REQUESTED", "direct_url.json"}


def clean_env() -> dict[str, str]:
    """This process's environment without what would leak this venv into another one."""
    leaky = {"PYTHONPATH", "PYTEST_ADDOPTS", "PYTEST_PLUGINS", "VIRTUAL_ENV"}
    return {name: value for name, value in os.environ.items() if name not in leaky}


def run(
    argv: list[str | Path], *, cwd: Path | None = None, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a command in :func:`clean_env`, capturing its output (never raises on failure)."""
    return subprocess.run(
        [str(arg) for arg in argv],
        cwd=cwd,
        input=input,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def closure(requirement: str, *, skip: frozenset[str] = frozenset()) -> list[metadata.Distribution]:
    """Every installed distribution ``requirement`` needs, extras followed, ``skip`` left out.

    ``skip`` (canonical names) is for what the caller provides itself, logai-core built from the
    work tree, say; the requirements of a skipped distribution are still followed.
    """
    found: dict[str, metadata.Distribution] = {}
    seen: set[tuple[str, tuple[str, ...]]] = set()

    def visit(req: Requirement) -> None:
        key = (_canonical(req.name), tuple(sorted(req.extras)))
        if key in seen:
            return
        seen.add(key)
        dist = metadata.distribution(req.name)
        if key[0] not in skip:
            found.setdefault(key[0], dist)
        for text in dist.requires or []:
            needed = Requirement(text)
            wanted = ("", *req.extras)
            if needed.marker is None or any(needed.marker.evaluate({"extra": e}) for e in wanted):
                visit(needed)

    visit(Requirement(requirement))
    return list(found.values())


def _wheel_tag(dist_info: Path) -> str:
    """A tag of the installed WHEEL file this interpreter supports (``py2`` ones are not)."""
    wheel = dist_info / "WHEEL"
    lines = wheel.read_text(encoding="utf-8").splitlines() if wheel.is_file() else []
    declared = [line.removeprefix("Tag:").strip() for line in lines if line.startswith("Tag:")]
    supported = {str(tag) for tag in sys_tags()}
    return next((tag for tag in declared if tag in supported), "py3-none-any")


def repack(dist: metadata.Distribution, dest: Path) -> Path:
    """A wheel of ``dist`` made from its installed files (byte code and scripts left out)."""
    files = [
        path
        for path in dist.files or []
        if path.parts[0] != ".." and "__pycache__" not in path.parts
    ]
    info_dir = next(path.parts[0] for path in files if path.parts[0].endswith(".dist-info"))
    located = Path(str(dist.locate_file(info_dir)))
    wheel = dest / f"{info_dir.removesuffix('.dist-info')}-{_wheel_tag(located)}.whl"
    record = []
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_STORED) as archive:
        for path in files:
            if path.parts[0] == info_dir and path.name in _INSTALL_RECORDS:
                continue
            data = Path(str(dist.locate_file(path))).read_bytes()
            archive.writestr(path.as_posix(), data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            record.append(f"{path.as_posix()},sha256={digest.decode()},{len(data)}")
        record.append(f"{info_dir}/RECORD,,")
        archive.writestr(f"{info_dir}/RECORD", "\n".join(record) + "\n")
    return wheel


def wheelhouse_for(requirement: str, dest: Path, *, skip: frozenset[str] = frozenset()) -> Path:
    """``dest`` filled with a wheel of each installed distribution ``requirement`` needs."""
    dest.mkdir(parents=True, exist_ok=True)
    for dist in closure(requirement, skip=skip):
        repack(dist, dest)
    return dest


def build_wheel(project: Path, dest: Path) -> Path:
    """Build ``project``'s wheel into ``dest`` from a copy (an in-tree build leaves build/)."""
    copy = dest.parent / f"build-{project.name}"
    shutil.copytree(
        project, copy, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__")
    )
    before = set(dest.glob("*.whl"))
    done = run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--wheel-dir",
            dest,
            copy,
        ]
    )
    assert done.returncode == 0, done.stdout + done.stderr
    (built,) = set(dest.glob("*.whl")) - before
    return built


def fresh_venv(path: Path) -> Path:
    """A new venv without pip or system site-packages; returns its python."""
    done = run([sys.executable, "-m", "venv", "--without-pip", path])
    assert done.returncode == 0, done.stderr
    return path / "bin" / "python"


def pip_install(python: Path, wheelhouse: Path, *requirements: str) -> None:
    """Install ``requirements`` into ``python``'s venv from ``wheelhouse`` only."""
    done = run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            python,
            "install",
            "--quiet",
            "--no-index",
            "--no-compile",
            "--find-links",
            wheelhouse,
            *requirements,
        ]
    )
    assert done.returncode == 0, done.stdout + done.stderr
