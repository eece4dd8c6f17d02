"""Benchmark of the resource check suite against the frictionless CLI.

    .venv/bin/python bench/checks.py [--repeat 3] [--rows 300000] ...
    make bench

Generates two SCDL "subventions" files once into a cache directory (a
valid one of about 73 MB and the same with about 1% of the cells broken,
see make_subventions.py), then for each file runs, each in its own child
process:

* ours: ``python -m ckanext.partnership.checks FILE --schema SCHEMA``;
* frictionless: ``frictionless validate --schema SCHEMA FILE`` with
  ``--limit-errors 0`` (count every error instead of stopping at 1,000),
  ``--json`` (a machine-readable report, as ours prints) and ``--trusted``
  (frictionless refuses absolute paths otherwise);
* csv: Python's csv module reading every row, the floor for a
  pure-Python pass over the file.

For each run it records the wall time and the peak RSS of that child (from
``os.wait4``, not the parent's), keeps the best of ``--repeat`` runs, and
reads the number of errors each tool reports. It prints a table, the
ratios ours/frictionless and the targets (time and RSS ratio <= 1.0, peak
RSS <= 150 MiB). It measures, it does not assert: exit status 0 whatever
the figures, also when a tool fails or is missing.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import make_subventions  # noqa: E402

#: The official fixture, as the tests use it; the suite's bundled copy
#: (same JSON) when the fixtures are not there.
SCHEMA_CANDIDATES = [
    ROOT / "tests/fixtures/scdl/subventions/schema.json",
    ROOT / "ckanext/partnership/checks/standards/scdl-subventions-2.1.1.json",
]
SUITE_MAIN = ROOT / "ckanext/partnership/checks/__main__.py"
DEFAULT_SUITE_CMD = "{python} -m ckanext.partnership.checks {file} --schema {schema}"

TARGET_RATIO = 1.0
TARGET_RSS_MIB = 150

CSV_BASELINE = """\
import csv, sys
rows = 0
with open(sys.argv[1], encoding="utf-8", newline="") as stream:
    reader = csv.reader(stream)
    next(reader)
    for _ in reader:
        rows += 1
print(rows)
"""

TOOLS = ("ours", "frictionless", "csv")


# --------------------------------------------------------------------------
# The two files
# --------------------------------------------------------------------------

def prepare_files(cache: Path, rows: int, seed: int, regenerate: bool) -> dict[str, Any]:
    """Generate the valid and bad files unless the cache already holds them
    for the same generator, row count and seed."""
    cache.mkdir(parents=True, exist_ok=True)
    generator = (HERE / "make_subventions.py").read_bytes()
    key = hashlib.sha256(generator + f"|{rows}|{seed}".encode()).hexdigest()[:16]
    stem = f"subventions-{rows}-{key}"
    files = {"valid": cache / f"{stem}-valid.csv", "bad": cache / f"{stem}-bad.csv"}
    manifest = cache / f"{stem}-bad.manifest.json"
    for label, path in files.items():
        if path.exists() and not regenerate and (label != "bad" or manifest.exists()):
            continue
        for old in cache.glob(f"subventions-{rows}-*-{label}.csv"):  # stale versions
            if old != path:
                old.unlink()
        print(f"generating {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}"
              f" ({rows:,} rows)...", file=sys.stderr, flush=True)
        partial = path.with_suffix(".partial")
        argv = [str(partial), "--rows", str(rows), "--seed", str(seed)]
        if label == "bad":
            argv += ["--bad", "--manifest", str(manifest)]
        make_subventions.main(argv)
        partial.replace(path)
    for old in cache.glob(f"subventions-{rows}-*-bad.manifest.json"):
        if old != manifest:
            old.unlink()
    return {"files": files, "manifest": json.loads(manifest.read_text("utf-8"))}


# --------------------------------------------------------------------------
# Running a child and measuring it
# --------------------------------------------------------------------------

@dataclass
class Run:
    seconds: float
    cpu_seconds: float
    rss_mib: float
    exit_code: int
    stdout: Path
    stderr: Path
    timed_out: bool = False


class Launcher:
    """The small process that starts and measures every command (see
    launcher.py for why the parent does not do it itself)."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-S", str(HERE / "launcher.py")],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT)

    def run(self, argv: list[str], out_dir: Path, name: str, timeout: float) -> Run:
        """Run argv in its own process, stdout and stderr to files: wall
        time from fork to exit, peak RSS and CPU time of that child."""
        stdout, stderr = out_dir / f"{name}.out", out_dir / f"{name}.err"
        job = {"argv": argv, "cwd": str(ROOT), "stdout": str(stdout),
               "stderr": str(stderr), "timeout": timeout}
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(json.dumps(job) + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline()
        if not answer:
            raise RuntimeError("the launcher died")
        got = json.loads(answer)
        return Run(seconds=got["seconds"], cpu_seconds=got["utime"] + got["stime"],
                   rss_mib=got["maxrss_kib"] / 1024, exit_code=got["exit_code"],
                   stdout=stdout, stderr=stderr, timed_out=got["timed_out"])

    def floor_mib(self, out_dir: Path) -> float:
        """Peak RSS reported for a command that uses almost none: what the
        launcher itself adds, the lowest figure any run can show."""
        true = shutil.which("true") or "/bin/true"
        return self.run([true], out_dir, "floor", 60).rss_mib

    def close(self) -> None:
        assert self.process.stdin
        self.process.stdin.close()
        self.process.wait()


# --------------------------------------------------------------------------
# Reading what each tool reports
# --------------------------------------------------------------------------

def count_suite(report: Any) -> tuple[Optional[int], Optional[int]]:
    """(errors, warnings) of our suite's report: the ``count`` of every
    finding, by severity (see ckanext/partnership/checks/base.py)."""
    totals = {"error": 0, "warning": 0}
    seen = False

    def walk(node):
        nonlocal seen
        if isinstance(node, dict):
            if isinstance(node.get("findings"), list):
                seen = True  # a result, even with no findings
            if "severity" in node and "count" in node and isinstance(node["count"], int):
                seen = True
                severity = node["severity"]
                if severity in totals:
                    totals[severity] += node["count"]
                return
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(report)
    if seen:
        return totals["error"], totals["warning"]
    if isinstance(report, dict):  # some other shape: take what it says
        for key in ("error_count", "errors"):
            value = report.get(key)
            if isinstance(value, int):
                return value, None
            if isinstance(value, list):
                return len(value), None
    return None, None


def read_counts(tool: str, run: Run) -> dict[str, Any]:
    """What the tool says about the file: errors, warnings, validity, rows."""
    text = run.stdout.read_text("utf-8", errors="replace")
    try:
        if tool == "csv":
            return {"rows": int(text.strip())}
        report = json.loads(text)
    except (ValueError, json.JSONDecodeError):
        return {}
    if tool == "frictionless":
        return {"errors": report["stats"]["errors"], "valid": report.get("valid")}
    errors, warnings = count_suite(report)
    counts: dict[str, Any] = {"errors": errors, "warnings": warnings}
    if isinstance(report, dict):
        counts["status"] = report.get("status")
        counts["rows"] = report.get("rows")
        if isinstance(report.get("results"), list):  # errors per check
            counts["by_check"] = {
                str(r.get("check")): count_suite(r)[0] for r in report["results"]
                if isinstance(r, dict) and count_suite(r)[0]}
    return counts


def last_line(path: Path) -> str:
    lines = [line for line in path.read_text("utf-8", errors="replace").splitlines()
             if line.strip()]
    return lines[-1][:160] if lines else ""


# --------------------------------------------------------------------------
# The benchmark
# --------------------------------------------------------------------------

@dataclass
class Result:
    tool: str
    file: str
    command: list[str]
    runs: list[Run] = field(default_factory=list)
    counts: dict[str, Any] = field(default_factory=dict)
    problem: str = ""  # the tool could not be measured
    remarks: list[str] = field(default_factory=list)

    @property
    def ok_runs(self) -> list[Run]:
        return [run for run in self.runs if self.succeeded(run)]

    def succeeded(self, run: Run) -> bool:
        if run.timed_out:
            return False
        # frictionless exits 1 on an invalid file; that is a result, not a failure.
        allowed = (0, 1) if self.tool == "frictionless" else (0,)
        return run.exit_code in allowed

    def best(self, attr: str) -> Optional[float]:
        values = [getattr(run, attr) for run in self.ok_runs]
        return min(values) if values else None


def commands(args, python: str, frictionless: Optional[str], file: Path) -> dict[str, Any]:
    fill = {"python": shlex.quote(python), "file": shlex.quote(str(file)),
            "schema": shlex.quote(str(args.schema))}
    cmds: dict[str, Any] = {}
    if args.suite_cmd == DEFAULT_SUITE_CMD and not SUITE_MAIN.exists():
        cmds["ours"] = f"not available: {SUITE_MAIN.relative_to(ROOT)} does not exist yet"
    else:
        cmds["ours"] = shlex.split(args.suite_cmd.format(**fill))
    if frictionless:
        cmds["frictionless"] = [frictionless, "validate", "--trusted", "--json",
                                "--limit-errors", "0", "--schema", str(args.schema), str(file)]
    else:
        cmds["frictionless"] = "not available: no frictionless CLI found"
    cmds["csv"] = [python, "-c", CSV_BASELINE, str(file)]
    return {tool: cmds[tool] for tool in args.tools}


def benchmark(args, files: dict[str, Path], launcher: Launcher) -> list[Result]:
    python = sys.executable
    frictionless = shutil.which("frictionless", path=str(Path(python).parent)) \
        or shutil.which("frictionless")
    out_dir = args.cache_dir / "out"
    out_dir.mkdir(parents=True, exist_ok=True)
    results: list[Result] = []
    for label, path in files.items():
        for tool, command in commands(args, python, frictionless, path).items():
            if isinstance(command, str):
                results.append(Result(tool, label, [], problem=command))
            else:
                results.append(Result(tool, label, command))
    # Round robin over the repeats, so that a slow spell of the machine
    # does not hit a single tool.
    for attempt in range(1, args.repeat + 1):
        for result in results:
            if result.problem:
                continue
            print(f"[{attempt}/{args.repeat}] {result.tool:<12} {result.file:<5} ...",
                  end=" ", file=sys.stderr, flush=True)
            run = launcher.run(result.command, out_dir, f"{result.tool}-{result.file}",
                               args.timeout)
            result.runs.append(run)
            note = "" if result.succeeded(run) else (
                " TIMED OUT" if run.timed_out else f" exit {run.exit_code}")
            print(f"{run.seconds:7.2f} s {run.rss_mib:7.1f} MiB{note}",
                  file=sys.stderr, flush=True)
            if result.succeeded(run):
                counts = read_counts(result.tool, run)
                if result.counts and counts != result.counts:
                    result.remarks.append(f"run {attempt} reports {counts}")
                result.counts = counts
            elif not result.ok_runs and attempt == 1:
                # A tool that fails once fails every time: do not wait thrice.
                result.problem = ("timed out" if run.timed_out else
                                  f"exit {run.exit_code}: {last_line(run.stderr)}")
    return results


# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------

def fmt(value, spec: str, none: str = "-") -> str:
    return none if value is None else format(value, spec)


def ratio(a: Optional[float], b: Optional[float]) -> Optional[float]:
    return None if a is None or not b else a / b


def verdict(ok: Optional[bool]) -> str:
    return "n/a" if ok is None else ("met" if ok else "NOT met")


def print_report(args, results: list[Result], files: dict[str, Path],
                 manifest: dict[str, Any]) -> dict[str, Any]:
    print()
    print(f"Schema: {args.schema}")
    for label, path in files.items():
        print(f"{label:<5} file: {path}  ({path.stat().st_size / 1e6:.1f} MB, "
              f"{path.stat().st_size / 2**20:.1f} MiB, {args.rows:,} rows x 16 columns)")
    print(f"bad file: {manifest['bad_cells']:,} broken cells in {manifest['bad_rows']:,} rows "
          f"({manifest['bad_cells'] / manifest['cells']:.2%} of the cells); "
          f"{manifest['bad_cells_seen_by_table_schema']:,} break a Table Schema rule, "
          f"{manifest['bad_cells_seen_only_by_custom_checks']:,} only the schema's "
          f"custom_checks (SIRET checksum, idBeneficiaire or rnaBeneficiaire)")
    print(f"Best of {args.repeat} run(s); time = wall clock of the child process, "
          f"RSS = its peak resident set (os.wait4; the launcher's floor is "
          f"{args.floor_mib:.1f} MiB).")
    print()
    header = f"{'file':<6} {'tool':<13} {'time s':>8} {'cpu s':>8} {'peak RSS MiB':>13} " \
             f"{'errors':>8} {'warnings':>9}  notes"
    print(header)
    print("-" * len(header))
    for result in results:
        counts = result.counts
        notes = []
        if result.problem:
            notes.append(result.problem)
        notes += result.remarks
        if "valid" in counts:
            notes.append("valid" if counts["valid"] else "invalid")
        if counts.get("status"):
            notes.append(f"status {counts['status']}")
        if counts.get("by_check"):
            notes.append(" + ".join(f"{check} {n:,}" for check, n in counts["by_check"].items()))
        if counts.get("rows") is not None:
            notes.append(f"{counts['rows']:,} rows")
        if result.runs:
            notes.append("runs " + " ".join(f"{run.seconds:.1f}" for run in result.runs))
        errors = counts.get("errors") if result.tool != "csv" else None
        print(f"{result.file:<6} {result.tool:<13} {fmt(result.best('seconds'), '8.2f'):>8} "
              f"{fmt(result.best('cpu_seconds'), '8.2f'):>8} "
              f"{fmt(result.best('rss_mib'), '13.1f'):>13} "
              f"{fmt(errors, ',') if result.tool != 'csv' else '':>8} "
              f"{fmt(counts.get('warnings'), ',', '') :>9}  {'; '.join(notes)}")
    print()

    by_key = {(r.tool, r.file): r for r in results}
    summary: dict[str, Any] = {}
    print(f"Targets: ours/frictionless time ratio <= {TARGET_RATIO}, "
          f"RSS ratio <= {TARGET_RATIO}, peak RSS <= {TARGET_RSS_MIB} MiB")
    for label in files:
        ours, theirs = by_key.get(("ours", label)), by_key.get(("frictionless", label))
        base = by_key.get(("csv", label))
        t_ours = ours.best("seconds") if ours else None
        m_ours = ours.best("rss_mib") if ours else None
        t_ratio = ratio(t_ours, theirs.best("seconds") if theirs else None)
        m_ratio = ratio(m_ours, theirs.best("rss_mib") if theirs else None)
        t_csv = ratio(t_ours, base.best("seconds") if base else None)
        line = (f"{label:<5} ours/frictionless: time {fmt(t_ratio, '.2f')} "
                f"[{verdict(None if t_ratio is None else t_ratio <= TARGET_RATIO)}], "
                f"RSS {fmt(m_ratio, '.2f')} "
                f"[{verdict(None if m_ratio is None else m_ratio <= TARGET_RATIO)}]; "
                f"ours peak RSS {fmt(m_ours, '.1f')} MiB "
                f"[{verdict(None if m_ours is None else m_ours <= TARGET_RSS_MIB)}]; "
                f"ours/csv time {fmt(t_csv, '.2f')}")
        print(line)
        summary[label] = {"time_ratio": t_ratio, "rss_ratio": m_ratio,
                          "ours_rss_mib": m_ours, "ours_csv_time_ratio": t_csv}
    print()
    print(f"Expected errors in the bad file: frictionless (Table Schema only) "
          f"{manifest['bad_cells_seen_by_table_schema']:,}; a suite that also runs the "
          f"custom_checks about {manifest['bad_cells']:,} (one per broken cell; a "
          f"truncated or lettered SIRET may count twice, pattern and checksum).")
    print(f"Outputs of the last runs: {args.cache_dir / 'out'}")
    return summary


def to_json(args, results, files, manifest, summary) -> dict[str, Any]:
    return {
        "schema": str(args.schema), "repeat": args.repeat, "rows": args.rows,
        "rss_floor_mib": args.floor_mib,
        "files": {label: {"path": str(path), "bytes": path.stat().st_size}
                  for label, path in files.items()},
        "manifest": manifest,
        "results": [{
            "tool": r.tool, "file": r.file, "command": r.command, "problem": r.problem,
            "remarks": r.remarks,
            "best_seconds": r.best("seconds"), "best_cpu_seconds": r.best("cpu_seconds"),
            "best_rss_mib": r.best("rss_mib"), "counts": r.counts,
            "runs": [{"seconds": run.seconds, "cpu_seconds": run.cpu_seconds,
                      "rss_mib": run.rss_mib, "exit_code": run.exit_code,
                      "timed_out": run.timed_out} for run in r.runs],
        } for r in results],
        "ratios": summary,
        "targets": {"ratio": TARGET_RATIO, "rss_mib": TARGET_RSS_MIB},
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description="Time and peak RSS of the check suite, the frictionless CLI "
                    "and a csv-module baseline on two generated SCDL subventions files.")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs per tool and file; the best is reported (default 3)")
    parser.add_argument("--rows", type=int, default=make_subventions.DEFAULT_ROWS,
                        help="rows of the generated files (default %(default)s)")
    parser.add_argument("--seed", type=int, default=make_subventions.DEFAULT_SEED)
    parser.add_argument("--schema", type=Path,
                        default=next((p for p in SCHEMA_CANDIDATES if p.exists()),
                                     SCHEMA_CANDIDATES[0]),
                        help="Table Schema (default: the SCDL subventions 2.1.1 fixture)")
    parser.add_argument("--cache-dir", type=Path, default=ROOT / ".bench",
                        help="where the files and the outputs go (default .bench/)")
    parser.add_argument("--regenerate", action="store_true",
                        help="generate the files again even if cached")
    parser.add_argument("--tools", default=",".join(TOOLS),
                        help="comma-separated subset of: " + ", ".join(TOOLS))
    parser.add_argument("--suite-cmd", default=DEFAULT_SUITE_CMD,
                        help="command line of our suite, with {python}, {file} and "
                             "{schema} placeholders (default: %(default)s)")
    parser.add_argument("--timeout", type=float, default=1800,
                        help="seconds before a run is killed (default %(default)s)")
    parser.add_argument("--json-out", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[attr-defined]
    args.tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    unknown = set(args.tools) - set(TOOLS)
    if unknown or args.repeat < 1 or args.rows < 1:
        parser.error(f"bad --tools/--repeat/--rows ({', '.join(sorted(unknown))})")
    if not args.schema.exists():
        parser.error(f"schema not found: {args.schema}")
    args.schema = args.schema.resolve()
    args.cache_dir = args.cache_dir.resolve()

    prepared = prepare_files(args.cache_dir, args.rows, args.seed, args.regenerate)
    files, manifest = prepared["files"], prepared["manifest"]
    (args.cache_dir / "out").mkdir(parents=True, exist_ok=True)
    launcher = Launcher()
    try:
        args.floor_mib = launcher.floor_mib(args.cache_dir / "out")
        results = benchmark(args, files, launcher)
    finally:
        launcher.close()
    summary = print_report(args, results, files, manifest)
    if args.json_out:
        args.json_out.write_text(json.dumps(
            to_json(args, results, files, manifest, summary), indent=2) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
