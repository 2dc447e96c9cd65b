"""Keys of a development install that configured none: random, made once per data folder and kept
in it (0600), so every demo has its own and a restart reuses them. A key written in the source
would be public, and a token signed with it would open every demo."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from functools import lru_cache
from pathlib import Path

NAMES = ("secret_key", "data_key", "lookup_key")
FILE = "keys.json"


@lru_cache(maxsize=8)
def local_keys(data_dir: str) -> dict[str, bytes]:
    path = Path(data_dir) / FILE
    if not path.exists():
        _create(path)
    stored = json.loads(path.read_text())
    return {name: stored[name].encode() for name in NAMES}


def _create(path: Path) -> None:
    """Written to a private temporary file and linked into place: processes starting together
    (API replicas, workers) all end up with the one file that won, never a half-written one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{FILE}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as f:
            json.dump({name: secrets.token_urlsafe(32) for name in NAMES}, f)
            f.flush()
            os.fsync(f.fileno())
        with contextlib.suppress(FileExistsError):  # another process made them first: theirs are the keys
            os.link(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
