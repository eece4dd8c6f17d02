# -*- coding: utf-8 -*-
"""The annual review's page and its exports: charts drawn on the server in
every section, each with its figures as a table, in French and English;
the PDF opened by poppler, the CSV parsed, the JSON the action's; the
command for scripts."""
from __future__ import annotations

import csv
import html
import io
import json
import re
import subprocess
from pathlib import Path

import pytest

from ckan.tests import helpers

from ckanext.partnership import model as pmodel
from ckanext.partnership.domain import annual_review as rules
from tests.annual_review.test_review import ORG, _decisions, _published
from tests.logic.test_comments import comment
from tests.publication.test_views import _get

ROOT = Path(__file__).resolve().parents[2]


def year() -> int:
    return pmodel.now().year


@pytest.fixture
def history(people, test_request_context):
    """A year of the partner: decisions, a question, a committee meeting
    (the actions run in a request of their own: the pages' requests have
    theirs)."""
    with test_request_context():
        package = _decisions(people)
        comment(package, "citoyen")
        helpers.call_action("partnership_committee_meeting_create",
                            context={"user": "validateur"},
                            agreement_id=people["agreement"]["id"], held_on=f"{year()}-01-20")
    return people


def _sections(body: str) -> dict[str, str]:
    found = dict(re.findall(r'<section class="partnership-review-section" id="review-\w+" '
                            r'data-section="(\w+)">(.*?)</section>', body, re.S))
    assert list(found) == list(rules.SECTIONS)
    return found


def test_the_page_has_a_chart_and_its_table_in_every_section(app, history):
    page = _get(app, f"/partnership/review/{ORG}/{year()}", user="aix-publicateur")
    assert page.status_code == 200
    body = page.body
    assert f"Bilan annuel {year()} : Ville d'Aix-en-Provence" in html.unescape(body)
    for name, section in _sections(body).items():
        if name == "use":  # CKAN's tracking is off in the test portal
            assert 'data-tracking="off"' in section
            assert 'data-chart="use-tracking"' not in section
            # the portal's own log of restricted downloads is drawn all the same
            assert section.count("<svg") == 1 and 'data-chart="use-restricted"' in section
            continue
        assert section.count("<svg") >= 1, name
        assert 'role="img"' in section and "<title id=" in section, name
        # each chart's figures, month by month, as a table
        assert section.count('class="table table-sm partnership-review-chart-data"') \
            == section.count("<svg"), name
        assert "<script" not in section, name
    assert "<script" not in "".join(re.findall(r"<svg.*?</svg>", body, re.S))
    assert 'data-figure="publication.decided"' in body
    english = _get(app, f"/en/partnership/review/{ORG}/{year()}", user="aix-publicateur").body
    assert f"Annual review {year()}: Ville d'Aix-en-Provence" in html.unescape(english)
    assert "The host's decisions, month by month" in html.unescape(english)


def test_the_portals_review_for_validators_only(app, history):
    assert _get(app, f"/partnership/review/{year()}", user="validateur").status_code == 200
    assert _get(app, f"/partnership/review/{year()}", user="aix-publicateur").status_code == 403
    assert _get(app, f"/partnership/review/{ORG}/{year()}", user="citoyen").status_code == 403
    assert _get(app, f"/partnership/review/{ORG}/{year()}").status_code == 403
    assert _get(app, f"/partnership/review/{ORG}/{year()}.csv", user="citoyen").status_code == 403
    assert _get(app, f"/partnership/review/nulle-part/{year()}", user="validateur").status_code \
        == 404
    future = _get(app, f"/partnership/review/{ORG}/{year() + 1}", user="validateur")
    assert future.status_code == 400 and "2000" in future.body
    assert _get(app, f"/partnership/review/{ORG}/{year()}.docx",
                user="validateur").status_code == 404


def test_the_csv_has_one_row_per_month_and_figure(app, history):
    response = _get(app, f"/partnership/review/{ORG}/{year()}.csv", user="aix-publicateur")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert f'filename="bilan-{ORG}-{year()}.csv"' in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.body)))
    found = helpers.call_action("partnership_annual_review", context={"user": "validateur"},
                                organization=ORG, year=year())
    assert len(rows) == 12 * len(found["series"])
    assert tuple(rows[0]) == rules.CSV_COLUMNS
    by_figure: dict[tuple[str, str], list[str]] = {}
    for row in rows:
        assert row["organization"] == ORG and row["year"] == str(year())
        by_figure.setdefault((row["section"], row["figure"]), []).append(row["month"])
    assert all(months == rules.months(year()) for months in by_figure.values())
    decided = [r for r in rows if (r["section"], r["figure"]) == ("publication", "decided")]
    assert sum(int(r["value"] or 0) for r in decided) == 2


def test_the_json_is_the_actions(app, history):
    response = _get(app, f"/partnership/review/{ORG}/{year()}.json", user="validateur")
    found = json.loads(response.body)
    assert found["totals"] == helpers.call_action(
        "partnership_annual_review", context={"user": "validateur"}, organization=ORG,
        year=year())["totals"]


def _pdf_text(pdf: bytes, tmp_path: Path) -> tuple[list[str], list[Path]]:
    path = tmp_path / "bilan.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    pages = int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))
    assert "A4" in info.stdout
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(path), str(tmp_path / "page")],
                   check=True)
    images = sorted(tmp_path.glob("page*.png"))
    assert len(images) == pages and all(i.stat().st_size > 1000 for i in images)
    texts = [subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(path), "-"],
                            capture_output=True, text=True, check=True).stdout
             for n in range(1, pages + 1)]
    return texts, images


def test_the_pdf_opens_with_the_names_and_key_figures(app, history, tmp_path):
    response = _get(app, f"/partnership/review/{ORG}/{year()}.pdf", user="aix-publicateur")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    texts, images = _pdf_text(response.data, tmp_path)
    whole = "\n".join(texts)
    assert "Ville d'Aix-en-Provence" in whole or "Ville d’Aix-en-Provence" in whole
    assert "Région Sud" in whole or helpers.config.get("ckan.site_title") in whole
    assert re.search(r"Requêtes? décidées? par l'hôte\s+2\b", whole) or \
        re.search(r"Demandes décidées par l.hôte\s+2\b", whole), whole[:3000]
    out = ROOT / "test-results"
    out.mkdir(exist_ok=True)
    (out / "annual-review-page-1.png").write_bytes(images[0].read_bytes())


def test_the_command_writes_each_format(cli, history, tmp_path):
    from ckan.cli.cli import ckan

    for fmt in ("csv", "json", "pdf"):
        output = tmp_path / f"bilan.{fmt}"
        result = cli.invoke(ckan, ["partnership", "review", "--organization", ORG,
                                   "--year", str(year()), "--format", fmt,
                                   "--output", str(output)])
        assert result.exit_code == 0, result.output
        assert output.stat().st_size > 0
    rows = list(csv.DictReader(io.StringIO((tmp_path / "bilan.csv").read_text())))
    assert {r["figure"] for r in rows} >= {"decided", "threads", "meetings"}
    assert json.loads((tmp_path / "bilan.json").read_text())["organization"]["name"] == ORG
    assert (tmp_path / "bilan.pdf").read_bytes().startswith(b"%PDF")
    bad = cli.invoke(ckan, ["partnership", "review", "--year", "demain",
                            "--output", str(tmp_path / "x.pdf")])
    assert bad.exit_code == 2 and "--year" in bad.output
    assert not (tmp_path / "x.pdf").exists()


def test_the_agreement_page_and_the_dashboard_link_to_the_review(app, history):
    agreement = history["agreement"]
    page = html.unescape(_get(app, f"/partnership/agreements/{agreement['id']}",
                              user="aix-publicateur").body)
    assert f"/partnership/review/{ORG}/{year()}" in page
    assert f"/partnership/review/{ORG}/{year() - 1}" in page
    board = html.unescape(_get(app, "/partnership/dashboard", user="aix-publicateur").body)
    assert f"/partnership/review/{ORG}/{year()}" in board
    assert f"Bilan annuel {year()} : Ville d'Aix-en-Provence" in board
    host = _get(app, "/partnership/dashboard", user="validateur").body
    assert f"/partnership/review/{year()}" in host
