"""bench/report.py renders the benchmarks' headlines between the markers of docs/benchmarks.md:
the section replaced and nothing else, a benchmark without a result keeping its earlier row with
its own date, a missed target saying by how much."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bench import report
from bench._results import Figure, Target, record

BEFORE = "# Benchmarks\n\nIntro, hand-written.\n\n## Latest run\n\n"
AFTER = "\n\n## GraphQL overhead\n\n| hand | table |\n|---|---|\n| 1 | 2 |\n\nTrailing text without a newline"


def headline(bench: str, date: str, *, figures: list[dict[str, Any]], targets: list[dict[str, Any]] | None = None,
             **extra: Any) -> dict[str, Any]:
    return {"bench": bench, "date": date, "started": date, "revision": "abc1234", "parameters": {}, "parameters_changed": {},
            "figures": figures, "ratios": {}, "targets": targets or [],
            "machine": {"cpu": "AMD EPYC", "cores": 2, "ram_gib": 23.5, "kernel": "Linux 6.1", "postgresql": "15.20",
                        "python": "3.11.7"},
            "load_average": {"start": [1.5, 1.0, 0.5], "end": [2.5, 1.2, 0.6]}, **extra}


def doc(section: str) -> str:
    return f"{BEFORE}{report.BEGIN}\n{section}{report.END}{AFTER}"


def earlier_section() -> str:
    """What an earlier render left: rows for graphql_overhead and timers."""
    old = {"graphql_overhead": headline("graphql_overhead", "2026-12-01T10:00:00+00:00",
                                        figures=[{"label": "parse + validate p50", "value": 0.07, "unit": "ms"}]),
           "timers": headline("timers", "2026-12-01T11:00:00+00:00", parameters_changed={"timers": 400},
                              figures=[{"label": "lateness p99", "value": 30.0, "unit": "ms"}])}
    return report.render(old, "") + "\n"


def test_the_section_is_replaced_and_the_rest_of_the_file_is_byte_identical() -> None:
    text = doc(earlier_section())
    new = report.rewrite(text, {"hq_overview": headline("hq_overview", "2026-12-07T18:00:00+00:00", figures=[
        {"label": "orgOverview p50", "value": 50.5, "unit": "ms"}, {"label": "p95", "value": 57.0, "unit": "ms"}])})

    head, section, tail = report.split(new)
    assert head == BEFORE + report.BEGIN + "\n"
    assert tail == report.END + AFTER
    assert "| `hq_overview` | 2026-12-07 18:00 UTC, abc1234 | orgOverview p50 50.5 ms, p95 57 ms |" in section
    assert "AMD EPYC, 2 cores, 23.5 GiB RAM, Linux 6.1, PostgreSQL 15.20, Python 3.11.7" in section
    assert "load average (1 min) 1.5 at the start and 2.5 at the end" in section


def test_a_benchmark_without_a_result_keeps_its_earlier_row_marked_with_its_date() -> None:
    text = doc(earlier_section())
    new = report.rewrite(text, {"graphql_overhead": headline("graphql_overhead", "2026-12-07T18:00:00+00:00",
                                                             figures=[{"label": "parse + validate p50", "value": 0.06, "unit": "ms"}])})
    rows = [line for line in report.split(new)[1].splitlines() if line.startswith("| `")]
    assert [report.ROW.match(r).group(1) for r in rows] == ["graphql_overhead", "timers"]  # type: ignore[union-attr]
    assert "2026-12-07 18:00 UTC" in rows[0] and "kept from" not in rows[0]
    assert rows[1].startswith("| `timers` (timers=400) | kept from 2026-12-01 11:00 UTC, abc1234 | lateness p99 30 ms |")
    assert "have no result in this run" in new
    # Rendered again with the same results: the kept row is marked once, the file unchanged.
    again = report.rewrite(new, {"graphql_overhead": headline("graphql_overhead", "2026-12-07T18:00:00+00:00",
                                                              figures=[{"label": "parse + validate p50", "value": 0.06, "unit": "ms"}])})
    assert again == new


def test_a_missed_target_says_by_how_much_and_a_met_one_its_figure() -> None:
    missed = Target("p95, 2,000 projects and 10 M cases", 57.0, "<", 50, "ms").as_json()
    met = Target("parse + validate p50", 0.064, "<=", 0.2, "ms").as_json()
    ratio = Target("case list ÷ PostGraphile, requests/s", 0.83, ">=", 1, "×").as_json()
    h = headline("hq_overview", "2026-12-07T18:00:00+00:00", figures=[{"label": "p95", "value": 57.0, "unit": "ms"}],
                 targets=[missed, met, ratio])
    row = report.row(h)
    assert "p95, 2,000 projects and 10 M cases < 50 ms (DESIGN §10)" in row
    assert "**missed** by 7 ms, 14% (57 ms)<br>met (0.064 ms)<br>**missed** by 0.17×, 17% (0.83×)" in row
    section = report.render({"hq_overview": h}, "")
    assert "targets met: 1 of 3" in section


def test_the_ratio_to_the_previous_run_and_a_trial_run_are_shown() -> None:
    h = headline("timers", "2026-12-07T18:00:00+00:00", figures=[{"label": "lateness p99", "value": 33.0, "unit": "ms"}],
                 parameters_changed={"timers": 1000}, ratios={"RLS ÷ explicit": 1.084},
                 previous={"date": "2026-12-06T09:00:00+00:00", "revision": "def5678", "parameters_changed": {"timers": 1000},
                           "figures": [{"label": "lateness p99", "value": 30.0, "unit": "ms"}]})
    section = report.render({"timers": h}, "")
    assert "| `timers` (timers=1000) |" in section
    assert "RLS ÷ explicit 1.08; lateness p99: 1.1× the previous run's (2026-12-06 09:00 UTC, def5678)" in section
    assert "**Parameters other than the defaults:** `timers` (timers=1000)" in section
    # A previous run at other parameters (the full size, here) is not compared with.
    h["previous"]["parameters_changed"] = {}
    assert "the previous run's" not in report.row(h)


def test_no_result_and_no_earlier_row_says_no_run_yet() -> None:
    new = report.rewrite(doc("\nanything\n\n"), {})
    assert "No `make bench` run yet on this revision." in report.split(new)[1]


def test_missing_or_reversed_markers_stop_the_report() -> None:
    with pytest.raises(SystemExit):
        report.rewrite("# Benchmarks\n", {})
    with pytest.raises(SystemExit):
        report.rewrite(f"{report.END}\n{report.BEGIN}\n", {})


def test_record_keeps_the_previous_headline_and_marks_parameters_off_their_defaults(tmp_path: Path) -> None:
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5000)
    for value in (0.05, 0.06):
        record("sample", args=ap.parse_args(["--runs", "20"]), parser=ap, figures=[Figure("p50", value, "ms")],
               targets=[Target("p50", value, "<=", 0.055, "ms")], directory=tmp_path)
    written = json.loads((tmp_path / "sample.json").read_text())
    assert written["parameters_changed"] == {"runs": 20}
    assert written["figures"] == [{"label": "p50", "value": 0.06, "unit": "ms"}]
    assert written["previous"]["figures"] == [{"label": "p50", "value": 0.05, "unit": "ms"}]
    assert written["targets"][0]["met"] is False and written["targets"][0]["by"] == pytest.approx(0.005)
    assert set(written["machine"]) == {"cpu", "cores", "ram_gib", "kernel", "postgresql", "python"}
    assert len(written["load_average"]["start"]) == 3 and len(written["load_average"]["end"]) == 3
