# -*- coding: utf-8 -*-
"""Resource checks through CKAN: queued on save, run by the job, shown by
the API; on the real stack, with a real ``ckan jobs worker``."""
from __future__ import annotations

import http.server
import io
import json
import logging
import os
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest
from werkzeug.datastructures import FileStorage

import ckan.lib.jobs as jobs
import ckan.model as model
from ckan.tests import factories, helpers

from ckanext.partnership import model as pmodel, resource_checks
from tests.factories import full_dataset, partner
from tests.logic.test_agreements import agreement_004

ROOT = Path(__file__).resolve().parents[2]
SCDL = ROOT / "tests/fixtures/scdl"
SUBVENTIONS = "https://schema.data.gouv.fr/schemas/scdl/subventions/2.1.1/schema.json"

# Personal data that must never leave the file.
SECRETS = ["jeanne.martin@free.fr", "2 84 05 13 055 123 45", "paul.durand@orange.fr"]
PERSONAL_CSV = (
    "commune,contact,numero_secu\n"
    f"Aix,{SECRETS[0]},{SECRETS[1]}\n"
    f"Arles,{SECRETS[2]},\n"
).encode("utf-8")


@pytest.fixture
def queue(with_plugins, clean_db, clean_index):
    jobs.get_queue().empty()
    yield jobs.get_queue()
    jobs.get_queue().empty()


@pytest.fixture
def org(queue):
    return partner()


def upload(name: str, content: bytes) -> FileStorage:
    return FileStorage(io.BytesIO(content), filename=name, content_type="text/csv")


def create(org, *, content: bytes | None = None, name="donnees.csv", url=None,
           private=False, **resource):
    context = {"user": org["publisher"]["name"]}
    dataset = helpers.call_action("package_create", context=context,
                                  **full_dataset(org, conforms_to="", private=private,
                                                 name=f"donnees-{uuid.uuid4().hex[:8]}"))
    if content is not None:
        resource.update(upload=upload(name, content), url=name)
    else:
        resource["url"] = url
    resource.setdefault("format", "CSV")
    return helpers.call_action("resource_create", context=dict(context),
                               package_id=dataset["id"], name="Données", **resource)


def show(org, resource_id):
    return helpers.call_action("partnership_resource_checks_show",
                               context={"user": org["publisher"]["name"]}, id=resource_id)


def findings(checks, name):
    return [f for c in checks["checks"] if c["check"] == name for f in c["findings"]]


def worker_ini(directory: Path, **options: str) -> Path:
    """A configuration for the worker: the tests' own, with ``options``."""
    ini = directory / "worker.ini"
    lines = ["[app:main]", f"use = config:{ROOT / 'test.ini'}"]
    lines += [f"{key} = {value}" for key, value in options.items()]
    tests = (ROOT / "test.ini").read_text(encoding="utf-8")
    ini.write_text("\n".join(lines) + "\n\n" + tests[tests.index("[loggers]"):])
    return ini


def burst_worker(ini: Path = ROOT / "test.ini") -> str:
    """Run CKAN's own worker on the queue until it is empty."""
    ckan = Path(sys.executable).with_name("ckan")
    done = subprocess.run([str(ckan), "-c", str(ini), "jobs", "worker",
                           "--burst"], cwd=ROOT, env=dict(os.environ),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout + done.stderr


def test_an_upload_is_pending_then_reported_by_the_worker(org, queue):
    resource = create(org, content=PERSONAL_CSV)
    shown = helpers.call_action("resource_show", id=resource["id"])
    assert shown["validation_status"] == "pending"
    assert show(org, resource["id"])["status"] == "pending"
    assert [j.args for j in queue.jobs] == [[resource["id"]]]

    output = burst_worker()

    shown = helpers.call_action("resource_show", id=resource["id"])
    assert shown["validation_status"] == "failure"
    assert shown["validation_timestamp"]
    checks = show(org, resource["id"])
    personal = {(f["code"], f["column"]): f for f in findings(checks, "personal_data")}
    assert personal[("email", "contact")]["count"] == 2
    assert personal[("email", "contact")]["rows"] == [2, 3]
    assert personal[("nir", "numero_secu")]["count"] == 1
    assert personal[("nir", "numero_secu")]["severity"] == "error"
    # the values are nowhere: API, dataset, worker's log
    dataset = helpers.call_action("package_show", id=resource["package_id"])
    for text in (json.dumps(checks), json.dumps(dataset), output):
        for secret in SECRETS:
            assert secret not in text


def test_the_dataset_page_and_report_page_say_what_to_do(app, org, queue):
    resource = create(org, content=PERSONAL_CSV)
    resource_checks.run(resource["id"])
    user = org["publisher"]
    url = f"/dataset/{resource['package_id']}/resource/{resource['id']}/checks"
    page = app.get(url, headers={"Authorization": factories.APIToken(user=user["name"])["token"]})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Adresses électroniques dans la colonne contact : 2." in text
    assert "anonymisez ces données" in text
    for secret in SECRETS:
        assert secret not in text
    assert app.get(url).status_code == 403  # anonymous
    dataset_page = app.get(f"/dataset/{resource['package_id']}").get_data(as_text=True)
    assert "Échec" in dataset_page


def test_a_standard_from_the_catalogue_is_checked(org, queue):
    """A file that names the SCDL « Subventions » standard is checked against it: its
    wrong cells and invalid SIRETs are reported with their rows (002 §2.2, 003 art. 5)."""
    content = (SCDL / "subventions/exemple_invalide_erreurs_cellules.csv").read_bytes()
    resource = create(org, content=content, schema=SUBVENTIONS)
    assert helpers.call_action("resource_show", id=resource["id"])[
        "validation_standard"] == SUBVENTIONS
    assert resource_checks.run(resource["id"]) == "failure"
    checks = show(org, resource["id"])
    dates = [f for f in findings(checks, "schema") if f.get("column") == "dateConvention"]
    assert dates[0]["rows"] == [5]
    assert [f["code"] for f in findings(checks, "custom_checks")].count("invalid_siret") == 2


def test_the_valid_example_passes(org, queue):
    content = (SCDL / "subventions/exemple_valide.csv").read_bytes()
    resource = create(org, content=content, schema=SUBVENTIONS)
    assert resource_checks.run(resource["id"]) == "success"
    checks = show(org, resource["id"])
    assert checks["rows"] == 29
    assert {c["check"]: c["status"] for c in checks["checks"]}["schema"] == "success"


def test_an_unchanged_resource_is_not_queued_again(org, queue):
    resource = create(org, content=PERSONAL_CSV)
    resource_checks.run(resource["id"])
    context = {"user": org["publisher"]["name"]}
    helpers.call_action("package_patch", context=context, id=resource["package_id"],
                        notes="Autre description")
    assert show(org, resource["id"])["status"] == "failure"
    helpers.call_action("resource_patch", context=dict(context), id=resource["id"],
                        format="XLS")
    assert show(org, resource["id"])["status"] == "pending"


def test_a_rolled_back_save_queues_nothing(org, queue):
    context = {"user": org["publisher"]["name"]}
    dataset = helpers.call_action("package_create", context=context,
                                  **full_dataset(org, conforms_to="", private=True))
    queue.empty()
    with pytest.raises(helpers.logic.ValidationError) as error:
        # public without its licence: refused, nothing saved
        helpers.call_action("package_update", context=dict(context),
                            **dict(dataset, private=False, license_id="",
                                   resources=[{"url": "https://x.fr/a.csv",
                                               "format": "CSV"}]))
    assert "license_id" in error.value.error_dict
    assert queue.count == 0
    assert model.Session.query(pmodel.ResourceCheck).count() == 0


class _Files(http.server.SimpleHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/page":
            body = b"<!DOCTYPE html><html><body>Bienvenue</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(body)
        elif self.path == "/data.csv":
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"a,b\n1,2\n")
        else:
            self.send_error(404)

    def log_message(self, *args):
        pass


@pytest.fixture
def site():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Files)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_linked_files_failures_are_reports_and_the_worker_survives(org, queue, site,
                                                                  tmp_path):
    dead = create(org, url="http://127.0.0.1:9/data.csv")
    html = create(org, url=site + "/page")
    missing = create(org, url=site + "/missing.csv")
    good = create(org, url=site + "/data.csv")
    # the local server stands for an intranet source the site trusts
    burst_worker(worker_ini(tmp_path, **{
        "ckanext.partnership.fetch.trusted_hosts": "127.0.0.1"}))
    assert show(org, dead["id"])["status"] == "error"
    assert findings(show(org, dead["id"]), "file")[0]["code"] == "unreachable"
    assert findings(show(org, html["id"]), "format")[0]["code"] == "html_instead_of_data"
    assert findings(show(org, missing["id"]), "file")[0]["reason"] == "HTTP 404"
    assert show(org, good["id"])["status"] == "success"


def test_a_standard_that_does_not_load_is_reported(org, queue, site, ckan_config,
                                                   monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.partnership.fetch.trusted_hosts", "127.0.0.1")
    resource = create(org, content=b"a,b\n1,2\n", schema=site + "/missing-schema.json")
    assert resource_checks.run(resource["id"]) == "error"
    unavailable = findings(show(org, resource["id"]), "schema")[0]
    assert (unavailable["code"], unavailable["reason"]) == ("schema_unavailable", "HTTP 404")


def test_rows_count_against_the_agreement_quota(org, queue):
    """A file that takes its dataset past the agreement's records per dataset fails its
    check (002 §3.3)."""
    factories.Organization(name="region-sud", users=[
        {"name": factories.User(name="validateur")["name"], "capacity": "editor"}])
    helpers.call_action("partnership_agreement_create", context={"user": "validateur"},
                        **agreement_004(organization=org["name"], contacts=[],
                                        quota_records_per_dataset=2))
    first = create(org, content=b"a,b\n1,2\n", private=True)
    resource_checks.run(first["id"])
    second = helpers.call_action(
        "resource_create", context={"user": org["publisher"]["name"]},
        package_id=first["package_id"], url="b.csv", format="CSV",
        upload=upload("b.csv", b"a,b\n1,2\n3,4\n"))
    assert resource_checks.run(second["id"]) == "failure"
    quota = findings(show(org, second["id"]), "row_quota")[0]
    assert (quota["count"], quota["quota"]) == (3, 2)


def test_who_reads_the_checks(org, queue):
    resource = create(org, content=b"a,b\n1,2\n")
    stranger = factories.User()
    for action, key in (("partnership_resource_checks_show", "id"),
                        ("resource_validation_show", "resource_id"),
                        ("partnership_resource_checks_run", "id"),
                        ("resource_validation_run", "resource_id")):
        with pytest.raises(helpers.logic.NotAuthorized):
            helpers.call_action(action, context={"user": stranger["name"], "ignore_auth": False},
                                **{key: resource["id"]})
    sysadmin = factories.Sysadmin()
    shown = helpers.call_action("resource_validation_show",
                                context={"user": sysadmin["name"]},
                                resource_id=resource["id"])
    assert shown["status"] == "pending" and shown["resource_id"] == resource["id"]


def test_check_again(org, queue):
    resource = create(org, content=b"a,b\n1,2\n")
    resource_checks.run(resource["id"])
    queue.empty()
    again = helpers.call_action("partnership_resource_checks_run",
                                context={"user": org["publisher"]["name"]},
                                id=resource["id"])
    assert again["status"] == "pending"
    assert [j.args for j in queue.jobs] == [[resource["id"]]]


def test_logs_never_carry_values(org, queue, caplog):
    caplog.set_level(logging.DEBUG)
    resource = create(org, content=PERSONAL_CSV)
    resource_checks.run(resource["id"])
    for secret in SECRETS:
        assert secret not in caplog.text


def test_resources_from_before_the_checks_are_queued_by_the_command(org, queue, cli):
    resource = create(org, content=b"a,b\n1,2\n")
    model.Session.query(pmodel.ResourceCheck).delete()
    model.Session.commit()
    queue.empty()
    from ckan.cli.cli import ckan
    result = cli.invoke(ckan, ["partnership", "check"])
    assert result.exit_code == 0, result.output
    assert "Resources queued for checking: 1." in result.output
    assert [j.args for j in queue.jobs] == [[resource["id"]]]
    found = helpers.call_action("package_search", q=f"id:{resource['package_id']}",
                                include_private=True)["results"]
    assert found[0]["resources"][0]["validation_status"] == "pending"
    assert "checking: 0." in cli.invoke(ckan, ["partnership", "check"]).output
    assert "checking: 1." in cli.invoke(ckan, ["partnership", "check", "--all"]).output


def test_an_unexpected_failure_is_stored_as_an_error_report(org, queue):
    resource = create(org, content=b"a,b\n1,2\n")
    import ckan.lib.uploader as uploader
    path = uploader.get_resource_uploader(resource).get_path(resource["id"])
    os.remove(path)
    os.mkdir(path)  # the stored file cannot be read: an unexpected problem
    try:
        assert resource_checks.run(resource["id"]) == "error"
    finally:
        os.rmdir(path)
    assert findings(show(org, resource["id"]), "file")[0]["code"] == "internal_error"
