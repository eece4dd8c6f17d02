# -*- coding: utf-8 -*-
"""Data standards in the portal: the resource's ``schema`` field through
CKAN's actions, the resource form's list of standards, and ``ckan
partnership schemas`` against a local HTTP server laid out like
schema.data.gouv.fr."""
from __future__ import annotations

import html
import json
from pathlib import Path

import pytest

import ckan.plugins.toolkit as tk
from ckan.cli.cli import ckan
from ckan.tests import helpers

from ckanext.partnership.checks import catalogue
from tests.checks.test_catalogue import (
    LOCAL, Site, _free_port, packaged_bytes, table_schema,
)
from tests.conftest import ROOT
from tests.factories import full_dataset, partner

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

SDG = "https://schema.data.gouv.fr/schemas/"
CSV = "https://www.aixenprovence.fr/opendata/subventions-2025.csv"


@pytest.fixture
def dataset():
    org = partner()
    created = helpers.call_action(
        "package_create", context={"user": org["publisher"]["name"]}, **full_dataset(org)
    )
    created["publisher"] = org["publisher"]
    return created


def add_resource(dataset, **fields):
    return helpers.call_action(
        "resource_create", context={"user": dataset["publisher"]["name"]},
        package_id=dataset["id"], name="Subventions 2025", format="CSV", url=CSV, **fields,
    )


def schema_error(dataset, value) -> str:
    with pytest.raises(tk.ValidationError) as error:
        add_resource(dataset, schema=value)
    assert list(error.value.error_dict) == ["schema"]
    [message] = error.value.error_dict["schema"]
    return message


@pytest.fixture
def site(tmp_path):
    served = Site(tmp_path / "site")
    served.list([
        served.publish("scdl/subventions", {
            "2.1.1": packaged_bytes("scdl/subventions"),
            "2.2.0": table_schema("2.2.0", "nomAttribuant", "idAttribuant"),
        }, title="Subventions"),
        served.publish("etalab/schema-lieux-covoiturage", {
            "0.3.0": table_schema("0.3.0", "id_lieu"),
        }, title="Lieux de covoiturage"),
        served.publish("etalab/schema-zfe", {"0.8.2": b'{"type": "object"}'},
                       schema_type="jsonschema"),
    ])
    yield served
    served.close()


# --------------------------------------------------------------------------
# The resource's standard
# --------------------------------------------------------------------------


def test_a_resource_names_a_standard_of_the_catalogue(dataset):
    resource = add_resource(dataset, schema=" scdl/subventions ")
    assert resource["schema"] == "scdl/subventions"
    shown = helpers.call_action("package_show", id=dataset["id"])
    assert shown["resources"][0]["schema"] == "scdl/subventions"
    checked = catalogue.effective_standard(shown["resources"][0]["schema"], shown["conforms_to"])
    assert checked == "scdl/subventions"


@pytest.mark.parametrize("url", [
    SDG + "scdl/subventions/latest/schema.json",
    # not in the catalogue: any Table Schema on the web will do
    "https://example.org/standards/schema.json",
    "http://gitlab.com/opendatafrance/scdl/subventions/-/raw/v2.1.0/schema.json",
])
def test_a_resource_names_a_standard_by_its_address(dataset, url):
    assert add_resource(dataset, schema=url)["schema"] == url


def test_without_its_own_standard_a_resource_follows_the_datasets(dataset):
    """A file without a standard of its own is checked against the SCDL standard of its
    dataset (002 §2.2, 003 art. 5)."""
    resource = add_resource(dataset, schema="")
    assert not resource.get("schema")
    standard = catalogue.effective_standard(resource.get("schema"), dataset["conforms_to"])
    assert standard == SDG + "scdl/prenoms/latest/schema.json"
    assert catalogue.open_catalogue(None).resolve(standard).name == "scdl/prenoms"
    # and without one at all
    assert not add_resource(dataset).get("schema")


@pytest.mark.parametrize("value", [
    "subventions", "SCDL Subventions", "scdl/inconnu",
    "ftp://schema.data.gouv.fr/schemas/scdl/subventions/latest/schema.json",
])
def test_anything_else_is_refused_with_a_clear_message(dataset, value):
    assert schema_error(dataset, value) == (
        f'"{value[:39] + "…" if len(value) > 40 else value}" is neither a standard of '
        "the catalogue (for example scdl/subventions), nor the web address (http:// or "
        "https://) of a Table Schema, nor a Table Schema in JSON"
    )


def test_the_message_is_translatable(app, dataset):
    token = helpers.call_action(
        "api_token_create", context={"user": dataset["publisher"]["name"]},
        user=dataset["publisher"]["name"], name="t",
    )["token"]
    error = app.post(
        "/en/api/3/action/resource_create",
        json={"package_id": dataset["id"], "url": CSV, "schema": "subventions"},
        headers={"Authorization": token}, status=409,
    ).json["error"]
    assert error["schema"] == [
        '"subventions" is neither a standard of the catalogue (for example scdl/subventions), '
        "nor the web address (http:// or https://) of a Table Schema, "
        "nor a Table Schema in JSON"
    ]


def test_the_configured_catalogue_is_the_one_that_counts(dataset, site, tmp_path,
                                                         ckan_config, monkeypatch):
    directory = tmp_path / "standards"
    monkeypatch.setitem(ckan_config, "ckanext.partnership.standards_path", str(directory))
    # nothing there yet: the packaged catalogue
    prenoms = add_resource(dataset, schema="scdl/prenoms")
    assert prenoms["schema"] == "scdl/prenoms"
    schema_error(dataset, "etalab/schema-lieux-covoiturage")

    catalogue.refresh(directory, source=site.catalogue_url, fetch=LOCAL)
    # seen at once, without a restart
    resource = add_resource(dataset, schema="etalab/schema-lieux-covoiturage")
    assert resource["schema"] == "etalab/schema-lieux-covoiturage"
    assert "for example scdl/subventions" in schema_error(dataset, "scdl/prenoms")


def test_a_standard_dropped_from_the_catalogue_stays_on_its_resources(
        dataset, site, tmp_path, ckan_config, monkeypatch):
    directory = tmp_path / "standards"
    monkeypatch.setitem(ckan_config, "ckanext.partnership.standards_path", str(directory))
    prenoms = add_resource(dataset, schema="scdl/prenoms")
    catalogue.refresh(directory, source=site.catalogue_url, fetch=LOCAL)  # without scdl/prenoms
    context = {"user": dataset["publisher"]["name"]}

    # the dataset can still be saved, the resource keeps its standard
    add_resource(dataset, schema="scdl/subventions")
    patched = helpers.call_action("resource_patch", context=context, id=prenoms["id"],
                                  name="Prénoms 2025")
    assert patched["schema"] == "scdl/prenoms"
    # but it cannot be given another standard the catalogue does not hold
    with pytest.raises(tk.ValidationError) as error:
        helpers.call_action("resource_patch", context=context, id=prenoms["id"],
                            schema="scdl/budget")
    assert list(error.value.error_dict) == ["schema"]


# --------------------------------------------------------------------------
# The resource form
# --------------------------------------------------------------------------


def _page(app, url, user):
    token = helpers.call_action(
        "api_token_create", context={"user": user["name"]}, user=user["name"], name="t"
    )["token"]
    return html.unescape(app.get(url, headers={"Authorization": token}).body)


def test_the_resource_form_offers_the_catalogues_standards(app, dataset):
    page = _page(app, f"/en/dataset/{dataset['name']}/resource/new", dataset["publisher"])
    assert 'name="schema"' in page
    assert 'list="field-schema-standards"' in page
    assert '<datalist id="field-schema-standards">' in page
    assert '<option value="scdl/subventions">Subventions, version 2.1.1</option>' in page
    assert '<option value="etalab/schema-irve-statique">IRVE statique, version 2.3.0</option>' \
        in page
    assert page.count("<option value=", page.index("field-schema-standards\">")) >= 12
    # left empty, the dataset's standard applies: shown as the proposal
    assert f'placeholder="{dataset["conforms_to"]}"' in page
    assert ("Left empty, the file follows the dataset's standard: "
            "Prénoms des nouveaux-nés, version 1.1.6") in page


def test_editing_a_resource_shows_its_standard(app, dataset):
    resource = add_resource(dataset, schema="scdl/subventions")
    page = _page(app, f"/dataset/{dataset['name']}/resource/{resource['id']}/edit",
                 dataset["publisher"])
    assert 'name="schema" value="scdl/subventions"' in page


def test_the_dataset_form_offers_the_standards_addresses(app, dataset):
    page = _page(app, f"/dataset/edit/{dataset['name']}", dataset["publisher"])
    assert 'list="field-conforms_to-standards"' in page
    assert (f'<option value="{SDG}scdl/subventions/2.1.1/schema.json">'
            "Subventions, version 2.1.1</option>") in page
    assert "Left empty, the file follows" not in page


# --------------------------------------------------------------------------
# ckan partnership schemas
# --------------------------------------------------------------------------


def _ini(tmp_path: Path, directory: Path | None, trusted: str = "127.0.0.1",
         lang: str = "en") -> str:
    """A configuration: the tests' own, with the standards' directory and
    the local schema.data.gouv.fr trusted (as an intranet source)."""
    ini = tmp_path / "standards.ini"
    # in English, whatever the French catalogue says today
    lines = ["[app:main]", f"use = config:{ROOT / 'test.ini'}", f"ckan.locale_default = {lang}"]
    if directory is not None:
        lines.append(f"ckanext.partnership.standards_path = {directory}")
    if trusted:
        lines.append(f"ckanext.partnership.fetch.trusted_hosts = {trusted}")
    # the command configures logging from the file it is given
    tests = (ROOT / "test.ini").read_text(encoding="utf-8")
    ini.write_text("\n".join(lines) + "\n\n" + tests[tests.index("[loggers]"):])
    return str(ini)


def test_the_command_refreshes_the_configured_catalogue(cli, site, tmp_path):
    directory = tmp_path / "standards"
    result = cli.invoke(ckan, ["-c", _ini(tmp_path, directory), "partnership", "schemas",
                               "--source", site.catalogue_url])
    assert result.exit_code == 0, result.output
    assert (f"2 standards (Table Schemas) of the 3 schemas listed by {site.catalogue_url} "
            f"written to {directory}: 1 new, 1 in a new version, 11 removed.") in result.output
    refreshed = catalogue.open_catalogue(directory)
    assert refreshed.names() == ["scdl/subventions", "etalab/schema-lieux-covoiturage"]
    assert refreshed.resolve("scdl/subventions").version == "2.2.0"
    assert refreshed.resolve(site.url + "/schemas/scdl/subventions/latest/schema.json") \
        .version == "2.2.0"


def test_when_the_network_fails_the_command_says_why_and_keeps_the_catalogue(
        cli, site, tmp_path):
    directory = tmp_path / "standards"
    ini = _ini(tmp_path, directory)
    assert cli.invoke(ckan, ["-c", ini, "partnership", "schemas",
                             "--source", site.catalogue_url]).exit_code == 0
    before = (directory / "index.json").read_bytes()

    dead = f"http://127.0.0.1:{_free_port()}/schemas/schemas.json"
    result = cli.invoke(ckan, ["-c", ini, "partnership", "schemas", "--source", dead])
    assert result.exit_code == 1
    assert f"Could not download {dead}: " in result.output
    assert "The catalogue of standards in use has not changed." in result.output
    assert (directory / "index.json").read_bytes() == before
    assert catalogue.open_catalogue(directory).names() == [
        "scdl/subventions", "etalab/schema-lieux-covoiturage"]


def test_a_bad_catalogue_is_refused_by_the_command(cli, site, tmp_path):
    directory = tmp_path / "standards"
    site.put("schemas/schemas.json", json.dumps({"schemas": []}).encode())
    result = cli.invoke(ckan, ["-c", _ini(tmp_path, directory), "partnership", "schemas",
                               "--source", site.catalogue_url])
    assert result.exit_code == 1
    assert f"The catalogue {site.catalogue_url} lists no Table Schema." in result.output
    assert not (directory / "index.json").exists()


def test_the_command_needs_a_directory(cli, site, tmp_path):
    result = cli.invoke(ckan, ["-c", _ini(tmp_path, None), "partnership", "schemas",
                               "--source", site.catalogue_url])
    assert result.exit_code == 1
    assert "Set ckanext.partnership.standards_path" in result.output


@pytest.mark.parametrize("lang, message", [
    ("en", "the address is not a public internet address "
           "(see ckanext.partnership.fetch.trusted_hosts)"),
    ("fr", "l'adresse n'est pas une adresse publique d'internet "
           "(voir ckanext.partnership.fetch.trusted_hosts)"),
])
def test_the_command_refuses_a_private_source_unless_trusted(cli, site, tmp_path, lang,
                                                             message):
    directory = tmp_path / "standards"
    refused = cli.invoke(ckan, ["-c", _ini(tmp_path, directory, trusted="", lang=lang),
                                "partnership", "schemas", "--source", site.catalogue_url])
    assert refused.exit_code == 1
    assert f"{site.catalogue_url} : {message}" in refused.output \
        or f"{site.catalogue_url}: {message}" in refused.output
    assert not (directory / "index.json").exists()
    # a site that trusts it (an intranet copy of the catalogue)
    trusted = cli.invoke(ckan, ["-c", _ini(tmp_path, directory, trusted="127.0.0.0/8"),
                                "partnership", "schemas", "--source", site.catalogue_url])
    assert trusted.exit_code == 0, trusted.output
    assert catalogue.open_catalogue(directory).names() == [
        "scdl/subventions", "etalab/schema-lieux-covoiturage"]
