"""Precision and recall of the personal data check on a labelled corpus.

    .venv/bin/python bench/personal.py [DIRECTORY]
    make bench-personal

Runs the check suite (``checks.suite.check_file``, as the portal does:
delimiter sniffing, header, every row) on each ``*.csv`` of
``tests/fixtures/personal/`` and keeps the detectors of the
``personal_data`` findings of severity error or warning: the code, and for
``column_name`` the code and the kind (``column_name:family_name``). It
compares them with the file's ``.expect`` (one detector a line, empty:
no personal data) and prints, per detector, true positives, false
positives, false negatives, precision and recall, then the files whose
findings differ from their ``.expect``. It measures, it does not assert:
exit status 0 whatever the figures (``tests/checks/test_personal_corpus.py``
asserts).
"""
from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPUS = ROOT / "tests" / "fixtures" / "personal"
sys.path.insert(0, str(ROOT))

from ckanext.partnership.checks.personal import PersonalDataCheck  # noqa: E402
from ckanext.partnership.checks.suite import check_file  # noqa: E402

REPORTED = ("error", "warning")


def detectors(path: Path) -> set[str]:
    """The detectors the check reports on the CSV file at ``path``."""
    report = check_file(str(path), fmt="CSV", url=str(path))
    found: set[str] = set()
    for result in report["results"]:
        if result["check"] != PersonalDataCheck.name:
            continue
        for finding in result["findings"]:
            if finding["severity"] not in REPORTED:
                continue
            code = finding["code"]
            if "kind" in finding:
                code = f"{code}:{finding['kind']}"
            found.add(code)
    return found


def expected(path: Path) -> set[str]:
    """The detectors labelled in the ``.expect`` beside ``path``."""
    text = path.with_suffix(".expect").read_text(encoding="utf-8")
    return {line.strip() for line in text.splitlines() if line.strip()}


def corpus(directory: Path = CORPUS) -> list[Path]:
    return sorted(directory.glob("*.csv"))


def main(argv: list[str]) -> int:
    directory = Path(argv[0]) if argv else CORPUS
    counts: dict[str, list[int]] = {}
    differ: list[tuple[str, set[str], set[str]]] = []
    files = corpus(directory)
    for path in files:
        want, got = expected(path), detectors(path)
        for name in want | got:
            tp_fp_fn = counts.setdefault(name, [0, 0, 0])
            tp_fp_fn[0] += name in want and name in got
            tp_fp_fn[1] += name in got and name not in want
            tp_fp_fn[2] += name in want and name not in got
        if want != got:
            differ.append((path.name, got - want, want - got))
    print(f"{len(files)} files, "
          f"{sum(1 for p in files if expected(p))} with personal data")
    print(f"{'detector':28} {'TP':>4} {'FP':>4} {'FN':>4} "
          f"{'precision':>9} {'recall':>7}")
    total = [0, 0, 0]
    for name in sorted(counts):
        tp, fp, fn = counts[name]
        total = [total[0] + tp, total[1] + fp, total[2] + fn]
        print(_line(name, tp, fp, fn))
    print(_line("all", *total))
    print("files whose findings differ from .expect:"
          + ("" if differ else " none"))
    for name, extra, missing in differ:
        print(f"  {name}: reported but not expected {sorted(extra)}, "
              f"expected but not reported {sorted(missing)}")
    return 0


def _line(name: str, tp: int, fp: int, fn: int) -> str:
    precision = f"{tp / (tp + fp):.2f}" if tp + fp else "-"
    recall = f"{tp / (tp + fn):.2f}" if tp + fn else "-"
    return f"{name:28} {tp:4} {fp:4} {fn:4} {precision:>9} {recall:>7}"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
