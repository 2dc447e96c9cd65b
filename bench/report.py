"""Rewrites the generated section at the top of docs/benchmarks.md — between `<!-- make bench:
begin -->` and `<!-- make bench: end -->` — from the headlines the benchmarks wrote
(bench/_results.py): the machine, the run, and one row per benchmark with its figures, ratios,
target and whether it was met. Everything outside the markers is left byte for byte. A benchmark
without a headline keeps the row the section had, marked as kept from its own date.

    .venv/bin/python bench/report.py [--results bench/results/headline] [--doc docs/benchmarks.md]   (make bench-report)
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._results import OPS, headline_dir  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
BEGIN = "<!-- make bench: begin -->"
END = "<!-- make bench: end -->"
# `make bench`'s order; a headline of another benchmark follows these.
ORDER = ("graphql_overhead", "query_cost", "case_intake", "intake_floor", "timers", "hq_overview", "alert_latency",
         "gov_bridge", "phone_lookup", "load_soak", "list_peers")
HEADER = ("| benchmark | run | headline figures | ratio | target | met? | load average, start → end |",
          "|---|---|---|---|---|---|---|")
ROW = re.compile(r"^\| `(\w+)`[ |]")
KEPT = "kept from "


def number(value: float) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int) or float(value).is_integer() and abs(value) >= 1:
        return f"{value:,.0f}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}"


def quantity(value: float, unit: str) -> str:
    if unit in ("", "×", "%") or unit.startswith("/"):
        return number(value) + unit
    return f"{number(value)} {unit}"


def when(iso: str) -> str:
    return datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M UTC")


def cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def ratios(h: dict[str, Any]) -> str:
    parts = [f"{label} {number(v)}" for label, v in h.get("ratios", {}).items()]
    previous = h.get("previous") or {}
    now = {f["label"]: f["value"] for f in h.get("figures", [])}
    before = {f["label"]: f["value"] for f in previous.get("figures") or []}
    first = next(iter(now), None)
    # Only a run at the same parameters is a fair comparison (not a trial run against a full one).
    if first is not None and before.get(first) and (previous.get("parameters_changed") or {}) == (h.get("parameters_changed") or {}):
        parts.append(f"{first}: {number(now[first] / before[first])}× the previous run's "
                     f"({when(previous['date'])}, {previous.get('revision') or '?'})")
    return "; ".join(parts) or "—"


def verdict(t: dict[str, Any]) -> str:
    if t["met"]:
        return f"met ({quantity(t['value'], t['unit'])})"
    share = f", {number(t['by_pct'])}%" if t.get("by_pct") is not None else ""
    return f"**missed** by {quantity(t['by'], t['unit'])}{share} ({quantity(t['value'], t['unit'])})"


def row(h: dict[str, Any]) -> str:
    name = f"`{h['bench']}`"
    if h.get("parameters_changed"):
        name += " (" + ", ".join(f"{k}={v}" for k, v in h["parameters_changed"].items()) + ")"
    figures = ", ".join(f"{f['label']} {quantity(f['value'], f['unit'])}" for f in h.get("figures", [])) or "—"
    targets = h.get("targets", [])
    aimed = "<br>".join(f"{t['label']} {OPS[t['op']]} {quantity(t['limit'], t['unit'])} ({t['source']})" for t in targets) or "—"
    met = "<br>".join(verdict(t) for t in targets) or "—"
    load = h.get("load_average", {})
    start, end = (load.get(k, [None])[0] for k in ("start", "end"))
    cells = [name, f"{when(h['date'])}, {h.get('revision') or '?'}", figures, ratios(h), aimed, met,
             f"{start} → {end}" if start is not None else "—"]
    return "| " + " | ".join(cell(c) if i else c for i, c in enumerate(cells)) + " |"


def kept(line: str) -> str:
    """An earlier section's row, its run cell marked as kept (once)."""
    cells = re.split(r"(?<!\\)\|", line)
    if len(cells) > 2 and not cells[2].strip().startswith(KEPT):
        cells[2] = f" {KEPT}{cells[2].strip()} "
    return "|".join(cells)


def machine_line(m: dict[str, Any]) -> str:
    return (f"{m.get('cpu')}, {m.get('cores')} cores, {m.get('ram_gib')} GiB RAM, {m.get('kernel')}, "
            f"PostgreSQL {m.get('postgresql') or '?'}, Python {m.get('python')}")


def render(headlines: dict[str, dict[str, Any]], old_section: str) -> str:
    """The text between the markers (each on a line of its own)."""
    old_rows = {m.group(1): line for line in old_section.splitlines() if (m := ROW.match(line))}
    names = [n for n in ORDER if n in headlines or n in old_rows]
    names += sorted((set(headlines) | set(old_rows)) - set(ORDER))
    lines = ["", "*Generated by `bench/report.py` (the last step of `make bench`, or `make bench-report`) from "
             "`bench/results/headline/`; the sections after this one are written by hand.*", ""]
    if not headlines and not old_rows:
        return "\n".join([*lines, "No `make bench` run yet on this revision.", ""])
    if headlines:
        ordered = sorted(headlines.values(), key=lambda h: h["started"])
        first, last = ordered[0], max(ordered, key=lambda h: h["date"])
        machines = list(dict.fromkeys(machine_line(h.get("machine", {})) for h in ordered))
        revisions = sorted({h.get("revision") or "?" for h in ordered})
        targets = [t for h in ordered for t in h.get("targets", [])]
        begun, ended = when(first["started"]), when(last["date"])
        if begun[:10] == ended[:10]:
            begun, ended = begun.removesuffix(" UTC"), ended[11:]
        lines += [f"**Machine:** {'; '.join(machines)}.", "",
                  f"**Run:** {begun} → {ended}, revision {', '.join(revisions)}; "
                  f"{len(ordered)} benchmark{'s' * (len(ordered) != 1)} with results, "
                  f"load average (1 min) {first['load_average']['start'][0]} at the start and "
                  f"{last['load_average']['end'][0]} at the end"
                  + (f"; targets met: {sum(t['met'] for t in targets)} of {len(targets)}." if targets else "."), ""]
        trial = [h for h in ordered if h.get("parameters_changed")]
        if trial:
            lines += ["**Parameters other than the defaults:** " + "; ".join(
                f"`{h['bench']}` ({', '.join(f'{k}={v}' for k, v in h['parameters_changed'].items())})" for h in trial)
                + " — a shortened or trial run, whose figures are not the full-size ones.", ""]
    if set(old_rows) - set(headlines):
        lines += ["Rows marked *kept from* have no result in this run: they are an earlier run's, with its date.", ""]
    lines += [*HEADER, *(row(headlines[n]) if n in headlines else kept(old_rows[n]) for n in names), ""]
    return "\n".join(lines)


def split(text: str) -> tuple[str, str, str]:
    """Before the section (through BEGIN's line), the section, after it (from END's line)."""
    begin, end = text.find(BEGIN), text.find(END)
    if begin < 0 or end < begin:
        raise SystemExit(f"the markers {BEGIN} … {END} are missing or out of order")
    head = text.find("\n", begin) + 1
    if not 0 < head <= end:
        raise SystemExit(f"{END} must be on a line after {BEGIN}")
    return text[:head], text[head:end], text[end:]


def rewrite(text: str, headlines: dict[str, dict[str, Any]]) -> str:
    head, section, tail = split(text)
    return head + render(headlines, section) + "\n" + tail


def load(directory: Path) -> dict[str, dict[str, Any]]:
    found = {}
    for path in sorted(directory.glob("*.json")):
        headline = json.loads(path.read_text())
        found[headline["bench"]] = headline
    return found


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--results", type=Path, default=None, help="the headlines (default bench/results/headline)")
    ap.add_argument("--doc", type=Path, default=DOC)
    args = ap.parse_args(argv)
    headlines = load(args.results or headline_dir())
    text = args.doc.read_text(encoding="utf-8")
    new = rewrite(text, headlines)
    if new != text:
        args.doc.write_text(new, encoding="utf-8")
    print(f"{args.doc}: {len(headlines)} result(s) rendered{'' if new != text else ', unchanged'}")


if __name__ == "__main__":
    main()
