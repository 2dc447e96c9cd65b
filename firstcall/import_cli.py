"""`firstcall import FILE --project CODE [--org SLUG] [--kind archive|fee_opening] [--dry-run]
[--report OUT.xlsx]`: the archive import (docs/archive.md §6.3), or opening balances (期初欠费,
docs/resident-services.md §6.8), from a terminal, for onboarding a project from its old system's
Excel. The same service as the upload worker, acting as `system:import-cli` on the one project.

Exit status: 0 imported (or, with --dry-run, would import) cleanly; 1 the file has problems
(listed, and written to --report), nothing written; 2 it could not run (no such file or project,
another import of the project running, a configuration error)."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from typing import IO

from tqdm import tqdm  # type: ignore[import-untyped]

from domain.archive.import_service import ImportArchive, ImportResult, import_archive
from domain.archive.import_target import project_by_code
from domain.archive.report_workbook import problems_workbook
from domain.archive.sheets import SHEETS
from domain.errors import DomainError
from domain.fees.opening_import import ImportOpening, import_opening
from domain.fees.opening_sheet import SHEETS as FEE_SHEETS
from domain.unit_of_work import UnitOfWork
from tenants.context import TenantScope
from tenants.platform import Platform
from tenants.settings import Settings

ACTOR = "system:import-cli"
SHOWN = 20  # problems printed; the rest are in --report


def run(args: argparse.Namespace, settings: Settings) -> int:
    if not os.path.isfile(args.file):
        print(f"firstcall import: 找不到文件 no such file: {args.file}", file=sys.stderr)
        return 2
    return asyncio.run(_run(args, settings))


async def _run(args: argparse.Namespace, settings: Settings) -> int:
    platform = Platform.create(settings)
    bar = tqdm(total=0, unit="行", desc="导入 import", file=sys.stderr, disable=args.quiet)

    async def progress(done: int, total: int) -> None:
        bar.total = total
        bar.update(done - bar.n)

    try:
        org_id, project_id = await project_by_code(platform, args.project, args.org)
        uow = UnitOfWork(platform, org_id=org_id, actor=ACTOR, scope=TenantScope(org_id, frozenset({project_id}), ACTOR))
        if args.kind == "fee_opening":
            result = await import_opening(ImportOpening(project_id, args.file, dry_run=args.dry_run), uow, progress)
        else:
            result = await import_archive(ImportArchive(project_id, args.file, dry_run=args.dry_run), uow, progress,
                                          cipher=platform.cipher)
    except DomainError as e:
        bar.close()
        print(f"firstcall import: {e.message}", file=sys.stderr)
        return 2
    finally:
        await platform.close()
    bar.close()
    _summary(result, sys.stdout)
    if args.report:
        with open(args.report, "wb") as f:
            f.write(problems_workbook(result.problems, result.problem_count))
        print(f"报告 report: {args.report}")
    return 0 if result.ok else 1


def _summary(result: ImportResult, out: IO[str]) -> None:
    names = {s.key: s.name for s in (*SHEETS, *FEE_SHEETS)}
    if not result.ok:
        print(f"发现 {result.problem_count} 个问题，未导入任何数据。{result.problem_count} problems; nothing was imported.", file=out)
        for p in result.problems[:SHOWN]:
            where = " ".join(x for x in (p.sheet, f"第{p.row}行" if p.row else "", p.column) if x)
            print(f"  {where}: {p.problem}" + (f"（{p.value}）" if p.value else ""), file=out)
        if result.problem_count > SHOWN:
            print(f"  … 另有 {result.problem_count - SHOWN} 个 (and {result.problem_count - SHOWN} more)", file=out)
        return
    head = "试运行（未写入）dry run, nothing written" if result.dry_run else "已导入 imported"
    print(f"{head}: {result.rows_total} 行 rows", file=out)
    for key, c in result.counts.items():
        print(f"  {names[key]}: 新增 {c['created']} created, 更新 {c['updated']} updated, 未变 {c['unchanged']} unchanged", file=out)


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    p: argparse.ArgumentParser = sub.add_parser("import", help="import an archive workbook (.xlsx) into one project, all or nothing")
    p.add_argument("file", help="the workbook (.xlsx, at most 20 MB)")
    p.add_argument("--project", required=True, help="the project's code")
    p.add_argument("--org", default=None, help="the company's slug (needed when several companies use the code)")
    p.add_argument("--kind", choices=("archive", "fee_opening"), default="archive",
                   help="what the workbook holds: the archive, or opening balances (期初欠费)")
    p.add_argument("--dry-run", action="store_true", help="check and count everything, write nothing")
    p.add_argument("--report", default=None, help="write the problems to this .xlsx")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    return p
