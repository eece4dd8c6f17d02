"""The personal data check on the labelled corpus of tests/fixtures/personal:
pure, no CKAN. Each CSV file's reported detectors (findings of severity
error or warning: the code, and the kind for ``column_name``) must be the
ones its ``.expect`` lists. The comparison is bench/personal.py's, the one
``make bench-personal`` prints precision and recall with."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location(
    "bench_personal", ROOT / "bench" / "personal.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

FILES = bench.corpus()


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_the_check_reports_what_the_file_is_labelled_with(path):
    want, got = bench.expected(path), bench.detectors(path)
    assert not got - want, f"{path.name}: false positives {sorted(got - want)}"
    assert not want - got, f"{path.name}: missed {sorted(want - got)}"


def test_the_corpus_is_not_shrunk():
    personal = [p for p in FILES if bench.expected(p)]
    assert len(FILES) >= 40, f"only {len(FILES)} files in the corpus"
    assert len(personal) >= 10, f"only {len(personal)} with personal data"
    for path in FILES:
        assert path.with_suffix(".expect").exists(), path.name
