"""The console's build and bundle: `make console` from clean (no dist, no generated client) and
after one changed source, three alternating runs each (every run reported), then the gzip sizes
of what the browser fetches — the first load (index.html and its static imports), each page's
chunk with the shared chunks it adds, ECharts, GraphiQL. `npm ci` is not timed: node_modules is
an existing install here (make is told so with -o), its cost is a one-off per lock file.

    .venv/bin/python bench/console_build.py [--runs 3] [--sizes-only]     (make bench-console)
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONSOLE = ROOT / "console"
DIST = CONSOLE / "dist"
OUT = ROOT / "bench" / "results" / "console_build.json"
MAKE = ["make", "-s", "-o", "console/node_modules/.installed", "console"]
TOUCHED = CONSOLE / "src" / "pages" / "hq" / "HqBoard.tsx"
PAGES = ["LoginPage", "HqBoard", "IntakePage", "QueuePage", "AlertsPage", "CasePage", "ScorecardsPage"]
STATIC = re.compile(r'(?:from|import)\s*"\./([\w.-]+\.js)"')


def timed(cmd: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return round(time.perf_counter() - started, 1)


def builds(runs: int) -> dict:
    clean, rebuild = [], []
    for _ in range(runs):
        shutil.rmtree(DIST, ignore_errors=True)
        shutil.rmtree(CONSOLE / "src" / "gql", ignore_errors=True)
        clean.append(timed(MAKE))
        built = (DIST / ".built").stat().st_mtime_ns
        time.sleep(1.1)  # a stamp and a source in the same second look unchanged to make
        TOUCHED.touch()
        rebuild.append(timed(MAKE))
        assert (DIST / ".built").stat().st_mtime_ns != built, "make did not rebuild"
    return {"clean_s": clean, "rebuild_s": rebuild}


def gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 6))


def closure(names: set[str]) -> set[str]:
    """The chunks these load before running: their static imports, transitively."""
    seen, todo = set(), list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo += STATIC.findall((DIST / "assets" / name).read_text(errors="replace"))
    return seen


def entry(html: str) -> tuple[set[str], set[str]]:
    page = (DIST / html).read_text()
    scripts = set(re.findall(r'(?:src|href)="/assets/([\w.-]+\.js)"', page))
    styles = set(re.findall(r'href="/assets/([\w.-]+\.css)"', page))
    return closure(scripts), styles


def kb(names: set[str]) -> float:
    return round(sum(gz(DIST / "assets" / n) for n in names) / 1024, 1)


def sizes() -> dict:
    assets = {p.name for p in (DIST / "assets").iterdir()}
    first_js, first_css = entry("index.html")
    first = round(kb(first_js) + kb(first_css) + gz(DIST / "index.html") / 1024, 1)
    pages = {}
    for name in PAGES:
        chunk = next(a for a in assets if a.startswith(name + "-") and a.endswith(".js"))
        pages[name] = {"chunk_kb": kb({chunk}), "with_shared_kb": kb(closure({chunk}) - first_js)}
    charts = {a for a in assets if a.startswith("charts-") and a.endswith(".js")}
    monaco = {a for a in assets if a.startswith("monaco-editor-") and a.endswith(".js")}
    gi_js, gi_css = entry("graphiql.html")
    return {"gzip_level": 6, "first_load_kb": first, "pages": pages, "echarts_kb": kb(charts),
            "graphiql_kb": round(kb(gi_js - first_js) + kb(gi_css), 1), "graphiql_total_kb": round(kb(gi_js) + kb(gi_css), 1),
            "graphiql_editor_kb": kb(monaco),
            "all_assets_kb": kb({a for a in assets if a.endswith((".js", ".css"))})}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--sizes-only", action="store_true")
    args = ap.parse_args()
    results = {} if args.sizes_only else {"load_before": os.getloadavg()[0], **builds(args.runs), "load_after": os.getloadavg()[0]}
    if args.sizes_only and not (DIST / "index.html").is_file():
        timed(MAKE)
    results["sizes"] = sizes()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(OUT.read_text()) if OUT.is_file() else {}
    OUT.write_text(json.dumps({**previous, **results}, indent=2))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
