# -*- coding: utf-8 -*-
"""The resource ``schema`` field and ``resource_validation_show`` as
ckanext-validation 2.x has them, so that its users' scripts keep working.

Each case is ported from ckanext-validation's own tests (named in its
docstring: ``ckanext/validation/tests/<file>::<class>::<test>``), rewritten
for this portal: through CKAN's real actions, the Action API and the
resource form on the real stack, and checked by the real job. Where
ckanext-validation mocks ``tableschema.validate`` or the job queue, the
case here runs frictionless and the portal's own queue.
"""
from __future__ import annotations

import html
import io
import json

import pytest
from werkzeug.datastructures import FileStorage

import ckan.lib.jobs as jobs
import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import helpers

from ckanext.partnership import model as pmodel, resource_checks
from ckanext.partnership.domain import inputs
from tests.resource_checks.test_standards import CSV, add_resource, dataset  # noqa: F401

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

#: ckanext-validation's examples.
LONGITUDE = {"fields": [{"name": "longitude"}]}
CODES = {"fields": [{"name": "code"}, {"name": "department"}]}
#: A French standard of two columns, accents included.
COMMUNES = {
    "name": "communes",
    "title": "Communes et départements",
    "fields": [
        {"name": "code_insee", "type": "string", "constraints": {
            "required": True, "pattern": "[0-9AB]{5}"}},
        {"name": "département", "type": "integer"},
    ],
}
GOOD_CSV = "code_insee,département\n13001,13\n2A004,20\n".encode("utf-8")
BAD_CSV = "code_insee,commune\n1300,Aix\n".encode("utf-8")


@pytest.fixture
def queue():
    jobs.get_queue().empty()
    yield jobs.get_queue()
    jobs.get_queue().empty()


def refused(dataset, **fields) -> str:
    """The one message of a refused resource_create, on ``schema``."""
    with pytest.raises(tk.ValidationError) as error:
        add_resource(dataset, **fields)
    assert list(error.value.error_dict) == ["schema"], error.value.error_dict
    [message] = error.value.error_dict["schema"]
    return message


def stored(resource_id: str):
    """What the database holds in the resource's ``schema``."""
    model.Session.expire_all()
    return (model.Resource.get(resource_id).extras or {}).get("schema")


def schema_file(content: bytes, name="schema.json") -> FileStorage:
    return FileStorage(io.BytesIO(content), filename=name, content_type="application/json")


def _token(user: str) -> str:
    return helpers.call_action("api_token_create", context={"user": user}, user=user,
                               name="t")["token"]


# --------------------------------------------------------------------------
# The validator (test_validators.py::TestResourceSchemaValidator), through
# resource_create
# --------------------------------------------------------------------------


def test_an_empty_schema_is_none(dataset):
    """test_validators.py::TestResourceSchemaValidator::test_resource_schema_none"""
    resource = add_resource(dataset, schema="")
    assert not resource.get("schema")


@pytest.mark.parametrize("value", [
    "{a,b}",        # test_resource_schema_invalid_json_string
    '{"a": 1}',     # test_resource_schema_invalid_schema_string
    "[a,2]",        # test_resource_schema_valid_json_not_a_dict_string
    '""',           # test_resource_schema_valid_json_empty_string
    {"a": 1},       # test_resource_schema_invalid_schema_object
    "/some/wrong/url/schema.json",  # test_resource_schema_invalid_wrong_url
    '[{"fields": []}]',
    {"fields": []},
    {"fields": [{"name": "x", "type": "nonsense"}]},
    {"fields": [{"name": "x", "constraints": {"pattern": "("}}]},
    {"fields": [{"name": "x"}], "custom_checks": "french-siret-value"},
    ["fields"],
    42,
])
def test_what_is_not_a_table_schema_is_refused(dataset, value):
    """test_validators.py::TestResourceSchemaValidator: the invalid cases
    (the JSON errors, a descriptor without ``fields``, JSON that is not an
    object, a path that is no URL), plus what frictionless or the checks
    would not run."""
    message = refused(dataset, schema=value)
    assert len(message) < 250


def test_the_refusal_of_a_schema_without_fields_says_so(dataset):
    """test_validators.py::TestResourceSchemaValidator::
    test_resource_schema_invalid_schema_object: the message names the
    missing ``fields``."""
    assert refused(dataset, schema={"a": 1}) == (
        "Not a valid Table Schema: 'fields' is a required property")
    assert refused(dataset, schema="{a,b}") == (
        "The Table Schema is not valid JSON (line 1, column 2)")
    assert refused(dataset, schema="[a,2]") == (
        "The Table Schema is not valid JSON (line 1, column 2)")
    assert refused(dataset, schema={"fields": []}) == "The Table Schema defines no field"


def test_a_schema_object_is_stored_as_ckanext_validation_stores_it(dataset):
    """test_validators.py::TestResourceSchemaValidator::
    test_resource_schema_valid_schema_object: stored as json.dumps of the
    object, given back as the object."""
    resource = add_resource(dataset, schema=LONGITUDE)
    assert stored(resource["id"]) == json.dumps(LONGITUDE)
    assert resource["schema"] == LONGITUDE
    shown = helpers.call_action("package_show", id=dataset["id"])
    assert shown["resources"][0]["schema"] == LONGITUDE


def test_a_schema_string_is_stored_as_it_is(dataset):
    """test_validators.py::TestResourceSchemaValidator::
    test_resource_schema_valid_schema_string"""
    text = '{"fields": [{"name": "longitude"}]}'
    resource = add_resource(dataset, schema=text)
    assert stored(resource["id"]) == text


def test_a_schema_url_is_stored_as_it_is(dataset):
    """test_validators.py::TestResourceSchemaValidator::
    test_resource_schema_valid_schema_url"""
    url = "https://example.com/schema.json"
    resource = add_resource(dataset, schema=url)
    assert stored(resource["id"]) == url == resource["schema"]


def test_a_bad_schema_is_never_quoted_back(dataset):
    """The refusal of a multi-kilobyte value repeats at most a short
    excerpt of it, in French as in English."""
    fields = [{"name": f"colonne_{n}", "type": "nonsense",
               "description": "Une description assez longue " * 5} for n in range(60)]
    big = json.dumps({"fields": fields})
    assert len(big) > 10000
    message = refused(dataset, schema=big)
    assert len(message) <= 200 and "Une description" not in message
    name = "scdl/" + "x" * 3000
    message = refused(dataset, schema=name)
    assert len(message) < 250 and "x" * 50 not in message


def test_the_size_of_an_inline_schema_is_bounded(dataset):
    """At most ``inputs.TABLE_SCHEMA_LENGTH`` characters as stored."""
    field = {"name": "c", "description": "d" * 1000}
    count = inputs.TABLE_SCHEMA_LENGTH // 1000 + 1
    big = {"fields": [dict(field, name=f"c{n}") for n in range(count)]}
    message = refused(dataset, schema=big)
    assert message.startswith("The Table Schema is too long: at most 100000 characters (")
    each = len(json.dumps(dict(field, name="c100"))) + 2
    small = {"fields": [dict(field, name=f"c{n}")
                        for n in range(inputs.TABLE_SCHEMA_LENGTH // each - 1)]}
    assert add_resource(dataset, schema=small)["schema"] == small


def test_characters_that_cannot_be_stored_are_refused(dataset):
    for bad in ("\x00", "\ud800"):
        message = refused(dataset, schema={"fields": [{"name": f"a{bad}b"}]})
        assert message.startswith("Contains")


# --------------------------------------------------------------------------
# ckanext-validation's schema_* fields (test_logic.py::TestSchemaFields)
# --------------------------------------------------------------------------


def test_schema_field(dataset):
    """test_logic.py::TestSchemaFields::test_schema_field"""
    resource = add_resource(dataset, schema='{"fields":[{"name":"id"}]}')
    assert resource["schema"] == {"fields": [{"name": "id"}]}
    assert "schema_upload" not in resource
    assert "schema_url" not in resource


def test_schema_field_url(dataset):
    """test_logic.py::TestSchemaFields::test_schema_field_url"""
    url = "https://example.com/schema.json"
    resource = add_resource(dataset, schema=url)
    assert resource["schema"] == url
    assert "schema_upload" not in resource and "schema_url" not in resource


def test_schema_url_field(dataset):
    """test_logic.py::TestSchemaFields::test_schema_url_field"""
    url = "https://example.com/schema.json"
    resource = add_resource(dataset, schema_url=url)
    assert resource["schema"] == url
    assert "schema_upload" not in resource and "schema_url" not in resource
    assert stored(resource["id"]) == url
    assert set(model.Resource.get(resource["id"]).extras) & {
        "schema_url", "schema_upload", "schema_json"} == set()


def test_schema_url_field_wrong_url(dataset):
    """test_logic.py::TestSchemaFields::test_schema_url_field_wrong_url"""
    assert refused(dataset, schema_url="not-a-url") == (
        "schema_url must be a web address (http:// or https://)")


def test_schema_json_field(dataset):
    """ckanext-validation's form sends ``schema_json`` (its
    resource_schema.html snippet); plugin.py ``_process_schema_fields``
    copies it to ``schema``."""
    resource = add_resource(dataset, schema_json=json.dumps(CODES), schema="")
    assert resource["schema"] == CODES
    assert "schema_json" not in resource


def test_schema_upload_field(dataset):
    """test_logic.py::TestSchemaFields::test_schema_upload_field"""
    resource = add_resource(
        dataset, schema_upload=schema_file(b'{"fields":[{"name":"category"}]}'))
    assert resource["schema"] == {"fields": [{"name": "category"}]}
    assert "schema_upload" not in resource and "schema_url" not in resource
    assert stored(resource["id"]) == json.dumps({"fields": [{"name": "category"}]})


def test_an_uploaded_schema_wins_over_the_others(dataset):
    """plugin.py ``_process_schema_fields``: upload, then URL, then JSON."""
    resource = add_resource(dataset, schema="scdl/subventions",
                            schema_json=json.dumps(CODES),
                            schema_url="https://example.com/schema.json",
                            schema_upload=schema_file(json.dumps(LONGITUDE).encode()))
    assert resource["schema"] == LONGITUDE
    resource = add_resource(dataset, schema="scdl/subventions",
                            schema_json=json.dumps(CODES),
                            schema_url="https://example.com/schema.json")
    assert resource["schema"] == "https://example.com/schema.json"
    # an upload field without a file (a form's empty input) is not one
    resource = add_resource(dataset, schema="scdl/subventions",
                            schema_upload=FileStorage(io.BytesIO(b""), filename=""))
    assert resource["schema"] == "scdl/subventions"


def test_a_bad_schema_file_is_refused(dataset):
    assert refused(dataset, schema_upload=schema_file(b"\xff\xfe{}")) == (
        "The schema file is not UTF-8 text")
    assert refused(dataset, schema_upload=schema_file(b'{"a": 1}')) == (
        "Not a valid Table Schema: 'fields' is a required property")
    # a huge file is refused without being read to its end
    huge = io.BytesIO(b" " * (inputs.TABLE_SCHEMA_LENGTH * 4 + 10) + b"{}")
    upload = FileStorage(huge, filename="schema.json")
    assert refused(dataset, schema_upload=upload).startswith("The schema file is too large")
    assert huge.tell() == inputs.TABLE_SCHEMA_LENGTH * 4 + 1


def test_a_schema_file_with_a_byte_order_mark_and_accents(dataset):
    payload = "\ufeff".encode("utf-8") + json.dumps(COMMUNES, ensure_ascii=False).encode()
    resource = add_resource(dataset, schema_upload=schema_file(payload))
    assert resource["schema"] == COMMUNES
    assert resource["schema"]["fields"][1]["name"] == "département"


# --------------------------------------------------------------------------
# Every path that saves a resource
# --------------------------------------------------------------------------


def test_every_action_that_saves_a_resource_takes_an_inline_schema(dataset):
    user = {"user": dataset["publisher"]["name"]}
    resource = add_resource(dataset, schema=LONGITUDE)
    # resource_update, with JSON text
    updated = helpers.call_action("resource_update", context=dict(user), id=resource["id"],
                                  url=CSV, format="CSV", schema=json.dumps(CODES))
    assert updated["schema"] == CODES
    # resource_patch, with ckanext-validation's schema_json
    patched = helpers.call_action("resource_patch", context=dict(user), id=resource["id"],
                                  schema_json=json.dumps(LONGITUDE))
    assert patched["schema"] == LONGITUDE
    # package_show's answer sent back as it is keeps the schema
    shown = helpers.call_action("package_show", id=dataset["id"])
    helpers.call_action("package_update", context=dict(user), **shown)
    assert stored(resource["id"]) == json.dumps(LONGITUDE)
    # package_update with an object
    shown["resources"][0]["schema"] = COMMUNES
    updated = helpers.call_action("package_update", context=dict(user), **shown)
    assert updated["resources"][0]["schema"] == COMMUNES
    # package_revise: an object is merged into the old one, as any object of
    # package_show; to replace it, filter it out first
    revised = helpers.call_action("package_revise", context=dict(user),
                                  match={"id": dataset["id"]},
                                  filter=["-resources__0__schema"],
                                  update__resources__0={"schema": CODES})["package"]
    assert revised["resources"][0]["schema"] == CODES
    revised = helpers.call_action("package_revise", context=dict(user),
                                  match={"id": dataset["id"]},
                                  update__resources__0__schema={"title": "Codes"})["package"]
    assert revised["resources"][0]["schema"] == dict(CODES, title="Codes")
    # package_create with resources
    created = helpers.call_action(
        "package_create", context=dict(user),
        **{**{k: v for k, v in shown.items() if k not in ("id", "resources")},
           "name": "autre-jeu", "resources": [{"url": CSV, "format": "CSV",
                                                "schema": json.dumps(LONGITUDE)}]})
    assert created["resources"][0]["schema"] == LONGITUDE
    # and each refuses a bad one on the resource's schema
    with pytest.raises(tk.ValidationError) as error:
        helpers.call_action("resource_patch", context=dict(user), id=resource["id"],
                            schema={"a": 1})
    assert list(error.value.error_dict) == ["schema"]
    shown = helpers.call_action("package_show", id=dataset["id"])
    shown["resources"][0]["schema"] = "{a,b}"
    with pytest.raises(tk.ValidationError) as error:
        helpers.call_action("package_update", context=dict(user), **shown)
    assert error.value.error_dict["resources"][0]["schema"] == [
        "The Table Schema is not valid JSON (line 1, column 2)"]


def test_package_search_gives_the_schema_as_package_show_does(dataset):
    add_resource(dataset, schema=COMMUNES)
    found = helpers.call_action("package_search", q=f"id:{dataset['id']}")["results"]
    assert found[0]["resources"][0]["schema"] == COMMUNES


def test_the_action_api_takes_a_json_object_and_a_schema_file(app, dataset):
    token = _token(dataset["publisher"]["name"])
    answer = app.post("/api/3/action/resource_create", headers={"Authorization": token},
                      json={"package_id": dataset["id"], "url": CSV, "format": "CSV",
                            "schema": COMMUNES}).json
    assert answer["result"]["schema"] == COMMUNES
    answer = app.post("/api/3/action/resource_create", headers={"Authorization": token},
                      data={"package_id": dataset["id"], "url": CSV, "format": "CSV",
                            "schema_upload": (io.BytesIO(json.dumps(CODES).encode()),
                                              "schema.json")}).json
    assert answer["result"]["schema"] == CODES
    assert stored(answer["result"]["id"]) == json.dumps(CODES)
    error = app.post("/fr/api/3/action/resource_create", headers={"Authorization": token},
                     data={"package_id": dataset["id"], "url": CSV, "format": "CSV",
                           "schema_upload": (io.BytesIO(b'{"a": 1}'), "schema.json")},
                     status=409).json["error"]
    assert error["schema"] == [
        "Ce n'est pas un Table Schema valide : 'fields' is a required property"]
    error = app.post("/fr/api/3/action/resource_create", headers={"Authorization": token},
                     json={"package_id": dataset["id"], "url": CSV, "schema": "{a,b}"},
                     status=409).json["error"]
    assert error["schema"] == ["Le Table Schema n'est pas du JSON valide (ligne 1, colonne 2)"]


def test_the_resource_form_takes_a_schema_file_and_shows_the_schema(app, dataset):
    """test_form.py::TestResourceSchemaForm (test_resource_form_create,
    test_resource_form_update), with ckanext-validation's form fields."""
    token = _token(dataset["publisher"]["name"])
    headers = {"Authorization": token}
    page = html.unescape(app.get(f"/en/dataset/{dataset['name']}/resource/new",
                                 headers=headers).body)
    assert 'name="schema_upload"' in page and 'type="file"' in page
    assert 'name="schema_json"' in page
    form = {"id": "", "name": "Communes", "url": CSV, "format": "CSV", "save": "go-metadata",
            "schema": "", "schema_json": "",
            "schema_upload": (io.BytesIO(json.dumps(COMMUNES).encode()), "schema.json")}
    response = app.post(f"/en/dataset/{dataset['name']}/resource/new", headers=headers,
                        data=form, follow_redirects=False)
    assert response.status_code == 302, response.body[:3000]
    shown = helpers.call_action("package_show", id=dataset["id"])
    resource = shown["resources"][-1]
    assert resource["schema"] == COMMUNES
    # the edit form shows it in the text area, as indented JSON, accents kept
    url = f"/en/dataset/{dataset['name']}/resource/{resource['id']}/edit"
    page = html.unescape(app.get(url, headers=headers).body)
    assert json.dumps(COMMUNES, indent=2, ensure_ascii=False) in page
    assert 'name="schema" value=""' in page
    # the resource page shows it as JSON, never as a Python dict
    page = html.unescape(app.get(f"/en/dataset/{dataset['name']}/resource/{resource['id']}",
                                 headers=headers).body)
    assert "The Table Schema given with the file" in page
    assert json.dumps(COMMUNES, indent=2, ensure_ascii=False) in page
    assert "{'name'" not in page
    # the text area changed: the schema changes; a bad one is shown again
    changed = dict(COMMUNES, fields=COMMUNES["fields"][:1])
    form = {"id": resource["id"], "name": "Communes", "url": CSV, "format": "CSV",
            "save": "", "schema": "", "schema_json": json.dumps(changed)}
    response = app.post(url, headers=headers, data=form, follow_redirects=False)
    assert response.status_code == 302, response.body[:3000]
    assert helpers.call_action("resource_show", id=resource["id"])["schema"] == changed
    form["schema_json"] = "{a,b}"
    response = app.post(url, headers=headers, data=form, follow_redirects=False)
    assert response.status_code == 200
    page = html.unescape(response.body)
    assert "The Table Schema is not valid JSON (line 1, column 2)" in page
    assert ">{a,b}</textarea>" in page
    assert helpers.call_action("resource_show", id=resource["id"])["schema"] == changed


# --------------------------------------------------------------------------
# The checks against an inline schema (test_plugin.py, test_logic.py)
# --------------------------------------------------------------------------


def save(dataset, **fields):
    """resource_create with the fields given (``url`` included)."""
    fields = {"name": "Communes", "format": "CSV", "url": CSV, **fields}
    return helpers.call_action("resource_create",
                               context={"user": dataset["publisher"]["name"]},
                               package_id=dataset["id"], **fields)


def _upload_with(dataset, content: bytes, **fields):
    return save(dataset, upload=FileStorage(io.BytesIO(content), filename="communes.csv",
                                            content_type="text/csv"),
                url="communes.csv", **fields)


def test_the_file_is_checked_against_its_inline_schema(dataset, queue):
    """test_logic.py::TestResourceValidationOnCreate (test_validation_passes_on_upload,
    test_validation_fails_on_upload), with the real job instead of a mocked
    ``validate``."""
    good = _upload_with(dataset, GOOD_CSV, schema=COMMUNES)
    bad = _upload_with(dataset, BAD_CSV, schema_upload=schema_file(
        json.dumps(COMMUNES).encode()))
    assert resource_checks.run(good["id"]) == "success"
    assert resource_checks.run(bad["id"]) == "failure"
    report = helpers.call_action("resource_validation_show", resource_id=bad["id"])["report"]
    schema = next(c for c in report["checks"] if c["check"] == "schema")
    codes = {(f["code"], f.get("column")) for f in schema["findings"]}
    assert ("missing_column", "département") in codes
    assert ("extra_column", "commune") in codes
    assert ("constraint", "code_insee") in {(f["code"], f.get("column"))
                                            for f in schema["findings"]}
    assert report["standard"] == "inline"
    shown = helpers.call_action("resource_show", id=good["id"])
    assert shown["validation_status"] == "success"
    assert shown["validation_standard"] == "inline"


def test_the_report_page_names_an_inline_schema(app, dataset, queue):
    resource = _upload_with(dataset, BAD_CSV, schema=COMMUNES)
    resource_checks.run(resource["id"])
    url = f"/en/dataset/{dataset['id']}/resource/{resource['id']}/checks"
    page = app.get(url, headers={"Authorization": _token(dataset["publisher"]["name"])})
    assert "The Table Schema given with the file" in page.get_data(as_text=True)


def test_validation_run_on_schema_change(dataset, queue):
    """test_plugin.py::TestResourceControllerHooksUpdate::
    test_validation_run_on_schema_change: changing an inline schema queues
    the check again (the real queue, not a mocked enqueue_job); an
    unchanged save does not."""
    resource = _upload_with(dataset, GOOD_CSV, schema={"fields": [{"name": "code_insee"}]})
    assert resource_checks.run(resource["id"]) == "failure"  # an extra column
    queue.empty()
    user = {"user": dataset["publisher"]["name"]}
    helpers.call_action("resource_patch", context=dict(user), id=resource["id"],
                        description="Les communes")
    assert [j.args for j in queue.jobs] == []
    helpers.call_action("resource_patch", context=dict(user), id=resource["id"],
                        schema=COMMUNES)
    assert [j.args for j in queue.jobs] == [[resource["id"]]]
    assert helpers.call_action("resource_show", id=resource["id"])["validation_status"] \
        == "pending"
    assert resource_checks.run(resource["id"]) == "success"


# --------------------------------------------------------------------------
# resource_validation_show (test_logic.py::TestResourceValidationShow)
# --------------------------------------------------------------------------


def test_resource_validation_show_param_missing():
    """test_logic.py::TestResourceValidationShow::test_resource_validation_show_param_missing"""
    with pytest.raises((tk.ValidationError, tk.ObjectNotFound)):
        helpers.call_action("resource_validation_show")


def test_resource_validation_show_not_exists():
    """test_logic.py::TestResourceValidationShow::test_resource_validation_show_not_exists"""
    with pytest.raises(tk.ObjectNotFound):
        helpers.call_action("resource_validation_show", resource_id="not_exists")


def test_resource_validation_show_validation_does_not_exists(dataset):
    """test_logic.py::TestResourceValidationShow::
    test_resource_validation_show_validation_does_not_exists: a resource
    without a file is never checked."""
    resource = save(dataset, url="", schema=LONGITUDE)
    with pytest.raises(tk.ObjectNotFound):
        helpers.call_action("resource_validation_show", resource_id=resource["id"])


def test_resource_validation_show_returns_all_fields(dataset, queue):
    """test_logic.py::TestResourceValidationShow::test_resource_validation_show_returns_all_fields,
    on a check the job ran against an inline schema."""
    resource = _upload_with(dataset, GOOD_CSV, schema=COMMUNES)
    resource_checks.run(resource["id"])
    row = model.Session.get(pmodel.ResourceCheck, resource["id"])
    shown = helpers.call_action("resource_validation_show", resource_id=resource["id"])
    assert set(shown) == {"id", "resource_id", "status", "report", "error", "created",
                          "finished"}
    assert shown["id"] == shown["resource_id"] == resource["id"]
    assert shown["status"] == row.status == "success"
    assert shown["error"] is None
    assert shown["created"] == row.queued.isoformat()
    assert shown["finished"] == row.finished.isoformat()
    assert shown["report"]["standard"] == "inline"
    assert shown["report"]["rows"] == 2


# --------------------------------------------------------------------------
# Harvesters read a resource that holds its Table Schema
# --------------------------------------------------------------------------


def test_harvesters_read_a_dataset_whose_file_holds_its_schema(live_server, published):
    """data.gouv.fr's CKAN harvester (udata) and ckanapi-style readers get
    the dataset whole when a resource's ``schema`` is an object."""
    import requests

    from tests.metadata.test_udata_harvest import only_dataset, udata_harvest

    shown = helpers.call_action("package_show", id=published["name"])
    site_user = helpers.call_action("get_site_user", context={"ignore_auth": True})["name"]
    helpers.call_action("resource_patch", context={"user": site_user},
                        id=shown["resources"][0]["id"], schema=COMMUNES)
    answer = requests.get(live_server.url + "/api/3/action/package_show",
                          params={"id": published["name"]}, timeout=30).json()["result"]
    assert answer["resources"][0]["schema"] == COMMUNES
    harvested = only_dataset(udata_harvest("ckan", live_server.url + "/"))
    assert harvested["title"] == shown["title"]
    assert [r["url"] for r in harvested["resources"]] == [shown["resources"][0]["url"]]
