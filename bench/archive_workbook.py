"""Reading a 100,000-row 住户 sheet (docs/archive.md §6.3, steps 1-3, without the database): a
workbook is written with XlsxWriter in constant-memory mode, then read in a child process by
`domain/archive/workbook.py`, streaming, the way the import reads it. Measured: wall time, the
child's peak RSS (VmHWM) and, in a second child, the Python heap's peak (tracemalloc).
Target: peak under 300 MB.

    .venv/bin/python bench/archive_workbook.py [--rows 100000] [--traced]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from domain.archive.values import id_check_digit  # noqa: E402
from domain.archive.report import Report  # noqa: E402
from domain.archive.sheets import RESIDENTS  # noqa: E402
from domain.archive.workbook import open_workbook  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "results" / "archive_workbook.json"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"


def write(path: Path, rows: int, inline: bool) -> None:
    """inline: text in each cell, as XlsxWriter's constant-memory mode (and our exports) write it;
    otherwise in the shared-strings table, as Excel and WPS save a workbook."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": inline, "strings_to_numbers": False})
    ws = book.add_worksheet("住户")
    headers = ["楼栋名称*", "单元", "房号*", "姓名*", "身份*", "类型", "手机号", "证件类型", "证件号码", "入住日期", "主联系人", "备注"]
    for col, header in enumerate(headers):
        ws.write_string(0, col, header)
    for i in range(rows):
        stem = f"110105{1950 + i % 50}{1 + i % 12:02d}{1 + i % 28:02d}{i % 1000:03d}"
        values = [f"{1 + i // 2000}号楼", str(1 + i // 500 % 4), f"{1 + i // 20 % 25}{1 + i % 20:02d}",
                  SURNAMES[i % 20] + "先生女士"[i % 4], ("业主", "租户", "家属")[i % 3], "个人",
                  f"13{i % 10}{i:08d}", "居民身份证", stem + id_check_digit(stem),
                  (date(2015, 1, 1) + timedelta(days=i % 3000)).isoformat(), "是" if i % 3 == 0 else "否", "备注" * (i % 3)]
        for col, value in enumerate(values):
            ws.write_string(i + 1, col, value)
    book.close()


def read(path: Path) -> dict[str, float | int]:
    """Stream every row the way the import does: one at a time, nothing kept."""
    started = time.perf_counter()
    report = Report()
    count = 0
    book = open_workbook(path, report)
    assert book is not None, report.problems
    with book:
        for _ in book.rows(RESIDENTS):
            count += 1
    assert report.clean, report.problems[:5]
    return {"rows": count, "seconds": round(time.perf_counter() - started, 1),
            "peak_rss_mb": peak_rss_mb()}


def peak_rss_mb() -> int:
    """This process's peak resident memory. VmHWM, not ru_maxrss: a child started by a process
    that once held more inherits that figure in ru_maxrss (Linux keeps it across exec)."""
    status = Path("/proc/self/status")
    for line in status.read_text().splitlines() if status.exists() else ():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)  # no /proc: the best there is


def child(path: Path, traced: bool) -> dict[str, float | int]:
    if traced:
        tracemalloc.start()
    result = read(path)
    if traced:
        result["python_heap_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 1024 / 1024, 1)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--child", type=Path)
    parser.add_argument("--traced", action="store_true", help="also read under tracemalloc (about 4x slower): the Python heap's peak")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.traced)))
        return
    result: dict[str, object] = {"rows": args.rows}
    with tempfile.TemporaryDirectory() as tmp:
        for shape, inline in (("inline_strings", True), ("shared_strings", False)):
            path = Path(tmp) / f"{shape}.xlsx"
            write(path, args.rows, inline)
            runs: dict[str, object] = {"file_mb": round(path.stat().st_size / 1024 / 1024, 1)}
            for name, extra in (("read", []), ("traced", ["--traced"])):
                if name == "traced" and not args.traced:
                    continue
                out = subprocess.run([sys.executable, __file__, "--child", str(path), *extra], check=True, capture_output=True, text=True)
                runs[name] = json.loads(out.stdout)
            result[shape] = runs
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
