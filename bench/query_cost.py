"""What weighing an operation (api/graphql/cost.py) adds to each request: the time of
`too_costly` — picking the operation, coercing its variables, walking its selections — for
operations the console sends, the typical ones and the costliest; the first time a document is
seen, and again (its weight kept for the same sizing variables). No database: nothing else of
the request is in the figure.

    .venv/bin/python bench/query_cost.py [--runs 5000]
"""

from __future__ import annotations

import argparse
import json
import platform as host
import re
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from graphql import DocumentNode, FragmentDefinitionNode, OperationDefinitionNode, parse

from api.graphql.admission import too_costly
from api.graphql.cost import MAX_COST, cost_of, weights
from api.graphql.schema import schema

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._results import Figure, record, results_dir  # noqa: E402

CONSOLE = Path(__file__).resolve().parents[1] / "console" / "src"
OUT = results_dir() / "query_cost.json"
# The queue page's list, a case's page, the HQ overview, and the costliest the console sends.
OPERATIONS = ("QueueCases", "CasePage", "OrgOverview", "AlertsCentre", "ReferralsTab")


def console_operations() -> dict[str, DocumentNode]:
    texts = [m.group(1) for path in sorted(CONSOLE.rglob("*.ts*")) if "gql" not in path.relative_to(CONSOLE).parts
             for m in re.finditer(r"graphql\(\s*`(.*?)`", path.read_text(encoding="utf-8"), re.S)]
    definitions = [d for text in texts for d in parse(text).definitions]
    fragments = tuple(d for d in definitions if isinstance(d, FragmentDefinitionNode))
    return {d.name.value: DocumentNode(definitions=(d, *fragments))
            for d in definitions if isinstance(d, OperationDefinitionNode) and d.name is not None}


def pct(samples: list[float], p: float) -> float:
    s = sorted(samples)
    return s[min(len(s) - 1, int(len(s) * p))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5000)
    args = parser.parse_args()
    operations = console_operations()
    rows = []
    for name in OPERATIONS:
        document = operations[name]
        operation = document.definitions[0]
        assert isinstance(operation, OperationDefinitionNode)
        variables: dict[str, object] = {}
        row: dict[str, object] = {"operation": name, "cost": cost_of(schema._schema, document, operation, {})}
        for seen in (False, True):
            samples = []
            for i in range(args.runs + args.runs // 10):  # the first tenth warms up
                if not seen:
                    weights.entries.clear()
                started = time.perf_counter()
                too_costly(schema._schema, document, name, variables)
                if i >= args.runs // 10:
                    samples.append((time.perf_counter() - started) * 1000)
            label = "seen" if seen else "first"
            row[f"{label}_p50_ms"], row[f"{label}_p99_ms"] = round(pct(samples, 0.5), 4), round(pct(samples, 0.99), 4)
        rows.append(row)
    print(f"{'operation':<14} {'cost':>7} {'first p50 / p99 ms':>20} {'seen p50 / p99 ms':>20}   (limit {MAX_COST})")
    for r in rows:
        print(f"{r['operation']:<14} {r['cost']:>7} {r['first_p50_ms']:>10.4f} / {r['first_p99_ms']:<7.4f} "
              f"{r['seen_p50_ms']:>10.4f} / {r['seen_p99_ms']:<7.4f}")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"date": datetime.now(UTC).isoformat(timespec="seconds"), "machine": host.processor() or host.machine(),
                               "python": host.python_version(), "runs": args.runs, "limit": MAX_COST, "operations": rows}, indent=2))
    costliest: dict = max(rows, key=lambda r: r["cost"])
    record("query_cost", args=args, parser=parser, figures=[
        Figure(f"{costliest['operation']} first p50", costliest["first_p50_ms"], "ms"),
        Figure("slowest seen p50", max(r["seen_p50_ms"] for r in rows), "ms"),
        Figure("slowest first p99", max(r["first_p99_ms"] for r in rows), "ms")])


if __name__ == "__main__":
    main()
