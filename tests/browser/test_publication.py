# -*- coding: utf-8 -*-
"""The publication workflow end to end, in a real browser, one browser
context per person: a producer creates a private dataset with the form, the
publisher submits it, a validator sees it in the queue with its deadline and
refuses it with a reason, the publisher fixes the dataset and submits it
again, the validator approves, and anyone finds the dataset by searching.

Most strings of the workflow are not translated yet: the test finds buttons
and facts by their forms' addresses, CSS classes and data attributes, and
accepts the French or the English wording where it reads text."""
from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ckan.tests import helpers

from tests.browser.test_forms import fill_metadata

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

NAME = "deliberations-du-conseil-municipal"  # from the title fill_metadata types
CSV = (b"numero,objet,vote\n"
       b"2025-001,Budget primitif,adopte\n"
       b"2025-002,Tarifs des cantines,adopte\n")
REFUSAL = "Décrivez les colonnes du fichier (numero, objet, vote) dans la description."
FIXED_NOTES = ("Délibérations adoptées en 2025, avec le résultat des votes. "
               "Colonnes : numero (numéro de la délibération), objet, vote.")


def run_worker():
    """CKAN's own background worker, until the queue is empty."""
    ckan = Path(sys.executable).with_name("ckan")
    done = subprocess.run(
        [str(ckan), "-c", str(ROOT / "test.ini"), "jobs", "worker", "--burst"], cwd=ROOT,
        env=dict(os.environ), capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr


def expected_deadline(app, due_at: str) -> str:
    """The deadline as the portal writes it (same helper, same language)."""
    from ckanext.partnership.helpers import partnership_datetime

    with app.flask_app.test_request_context():
        return partnership_datetime(due_at)


def checks_of(page):
    """{code: status} of the publication checks the page shows."""
    checks = page.locator(".partnership-dataset-publication .partnership-publication-check")
    return {checks.nth(i).get_attribute("data-code"): checks.nth(i).get_attribute("data-status")
            for i in range(checks.count())}


SUBMIT = f"form[action$='/dataset/{NAME}/publication/submit'] button[type=submit]"


def test_refused_fixed_resubmitted_approved_then_found_by_anyone(live_server, people, person,
                                                                 app, tmp_path):
    """In a browser, a producer creates a private dataset, the publisher submits it from
    its publication page, a validator refuses it with a reason, then approves it before
    the 48-hour deadline, and anyone finds it (000 §9.1.2, 000 §9.3.2, 002 §4.2.1)."""
    base = live_server.url

    # -- the producer creates the dataset with the form, private, with a file
    producer = person("aix-producteur")
    producer.goto(base + "/dataset/new", wait_until="networkidle")
    fill_metadata(producer, public=False)
    producer.get_by_role("button", name="Suivant : Ajouter des données").click()
    source = tmp_path / "deliberations-2025.csv"
    source.write_bytes(CSV)
    producer.set_input_files("#field-resource-upload", str(source))
    producer.fill("#field-name", "Délibérations 2025")
    # CKAN's last step: "Finish" on 2.11, "Publish" on 2.12
    producer.get_by_role("button", name=re.compile("^(Terminer|Publier)$")).click()
    producer.wait_for_url(f"**/dataset/{NAME}")
    box = producer.locator(".partnership-publication-box")
    expect(box).to_be_visible()
    expect(box.get_by_role("link", name="Publication")).to_have_attribute(
        "href", f"/dataset/{NAME}/publication")
    created = helpers.call_action("package_show", id=NAME)
    assert created["private"] is True
    assert [r["url_type"] for r in created["resources"]] == ["upload"]

    # the producer does not submit: only the publisher does
    producer.goto(base + f"/dataset/{NAME}/publication")
    expect(producer.locator(".partnership-publisher-only")).to_contain_text("Paul Publicateur")
    expect(producer.locator(SUBMIT)).to_have_count(0)

    # the file is checked in the background
    run_worker()

    # -- the publisher submits it
    publisher = person("aix-publicateur")
    publisher.goto(base + f"/dataset/{NAME}/publication")
    assert checks_of(publisher) == {
        "metadata": "pass", "licence": "pass", "resources": "pass", "standard": "pass",
        "personal_data": "pass", "open_formats": "pass"}
    expect(publisher.locator(".partnership-requests")).to_have_count(0)
    publisher.locator(SUBMIT).click()
    publisher.wait_for_url(f"**/dataset/{NAME}/publication")
    expect(publisher.locator(".alert-success")).to_contain_text(
        re.compile(r"Soumis pour publication|Submitted for publication"))
    expect(publisher.locator(".partnership-visibility .partnership-deadline")).to_be_visible()
    expect(publisher.locator(".partnership-requests tbody tr")).to_have_count(1)
    expect(publisher.locator(".partnership-requests tr[data-status=pending]")).to_have_count(1)
    expect(publisher.locator(SUBMIT)).to_have_count(0)  # one request at a time

    # -- the validator sees it in the queue, with its deadline
    [pending] = helpers.call_action("partnership_queue_list", context={"user": "validateur"})
    submitted = dt.datetime.fromisoformat(pending["submitted_at"])
    assert dt.datetime.fromisoformat(pending["due_at"]) - submitted == dt.timedelta(hours=48)
    validator = person("validateur")
    validator.goto(base + "/partnership/queue")
    request = validator.locator(f"section.partnership-request[data-dataset='{NAME}']")
    expect(request).to_have_count(1)
    expect(request.get_by_role("heading", level=2)).to_have_text("Délibérations du conseil municipal")
    expect(request).to_contain_text("Ville d'Aix-en-Provence")
    deadline = request.locator(".partnership-deadline")
    expect(deadline).to_have_attribute("data-overdue", "false")
    due = expected_deadline(app, pending["due_at"])
    expect(deadline).to_contain_text(due)
    # 48 hours less the few seconds since the submission
    expect(deadline).to_contain_text(re.compile(r"1\s*[dj]\s*23\s*h"))

    # it refuses it: metadata, with a message
    refuse = request.locator("form.partnership-refuse")
    refuse.locator("input[name=reasons][value=metadata]").check()
    refuse.locator("textarea[name=message]").fill(REFUSAL)
    refuse.locator("button[type=submit]").click()
    validator.wait_for_url("**/partnership/queue")
    expect(validator.locator(".alert-success")).to_contain_text("Délibérations du conseil municipal")
    expect(validator.locator("section.partnership-request")).to_have_count(0)
    assert helpers.call_action("package_show", id=NAME)["private"] is True

    # -- the publisher reads why, on the publication page
    publisher.goto(base + f"/dataset/{NAME}/publication")
    refused = publisher.locator(".partnership-requests tr[data-status=refused]")
    expect(refused).to_have_count(1)
    expect(refused).to_contain_text("(§2.6)")  # the metadata reason, with its article
    expect(refused.locator(".partnership-request-message")).to_have_text(REFUSAL)
    expect(refused).to_contain_text(re.compile(r"Refusé|Refused"))
    expect(publisher.locator(".partnership-visibility .partnership-deadline")).to_have_count(0)

    # fixes the description with the form
    publisher.goto(base + f"/dataset/edit/{NAME}", wait_until="networkidle")
    publisher.fill("#field-notes", FIXED_NOTES)
    # the form's main button (CKAN 2.12 adds an "Unpublish" one beside it)
    publisher.locator("form#dataset-edit button[name=save].btn-primary").click()
    publisher.wait_for_url(f"**/dataset/{NAME}")
    expect(publisher.get_by_text("Colonnes : numero (numéro de la délibération)")).to_be_visible()

    # and submits again: the file's checks still stand
    publisher.goto(base + f"/dataset/{NAME}/publication")
    assert set(checks_of(publisher).values()) == {"pass"}
    publisher.locator(SUBMIT).click()
    publisher.wait_for_url(f"**/dataset/{NAME}/publication")
    statuses = publisher.locator(".partnership-requests tbody tr")
    expect(statuses).to_have_count(2)
    assert [statuses.nth(i).get_attribute("data-status") for i in range(2)] == [
        "pending", "refused"]

    # until approved, the public neither finds it nor reads it
    visitor = person(None)
    visitor.goto(base + "/dataset/?q=délibérations")
    expect(visitor.locator(".dataset-list .dataset-item")).to_have_count(0)
    assert visitor.goto(base + f"/dataset/{NAME}").status == 404

    # -- the validator approves
    validator.goto(base + "/partnership/queue")
    request = validator.locator(f"section.partnership-request[data-dataset='{NAME}']")
    expect(request).to_have_count(1)
    expect(request.locator(".partnership-deadline")).to_have_attribute("data-overdue", "false")
    request.locator("form:has(input[name=decision][value=approve]) button[type=submit]").click()
    validator.wait_for_url("**/partnership/queue")
    expect(validator.locator(".alert-success")).to_contain_text("Délibérations du conseil municipal")
    expect(validator.locator("section.partnership-request")).to_have_count(0)

    # the publisher sees it published
    publisher.goto(base + f"/dataset/{NAME}/publication")
    expect(publisher.locator(".partnership-visibility .badge.bg-success")).to_be_visible()
    expect(publisher.locator(".partnership-requests tbody tr").first).to_have_attribute(
        "data-status", "approved")

    # -- anyone finds it by searching, and reads it, logged out
    visitor.goto(base + "/dataset/?q=colonnes")  # a word of the fixed description
    expect(visitor.locator(".dataset-list .dataset-item")).to_have_count(1)
    found = visitor.locator(f".dataset-list .dataset-heading a[href='/dataset/{NAME}']")
    expect(found).to_have_text("Délibérations du conseil municipal")
    found.click()
    visitor.wait_for_url(f"**/dataset/{NAME}")
    expect(visitor.locator("h1").first).to_contain_text("Délibérations du conseil municipal")
    expect(visitor.get_by_text("Colonnes : numero (numéro de la délibération)")).to_be_visible()
    expect(visitor.locator(".partnership-publication-box")).to_have_count(0)
    expect(visitor.get_by_role("link", name="Délibérations 2025")).to_be_visible()
    response = visitor.goto(base + f"/dataset/{NAME}")
    assert response.status == 200
    shown = helpers.call_action("package_show", id=NAME)
    assert shown["private"] is False
    assert shown["issued"] == dt.date.today().isoformat()
