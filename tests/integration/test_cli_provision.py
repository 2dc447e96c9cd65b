"""`firstcall provision-org` run where nobody can type a password (a script, a CI job)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

FIRSTCALL = str(Path(sys.executable).with_name("firstcall"))


async def test_provision_without_a_terminal_generates_a_password_and_prints_it_once(db_urls, gql):
    slug = f"cli-{uuid.uuid4().hex[:8]}"
    env = dict(os.environ, DATABASE_URL=db_urls.owner.render_as_string(hide_password=False))
    done = subprocess.run([FIRSTCALL, "provision-org", slug, "命令行物业"], env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    printed = re.findall(r"generated admin password \(shown only this once; store it now\): (\S+)", done.stdout)
    assert len(printed) == 1, done.stdout
    password = printed[0]
    assert len(password) >= 20 and done.stdout.count(password) == 1
    assert await gql.login(slug, "admin", password)
