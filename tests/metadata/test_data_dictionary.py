# -*- coding: utf-8 -*-
"""The data dictionary of a file (000 §10.1.2, "the field descriptions of
the files") through the real stack: the resource field ``data_dictionary``
in the actions and the API, the check job on an uploaded file, the
resource page, its Table Schema at a stable address and in DCAT."""
from __future__ import annotations

import html
import io
import json
import uuid

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF
from werkzeug.datastructures import FileStorage

import ckan.lib.jobs as jobs
import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from ckanext.partnership import resource_checks
from tests.factories import full_dataset, partner
from tests.metadata.test_dcat_conformance import assert_conforms, violations

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

CSV = "https://www.aixenprovence.fr/opendata/equipements-sportifs.csv"
COLUMNS = [
    {"name": "equipement", "type": "string", "description": "Nom de l'équipement sportif"},
    {"name": "surface", "type": "number", "description": "Surface de l'aire de jeu",
     "unit": "m²"},
    {"name": "ouverture", "type": "date", "description": "Date de mise en service"},
]
GOOD_CSV = ("equipement,surface,ouverture\n"
            "Gymnase du Val de l'Arc,1200.5,1998-09-01\n"
            "Stade Carcassonne,,1975-05-10\n").encode("utf-8")
BAD_CSV = ("equipement,surface,gestionnaire\n"
           "Gymnase du Val de l'Arc,1200.5,Ville\n"
           "Stade Carcassonne,grande,Ville\n"
           "Piscine Yves Blanc,beaucoup,Métropole\n").encode("utf-8")


@pytest.fixture
def queue():
    jobs.get_queue().empty()
    yield jobs.get_queue()
    jobs.get_queue().empty()


def token(user: str) -> str:
    return factories.APIToken(user=user)["token"]


def new_dataset(private=False, **overrides):
    org = partner()
    context = {"user": org["publisher"]["name"]}
    overrides.setdefault("name", f"equipements-{uuid.uuid4().hex[:8]}")
    dataset = helpers.call_action(
        "package_create", context=context,
        **full_dataset(org, conforms_to="", private=private, **overrides))
    dataset["publisher"] = org["publisher"]
    return dataset


def add_resource(dataset, **fields):
    fields.setdefault("url", CSV)
    return helpers.call_action(
        "resource_create", context={"user": dataset["publisher"]["name"]},
        package_id=dataset["id"], name="Équipements sportifs", format="CSV", **fields)


def stored(resource_id):
    model.Session.expire_all()
    return model.Resource.get(resource_id).extras.get("data_dictionary")


def refused(dataset, value) -> str:
    with pytest.raises(tk.ValidationError) as error:
        add_resource(dataset, data_dictionary=value)
    assert list(error.value.error_dict) == ["resources"] or \
        "data_dictionary" in error.value.error_dict
    errors = error.value.error_dict
    if "resources" in errors:
        errors = next(e for e in errors["resources"] if e)
    [message] = errors["data_dictionary"]
    return message


# --------------------------------------------------------------------------
# The field in the API
# --------------------------------------------------------------------------


def test_a_file_is_described_column_by_column_through_the_api():
    """000 §10.1.2: a partner gives the field descriptions of a file (name,
    type, description, unit) with resource_create; resource_show and
    package_show give them back as a list."""
    dataset = new_dataset()
    resource = add_resource(dataset, data_dictionary=COLUMNS)
    assert resource["data_dictionary"] == COLUMNS
    assert helpers.call_action("resource_show", id=resource["id"])["data_dictionary"] == COLUMNS
    shown = helpers.call_action("package_show", id=dataset["id"])
    assert shown["resources"][0]["data_dictionary"] == COLUMNS
    assert json.loads(stored(resource["id"])) == COLUMNS
    found = helpers.call_action("package_search", fq=f"id:{dataset['id']}")["results"]
    assert found[0]["resources"][0]["data_dictionary"] == COLUMNS


def test_the_same_dictionary_is_stored_whatever_the_spelling():
    """000 §10.1.2: JSON text or list, spaces and blank rows, in
    resource_create, resource_patch, package_create with resources: CKAN
    stores the same columns; a dict read with package_show goes back
    unchanged."""
    dataset = new_dataset()
    spelt = [dict(COLUMNS[0], name="  equipement "), {"name": "", "type": "",
                                                    "description": ""},
             dict(COLUMNS[1], type="NUMBER"), COLUMNS[2]]
    one = add_resource(dataset, data_dictionary=json.dumps(spelt))
    two = add_resource(dataset, data_dictionary=spelt)
    assert stored(one["id"]) == stored(two["id"]) == json.dumps(COLUMNS)
    org = partner()
    created = helpers.call_action(
        "package_create", context={"user": org["publisher"]["name"]},
        **full_dataset(org, conforms_to="", name="equipements-2",
                       resources=[{"url": CSV, "format": "CSV", "data_dictionary": spelt}]))
    assert created["resources"][0]["data_dictionary"] == COLUMNS
    user = {"user": dataset["publisher"]["name"]}
    shown = helpers.call_action("package_show", id=dataset["id"])
    helpers.call_action("package_update", context=dict(user), **shown)
    assert stored(one["id"]) == json.dumps(COLUMNS)
    helpers.call_action("resource_patch", context=dict(user), id=one["id"],
                        data_dictionary=COLUMNS[:1])
    assert helpers.call_action("resource_show", id=one["id"])["data_dictionary"] == COLUMNS[:1]
    helpers.call_action("resource_patch", context=dict(user), id=one["id"], description="x")
    assert json.loads(stored(one["id"])) == COLUMNS[:1]
    helpers.call_action("package_revise", context=dict(user), match={"id": dataset["id"]},
                        update__resources__0={"data_dictionary": COLUMNS[1:]})
    assert json.loads(stored(one["id"])) == COLUMNS[1:]
    helpers.call_action("resource_patch", context=dict(user), id=one["id"], data_dictionary="")
    assert stored(one["id"]) is None
    assert helpers.call_action("resource_show", id=one["id"]).get("data_dictionary") in (None, [])


@pytest.mark.parametrize("value, message", [
    ([{"name": "a", "type": "string"}], "Column 1: a description is required"),
    ([{"type": "string", "description": "d"}], "Column 1: a name is required"),
    ([{"name": "a", "type": "texte", "description": "d"}],
     'Column 1: unknown type "texte"; allowed types: string, integer, number, boolean, '
     "date, datetime, year"),
    ([{"name": "a", "type": "string", "description": "d"},
      {"name": "a", "type": "integer", "description": "e"}],
     'Column 2: the name "a" is already that of column 1'),
    ([{"name": "a", "type": "string", "description": "d" * 2001}],
     "Column 1, description: at most 2000 characters (2001 given)"),
    ("[{", "The data dictionary is not valid JSON (line 1, column 3)"),
    (["commune"], "Column 1: a column is an object with a name, a type, a description "
                  "and, optionally, a unit"),
    ({"name": "a"}, "A data dictionary is a list of columns, each with a name, a type, a "
                    "description and, optionally, a unit"),
    ("commune", "The data dictionary is not valid JSON (line 1, column 1)"),
    (12, "A data dictionary is a list of columns, each with a name, a type, a "
         "description and, optionally, a unit"),
])
def test_a_bad_dictionary_is_refused_naming_the_field(value, message):
    """000 §10.1.2: each column has a unique name, a known type and a
    description; anything else is refused naming ``data_dictionary``, and
    nothing is saved."""
    dataset = new_dataset()
    assert refused(dataset, value) == message
    model.Session.expire_all()
    assert helpers.call_action("package_show", id=dataset["id"])["resources"] == []


@pytest.mark.parametrize("value", [
    [{"name": "a", "type": "string"}],
    [{"name": "a", "type": "string", "description": "d", "format": "x"}],
    [[1, 2]], "[", {"0": 1}, [{"name": {"x": 1}, "type": "string", "description": "d"}],
])
def test_the_http_api_answers_409_never_500(app, value):
    """000 §10.1.2: through the HTTP API a bad data dictionary is a 409
    naming the field, in resource_create and package_create."""
    dataset = new_dataset()
    headers = {"Authorization": token(dataset["publisher"]["name"])}
    answer = app.post("/api/3/action/resource_create", headers=headers, status=409, json={
        "package_id": dataset["id"], "url": CSV, "format": "CSV", "data_dictionary": value})
    assert "data_dictionary" in json.dumps(answer.json["error"])
    org = helpers.call_action("organization_show", id=dataset["owner_org"])
    answer = app.post("/api/3/action/package_create", headers=headers, status=409,
                      json=full_dataset(org, name="autre", conforms_to="", resources=[
                          {"url": CSV, "format": "CSV", "data_dictionary": value}]))
    assert "data_dictionary" in json.dumps(answer.json["error"])


def test_a_refusal_is_in_french_for_a_french_user(app):
    """000 §10.1.2: the refusal of a dictionary is worded in the user's
    language."""
    dataset = new_dataset()
    headers = {"Authorization": token(dataset["publisher"]["name"])}
    answer = app.post("/fr/api/3/action/resource_create", headers=headers, status=409, json={
        "package_id": dataset["id"], "url": CSV, "data_dictionary": [
            {"name": "a", "type": "string"}]})
    assert "Colonne 1 : une description est obligatoire" in json.dumps(
        answer.json["error"], ensure_ascii=False)


# --------------------------------------------------------------------------
# The checks
# --------------------------------------------------------------------------


def upload(dataset, content: bytes, **fields):
    return add_resource(dataset, url="equipements.csv", upload=FileStorage(
        io.BytesIO(content), filename="equipements.csv", content_type="text/csv"), **fields)


def test_the_check_job_compares_an_uploaded_file_with_its_dictionary(app, queue):
    """000 §10.1.2: the background job checks an uploaded file without a
    standard against its data dictionary: columns not described, described
    columns missing, values not of the declared type (counted, first rows);
    the report says it in French and in English, never with the values."""
    dataset = new_dataset()
    good = upload(dataset, GOOD_CSV, data_dictionary=COLUMNS)
    bad = upload(dataset, BAD_CSV, data_dictionary=COLUMNS)
    assert resource_checks.run(good["id"]) == "success"
    assert resource_checks.run(bad["id"]) == "failure"
    user = {"user": dataset["publisher"]["name"]}
    report = helpers.call_action("partnership_resource_checks_show", context=user,
                                 id=bad["id"])
    check = next(c for c in report["checks"] if c["check"] == "data_dictionary")
    by_code = {(f["code"], f["column"]): f for f in check["findings"]}
    assert set(by_code) == {("undescribed_column", "gestionnaire"),
                            ("missing_described_column", "ouverture"),
                            ("type", "surface")}
    assert by_code[("type", "surface")]["count"] == 2
    assert by_code[("type", "surface")]["rows"] == [3, 4]
    assert "beaucoup" not in json.dumps(report)

    url = f"/dataset/{dataset['id']}/resource/{bad['id']}/checks"
    headers = {"Authorization": token(dataset["publisher"]["name"])}
    french = html.unescape(app.get(url, headers=headers).get_data(as_text=True))
    assert "Dictionnaire des données" in french
    assert "La colonne gestionnaire n'est pas dans le dictionnaire des données du fichier." \
        in french
    assert "Colonne ouverture du dictionnaire des données absente du fichier." in french
    english = html.unescape(app.get("/en" + url, headers=headers).get_data(as_text=True))
    assert "Column gestionnaire is not in the file's data dictionary." in english
    assert "2 values of surface are not a number, with a decimal point." in english
    assert "beaucoup" not in french + english


def test_a_new_dictionary_checks_the_file_again(queue):
    """000 §10.1.2: describing the columns of a checked file queues its
    check again; a save that changes neither file nor dictionary does not."""
    dataset = new_dataset()
    resource = upload(dataset, BAD_CSV)
    assert resource_checks.run(resource["id"]) == "success"
    queue.empty()
    user = {"user": dataset["publisher"]["name"]}
    helpers.call_action("resource_patch", context=dict(user), id=resource["id"],
                        description="Les équipements")
    assert [j.args for j in queue.jobs] == []
    helpers.call_action("resource_patch", context=dict(user), id=resource["id"],
                        data_dictionary=COLUMNS)
    assert [j.args for j in queue.jobs] == [[resource["id"]]]
    assert resource_checks.run(resource["id"]) == "failure"


# --------------------------------------------------------------------------
# The resource page, the Table Schema, DCAT
# --------------------------------------------------------------------------


def test_the_resource_page_shows_the_dictionary_to_its_readers(app):
    """000 §10.1.2: the resource page shows the field descriptions as a
    table (column, type, unit, description), in French and English, to
    whoever may read the dataset; a private dataset's stay private."""
    dataset = new_dataset()
    resource = add_resource(dataset, data_dictionary=COLUMNS)
    url = f"/dataset/{dataset['name']}/resource/{resource['id']}"
    page = app.get(url).get_data(as_text=True)
    assert "Dictionnaire des données" in page
    for text in ("<code>surface</code>", "Nombre décimal (point décimal)", "m²",
                 "Surface de l&#39;aire de jeu", "Date de mise en service"):
        assert text in page
    assert f"/dataset/{dataset['id']}/resource/{resource['id']}/schema.json" in page
    english = app.get("/en" + url).get_data(as_text=True)
    assert "Data dictionary" in english and "Decimal number (decimal point)" in english

    hidden = new_dataset(private=True, name="secret-equipements")
    secret = add_resource(hidden, data_dictionary=[
        {"name": "code_secret", "type": "string", "description": "Code confidentiel"}])
    url = f"/dataset/{hidden['id']}/resource/{secret['id']}"
    answer = app.get(url, status=None)
    assert answer.status_code in (403, 404)
    assert "Code confidentiel" not in answer.get_data(as_text=True)
    owner = {"Authorization": token(hidden["publisher"]["name"])}
    assert "Code confidentiel" in app.get(url, headers=owner).get_data(as_text=True)


def test_the_dictionary_is_a_table_schema_at_a_stable_address(app):
    """000 §10.1.2: harvesters read a file's dictionary as a Frictionless
    Table Schema at /dataset/<id>/resource/<resource_id>/schema.json; 404
    for a resource one may not read, or without a dictionary."""
    dataset = new_dataset()
    resource = add_resource(dataset, data_dictionary=COLUMNS)
    answer = app.get(f"/dataset/{dataset['id']}/resource/{resource['id']}/schema.json")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("application/json")
    schema = json.loads(answer.get_data(as_text=True))
    assert schema["title"] == "Équipements sportifs"
    assert schema["fields"] == [
        {"name": "equipement", "type": "string", "description": "Nom de l'équipement sportif"},
        {"name": "surface", "type": "number", "description": "Surface de l'aire de jeu",
         "unit": "m²"},
        {"name": "ouverture", "type": "date", "description": "Date de mise en service"}]
    from frictionless import Schema
    assert len(Schema.from_descriptor(schema).fields) == 3
    plain = add_resource(dataset)
    app.get(f"/dataset/{dataset['id']}/resource/{plain['id']}/schema.json", status=404)
    other = new_dataset()
    app.get(f"/dataset/{other['id']}/resource/{resource['id']}/schema.json", status=404)
    hidden = new_dataset(private=True, name="secret-equipements")
    secret = add_resource(hidden, data_dictionary=COLUMNS)
    url = f"/dataset/{hidden['id']}/resource/{secret['id']}/schema.json"
    assert "Nom de l" not in app.get(url, status=404).get_data(as_text=True)
    owner = {"Authorization": token(hidden["publisher"]["name"])}
    assert app.get(url, headers=owner).status_code == 200


def test_the_distribution_conforms_to_its_dictionary_in_dcat(app):
    """000 §10.1.2: in DCAT the distribution of a described file has
    dct:conformsTo the address of its Table Schema (a dct:Standard), and
    the output still conforms to DCAT-AP 3.0.0."""
    dataset = new_dataset()
    resource = add_resource(dataset, data_dictionary=COLUMNS)
    plain = add_resource(dataset)
    answer = app.get(f"/dataset/{dataset['name']}.ttl")
    graph = Graph().parse(data=answer.get_data(), format="turtle")
    site = tk.config["ckan.site_url"].rstrip("/")
    schema = URIRef(f"{site}/dataset/{dataset['id']}/resource/{resource['id']}/schema.json")
    described = [d for d in graph.subjects(DCTERMS.conformsTo, schema)]
    assert len(described) == 1
    assert (described[0], RDF.type, DCAT.Distribution) in graph
    assert str(described[0]).endswith(resource["id"])
    assert (schema, RDF.type, DCTERMS.Standard) in graph
    others = [d for d in graph.subjects(RDF.type, DCAT.Distribution) if d != described[0]]
    assert [str(d).endswith(plain["id"]) for d in others] == [True]
    assert (others[0], DCTERMS.conformsTo, None) not in graph
    assert_conforms({dataset["name"]: violations(graph)})
