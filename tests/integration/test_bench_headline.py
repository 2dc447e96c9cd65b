"""The cheapest benchmark of `make bench` (bench/query_cost.py, no database of its own) run end to
end at a small size into a temporary results folder, then rendered by bench/report.py into a copy
of docs/benchmarks.md: its headline lands in the section, marked as a trial run, and the rest of
the file is unchanged."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bench import report

ROOT = Path(__file__).resolve().parents[2]


def test_query_cost_at_a_small_size_writes_its_headline_and_the_report_renders_it(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BENCH_RESULTS_DIR": str(tmp_path / "results")}
    subprocess.run([sys.executable, "bench/query_cost.py", "--runs", "20"], cwd=ROOT, env=env, check=True, capture_output=True,
                   timeout=180)
    headline = json.loads((tmp_path / "results" / "headline" / "query_cost.json").read_text())
    assert headline["bench"] == "query_cost" and headline["parameters_changed"] == {"runs": 20}
    assert [f["unit"] for f in headline["figures"]] == ["ms", "ms", "ms"] and all(f["value"] > 0 for f in headline["figures"])
    assert (tmp_path / "results" / "query_cost.json").exists()  # its detailed figures, beside the headline

    doc = tmp_path / "benchmarks.md"
    original = (ROOT / "docs" / "benchmarks.md").read_text(encoding="utf-8")
    doc.write_text(original, encoding="utf-8")
    subprocess.run([sys.executable, "bench/report.py", "--results", str(tmp_path / "results" / "headline"), "--doc", str(doc)],
                   cwd=ROOT, env=env, check=True, capture_output=True, timeout=60)
    rendered = doc.read_text(encoding="utf-8")
    head, section, tail = report.split(rendered)
    old_head, _, old_tail = report.split(original)
    assert (head, tail) == (old_head, old_tail)
    assert "| `query_cost` (runs=20) |" in section
    assert "**Parameters other than the defaults:** `query_cost` (runs=20)" in section
