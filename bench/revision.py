"""Our server as an earlier commit had it, for a before/after comparison in one run
(bench/list_peers.py --before REV): the commit is checked out read-only into a temporary git
worktree, and its server is started with that worktree first on PYTHONPATH, so its packages win
over the editable install of the current tree. The virtualenv is the current one: a commit
whose dependencies differ from the installed ones fails to start, and says so.
"""

from __future__ import annotations

import subprocess
import tempfile
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=True).stdout.strip()


@contextmanager
def checkout(rev: str) -> Iterator[Path]:
    """A detached worktree of `rev` in a temporary directory, removed afterwards."""
    commit = git("rev-parse", "--verify", f"{rev}^{{commit}}")
    with tempfile.TemporaryDirectory(prefix="firstcall-before-") as tmp:
        path = Path(tmp) / commit[:12]
        git("worktree", "add", "--detach", "--quiet", str(path), commit)
        try:
            yield path
        finally:
            git("worktree", "remove", "--force", str(path))


def launcher(root: Path) -> str:
    """Python source that runs the `firstcall` command of the tree at `root`: the entry point
    moved (api.cli before firstcall.cli), so it is read from that tree's pyproject.toml rather
    than taken from the installed script."""
    target = tomllib.loads((root / "pyproject.toml").read_text())["project"]["scripts"]["firstcall"]
    module, function = target.split(":")
    return f"import sys\nfrom {module} import {function}\nsys.argv[0] = 'firstcall'\nsys.exit({function}())"


def schema_gap(old: Path, new: Path = ROOT) -> tuple[list[str], list[str]]:
    """Migrations only the old tree has (it needs a schema this database may not have: the two
    cannot share it) and those only the new tree has (the old code runs on a newer schema —
    fine while they only add)."""
    def names(root: Path) -> set[str]:
        return {p.name for p in (root / "migrations" / "versions").glob("*.py")}

    return sorted(names(old) - names(new)), sorted(names(new) - names(old))
