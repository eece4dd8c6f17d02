"""The cost of one very wide file: time and report size of the check suite.

    .venv/bin/python bench/wide.py [--columns 200000] [--max-columns 2000]

Writes a CSV of one header row and two data rows (a telephone number in
every cell of the first, short numbers in the second: 4.6 MB for 200,000
columns), then runs ``check_file`` on it with the SCDL "subventions"
standard, once with the column limit (the portal's default, or
``--max-columns``) and once without (``--no-limit`` skips that run). For
each it prints the wall time, the size of the report as stored (JSON), the
findings stored and the findings counted in ``omitted``. Then the same
for a Windows-1252 file with an accent on each of its ``--latin1-lines``
lines (a bad byte per line for the encoding check). It measures, it does
not assert; nothing here runs in the tests.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ckanext.partnership.checks.suite import MAX_COLUMNS, check_file  # noqa: E402

SCHEMA = ROOT / "tests/fixtures/scdl/subventions/schema.json"


def write(path: Path, columns: int) -> None:
    with open(path, "w", encoding="utf-8") as out:
        out.write(",".join(f"c{i:06d}" for i in range(columns)) + "\n")
        out.write(",".join(["0612345678"] * columns) + "\n")
        out.write(",".join(["123"] * columns) + "\n")


def measure(path: Path, descriptor: dict, max_columns) -> dict:
    start = time.perf_counter()
    report = check_file(str(path), descriptor=descriptor, fmt="CSV",
                        max_columns=max_columns)
    seconds = time.perf_counter() - start
    stored = sum(len(r["findings"]) for r in report["results"])
    left_out = sum(entry["findings"] for r in report["results"]
                   for entry in (r.get("omitted") or {}).values())
    return {"max_columns": max_columns, "seconds": round(seconds, 2),
            "report_bytes": len(json.dumps(report).encode("utf-8")),
            "findings_stored": stored, "findings_omitted": left_out,
            "status": report["status"]}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--columns", type=int, default=200_000)
    parser.add_argument("--max-columns", type=int, default=MAX_COLUMNS)
    parser.add_argument("--no-limit", action="store_true",
                        help="skip the run without a column limit")
    parser.add_argument("--latin1-lines", type=int, default=200_000)
    args = parser.parse_args(argv)
    descriptor = json.loads(SCHEMA.read_text("utf-8"))
    with tempfile.TemporaryDirectory(prefix="bench-wide-") as directory:
        path = Path(directory) / "wide.csv"
        write(path, args.columns)
        print(f"file: {args.columns} columns, 2 data rows, "
              f"{path.stat().st_size / 1e6:.1f} MB")
        runs = [args.max_columns] + ([] if args.no_limit else [None])
        for limit in runs:
            figures = measure(path, descriptor, limit)
            label = f"max_columns={limit}" if limit is not None else "no limit"
            print(f"{label:>18}: {figures['seconds']:8.2f} s  "
                  f"report {figures['report_bytes']:>9} bytes  "
                  f"findings {figures['findings_stored']} stored, "
                  f"{figures['findings_omitted']} omitted  "
                  f"({figures['status']})")
        latin1 = Path(directory) / "latin1.csv"
        latin1.write_bytes(("nom,ville\n" + "é,è\n" * args.latin1_lines)
                           .encode("cp1252"))
        figures = measure(latin1, None, args.max_columns)
        print(f"windows-1252, {args.latin1_lines} lines "
              f"({latin1.stat().st_size / 1e6:.1f} MB): "
              f"{figures['seconds']:.2f} s  report "
              f"{figures['report_bytes']} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
