# -*- coding: utf-8 -*-
"""The catalogue of data standards, without CKAN: reading the packaged
catalogue, resolving names and URLs, and refreshing from a local HTTP
server that serves a catalogue in schema.data.gouv.fr's format."""
from __future__ import annotations

import functools
import http.server
import json
import socket
import threading
from pathlib import Path

import pytest

from ckanext.partnership.checks import catalogue as cat
from ckanext.partnership.checks.addresses import parse_trusted
from ckanext.partnership.checks.catalogue import (
    Catalogue, CatalogueError, RefreshError, effective_standard, normalise_url,
    open_catalogue, refresh, standard_urls,
)
from ckanext.partnership.checks.fetch import Policy

SDG = "https://schema.data.gouv.fr/schemas/"

#: How the tests' local schema.data.gouv.fr is fetched: 127.0.0.1 trusted,
#: as a site trusts an intranet source (a plain ``refresh`` refuses it).
LOCAL = functools.partial(cat.fetch_url, policy=Policy(
    trusted=parse_trusted("127.0.0.1"), max_bytes=cat.MAX_BYTES))


# --------------------------------------------------------------------------
# A schema.data.gouv.fr of our own
# --------------------------------------------------------------------------


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class Site:
    """A directory served over HTTP on 127.0.0.1, laid out like
    schema.data.gouv.fr: ``/schemas/schemas.json`` and
    ``/schemas/<name>/<version>/<file>``."""

    def __init__(self, root: Path):
        self.root = root
        handler = functools.partial(_Quiet, directory=str(root))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def catalogue_url(self) -> str:
        return self.url + "/schemas/schemas.json"

    def put(self, path: str, payload: bytes) -> None:
        target = self.root / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(payload)

    def publish(self, name: str, versions: dict[str, bytes], file: str = "schema.json",
                schema_type: str = "tableschema", title: str = "") -> dict:
        """Serve every version of a schema and its ``latest`` copy (the
        highest version, as schema.data.gouv.fr does); return its entry of
        the catalogue."""
        for version, payload in versions.items():
            self.put(f"schemas/{name}/{version}/{file}", payload)
        self.put(f"schemas/{name}/latest/{file}", versions[list(versions)[-1]])
        return {
            "name": name,
            "title": title or name,
            "description": "",
            "schema_url": f"{self.url}/schemas/{name}/latest/{file}",
            "schema_type": schema_type,
            "contact": "schema@data.gouv.fr",
            "examples": [],
            "labels": ["Socle Commun des Données Locales"],
            "consolidation_dataset_id": None,
            "versions": [
                {"version_name": v, "schema_url": f"{self.url}/schemas/{name}/{v}/{file}"}
                for v in versions
            ],
            "external_doc": None,
            "external_tool": None,
            "homepage": "https://gitlab.com/opendatafrance/" + name + ".git",
        }

    def list(self, entries: list) -> None:
        self.put("schemas/schemas.json", json.dumps({
            "$schema": "https://opendataschema.frama.io/catalog/schema-catalog.json",
            "version": 1,
            "schemas": entries,
        }).encode())

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def packaged_bytes(name: str) -> bytes:
    standard = Catalogue(cat.PACKAGED).resolve(name)
    assert standard is not None
    return (cat.PACKAGED / standard.path).read_bytes()


def table_schema(version: str, *fields: str) -> bytes:
    return json.dumps({
        "name": "subventions", "title": "Subventions", "version": version,
        "path": f"https://gitlab.com/opendatafrance/scdl/subventions/-/raw/v{version}/schema.json",
        "fields": [{"name": f, "type": "string"} for f in fields],
    }, ensure_ascii=False, indent=2).encode()


@pytest.fixture
def site(tmp_path):
    served = Site(tmp_path / "site")
    yield served
    served.close()


@pytest.fixture
def sdg(site):
    """The catalogue as schema.data.gouv.fr publishes it: Table Schemas
    among other kinds of schemas, and an entry with hardly anything."""
    site.list([
        site.publish("scdl/subventions", {
            "2.1.0": table_schema("2.1.0", "nomAttribuant"),
            "2.1.1": packaged_bytes("scdl/subventions"),
        }, title="Subventions"),
        site.publish("scdl/prenoms", {"1.1.6": packaged_bytes("scdl/prenoms")},
                     title="Prénoms des nouveaux-nés"),
        site.publish("etalab/schema-irve-statique",
                     {"2.3.0": packaged_bytes("etalab/schema-irve-statique")},
                     file="schema-statique.json", title="IRVE statique"),
        site.publish("139bercy/format-commande-publique", {"2.0.2": b'{"type": "object"}'},
                     file="marches.json", schema_type="jsonschema"),
        site.publish("etalab/schema-bal", {"1.4.0": b"title: BAL"}, file="schema.yml",
                     schema_type="other"),
        site.publish("etalab/schema-irve", {"2.3.0": b'{"resources": []}'},
                     file="datapackage.json", schema_type="datapackage"),
        {"name": "foo/bar", "labels": []},
    ])
    return site


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def snapshot(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes()
            for p in sorted(directory.rglob("*")) if p.is_file()}


# --------------------------------------------------------------------------
# The packaged catalogue
# --------------------------------------------------------------------------


def test_the_packaged_catalogue_holds_the_scdl_standards():
    catalogue = open_catalogue(None)
    assert catalogue.directory == cat.PACKAGED
    assert sorted(catalogue.names()) == sorted([
        "scdl/subventions", "scdl/deliberations", "scdl/budget", "scdl/equipements",
        "scdl/catalogue", "scdl/prenoms", "scdl/menus-collectifs",
        "scdl/plats-menus-collectifs", "scdl/adresses", "ColinMaudry/decp-table-schema",
        "etalab/schema-irve-statique", "etalab/schema-irve-dynamique",
    ])
    for standard in catalogue:
        descriptor = catalogue.descriptor(standard.name)
        assert descriptor["fields"], standard.name
        # the version said in the index is the one the schema declares
        assert descriptor["version"].lstrip("v") == standard.version, standard.name
        assert standard.url == standard.urls[0]
        assert catalogue.resolve(standard.url) == standard
        assert standard.title == descriptor["title"]


def test_latest_url_is_the_latest_form_on_schema_data_gouv_fr():
    catalogue = open_catalogue(None)
    assert catalogue.resolve("scdl/subventions").latest_url == \
        SDG + "scdl/subventions/latest/schema.json"
    assert catalogue.resolve("etalab/schema-irve-statique").latest_url == \
        SDG + "etalab/schema-irve-statique/latest/schema-statique.json"
    decp = catalogue.resolve("ColinMaudry/decp-table-schema")
    assert decp.latest_url == decp.url


def test_a_configured_directory_without_index_means_the_packaged_catalogue(tmp_path):
    assert open_catalogue(tmp_path).directory == cat.PACKAGED
    assert open_catalogue(tmp_path / "missing").directory == cat.PACKAGED
    assert open_catalogue("").directory == cat.PACKAGED


# --------------------------------------------------------------------------
# Resolving
# --------------------------------------------------------------------------


@pytest.mark.parametrize("ref", [
    "scdl/subventions",
    "  scdl/subventions ",
    SDG + "scdl/subventions/2.1.1/schema.json",
    SDG + "scdl/subventions/latest/schema.json",
    "http://schema.data.gouv.fr/schemas/scdl/subventions/latest/schema.json",
    SDG + "scdl/subventions/latest/schema.json/",
    "HTTPS://Schema.Data.Gouv.fr:443/schemas/scdl/subventions/2.1.1/schema.json#fields",
    "https://schema.data.gouv.fr/scdl/subventions/latest.html",
    "https://schema.data.gouv.fr/scdl/subventions/2.1.1.html",
    "https://schema.data.gouv.fr/scdl/subventions",
    # the raw file on GitLab, as the schema declares it and in its other forms
    "https://gitlab.com/opendatafrance/scdl/subventions/raw/v2.1.1/schema.json",
    "https://gitlab.com/opendatafrance/scdl/subventions/-/raw/v2.1.1/schema.json",
    "https://git.opendatafrance.net/scdl/subventions/raw/v2.1.1/schema.json",
])
def test_resolve_finds_a_standard_by_name_or_any_of_its_urls(ref):
    standard = open_catalogue(None).resolve(ref)
    assert (standard.name, standard.version) == ("scdl/subventions", "2.1.1")


@pytest.mark.parametrize("ref, name", [
    (SDG + "etalab/schema-irve-statique/latest/schema-statique.json",
     "etalab/schema-irve-statique"),
    ("https://raw.githubusercontent.com/etalab/schema-irve/v2.3.0/statique/schema-statique.json",
     "etalab/schema-irve-statique"),
    ("https://github.com/etalab/schema-irve/raw/v2.3.0/dynamique/schema-dynamique.json",
     "etalab/schema-irve-dynamique"),
    ("https://raw.githubusercontent.com/ColinMaudry/decp-table-schema/main/schema.json",
     "ColinMaudry/decp-table-schema"),
    ("https://gitlab.com/opendatafrance/scdl/prenoms/-/raw/v1.1.6/schema.json", "scdl/prenoms"),
])
def test_resolve_knows_the_github_and_irve_forms(ref, name):
    assert open_catalogue(None).resolve(ref).name == name


@pytest.mark.parametrize("ref", [
    None, "", "   ", 42, "subventions", "scdl/inconnu",
    # another version than the catalogue's: not the same schema
    SDG + "scdl/subventions/2.1.0/schema.json",
    "https://example.org/schema.json",
    "ftp://schema.data.gouv.fr/schemas/scdl/subventions/latest/schema.json",
])
def test_resolve_says_none_for_what_the_catalogue_does_not_hold(ref):
    catalogue = open_catalogue(None)
    assert catalogue.resolve(ref) is None
    assert catalogue.descriptor(ref) is None


def test_descriptor_is_the_schema_file_and_a_fresh_copy_each_time():
    catalogue = open_catalogue(None)
    standard = catalogue.resolve("scdl/prenoms")
    descriptor = catalogue.descriptor(SDG + "scdl/prenoms/latest/schema.json")
    assert descriptor == json.loads((cat.PACKAGED / standard.path).read_bytes())
    assert [f["name"] for f in descriptor["fields"]][:2] == ["COMMUNE_NOM", "COLL_INSEE"]
    descriptor["fields"].clear()
    assert catalogue.descriptor("scdl/prenoms")["fields"]


def test_normalise_url():
    assert normalise_url("http://Schema.data.gouv.fr:80/a/b/") == "https://schema.data.gouv.fr/a/b"
    assert normalise_url(" https://x.org/a?b=1#c ") == "https://x.org/a?b=1"
    assert normalise_url("https://x.org/") == "https://x.org"


def test_standard_urls_name_every_form_once():
    urls = standard_urls(
        SDG + "scdl/budget/0.8.3/schema.json", SDG + "scdl/budget/latest/schema.json",
        "https://gitlab.com/opendatafrance/scdl/budget/raw/v0.8.3/schema.json",
    )
    assert urls[0] == SDG + "scdl/budget/0.8.3/schema.json"
    assert set(urls) == {
        SDG + "scdl/budget/0.8.3/schema.json",
        SDG + "scdl/budget/latest/schema.json",
        "https://schema.data.gouv.fr/scdl/budget/0.8.3.html",
        "https://schema.data.gouv.fr/scdl/budget/latest.html",
        "https://schema.data.gouv.fr/scdl/budget/",
        "https://gitlab.com/opendatafrance/scdl/budget/raw/v0.8.3/schema.json",
        "https://gitlab.com/opendatafrance/scdl/budget/-/raw/v0.8.3/schema.json",
        "https://git.opendatafrance.net/scdl/budget/raw/v0.8.3/schema.json",
        "https://git.opendatafrance.net/scdl/budget/-/raw/v0.8.3/schema.json",
    }
    assert len(urls) == len(set(urls))


# --------------------------------------------------------------------------
# Which standard applies
# --------------------------------------------------------------------------


@pytest.mark.parametrize("resource, dataset, expected", [
    ("scdl/subventions", SDG + "scdl/prenoms/latest/schema.json", "scdl/subventions"),
    ("", SDG + "scdl/prenoms/latest/schema.json", SDG + "scdl/prenoms/latest/schema.json"),
    (None, " scdl/prenoms ", "scdl/prenoms"),
    ("   ", "scdl/prenoms", "scdl/prenoms"),
    (" https://example.org/s.json ", None, "https://example.org/s.json"),
    (None, None, None),
    ("", "", None),
])
def test_effective_standard_is_the_resources_own_else_the_datasets(resource, dataset, expected):
    assert effective_standard(resource, dataset) == expected


# --------------------------------------------------------------------------
# Reading a broken catalogue
# --------------------------------------------------------------------------


def _write_index(directory: Path, standards: list) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "index.json").write_text(json.dumps({"standards": standards}))


def test_a_broken_catalogue_says_what_is_wrong(tmp_path):
    (tmp_path / "index.json").write_text("{not json")
    with pytest.raises(CatalogueError, match="index.json"):
        Catalogue(tmp_path)

    entry = {"name": "a/b", "title": "A", "version": "1", "url": "https://x.org/s.json",
             "urls": [], "path": "s.json"}
    _write_index(tmp_path, [entry])
    with pytest.raises(CatalogueError, match="s.json"):
        Catalogue(tmp_path)  # the file is missing

    (tmp_path / "s.json").write_text('{"name": "no fields"}')
    with pytest.raises(CatalogueError, match="not a readable Table Schema"):
        Catalogue(tmp_path)

    _write_index(tmp_path, [dict(entry, path="../outside.json")])
    (tmp_path.parent / "outside.json").write_text('{"fields": []}')
    with pytest.raises(CatalogueError, match="outside the catalogue"):
        Catalogue(tmp_path)

    _write_index(tmp_path, [{"title": "no name"}])
    with pytest.raises(CatalogueError, match="lacks"):
        Catalogue(tmp_path)


# --------------------------------------------------------------------------
# Refreshing
# --------------------------------------------------------------------------


def test_refresh_writes_the_table_schemas_in_their_latest_version(sdg, tmp_path):
    directory = tmp_path / "standards"  # does not exist yet
    summary = refresh(directory, source=sdg.catalogue_url, fetch=LOCAL)

    assert summary == {"listed": 7, "standards": 3, "added": 0, "updated": 0,
                       "removed": 9}  # against the packaged catalogue
    catalogue = Catalogue(directory)
    assert catalogue.names() == ["scdl/subventions", "scdl/prenoms",
                                 "etalab/schema-irve-statique"]
    assert catalogue.source == sdg.catalogue_url

    subventions = catalogue.resolve("scdl/subventions")
    assert subventions.version == "2.1.1"
    assert subventions.title == "Subventions"
    assert subventions.url == sdg.url + "/schemas/scdl/subventions/2.1.1/schema.json"
    assert catalogue.resolve(sdg.url + "/schemas/scdl/subventions/latest/schema.json") \
        == subventions
    # what the schema declares designates it too
    assert catalogue.resolve(
        "https://gitlab.com/opendatafrance/scdl/subventions/-/raw/v2.1.1/schema.json"
    ) == subventions
    # byte for byte what the site serves
    assert (directory / subventions.path).read_bytes() == packaged_bytes("scdl/subventions")
    assert catalogue.descriptor("scdl/subventions") == json.loads(
        packaged_bytes("scdl/subventions"))

    # "v1.1.6" in the schema, "1.1.6" in the catalogue
    assert catalogue.resolve("scdl/prenoms").version == "1.1.6"
    irve = catalogue.resolve("etalab/schema-irve-statique")
    assert irve.url == sdg.url + "/schemas/etalab/schema-irve-statique/2.3.0/schema-statique.json"

    index = json.loads((directory / "index.json").read_text())
    assert set(index["standards"][0]) == {"name", "title", "version", "url", "urls", "path"}


def test_the_portal_sees_a_refresh_without_restarting(sdg, tmp_path):
    directory = tmp_path / "standards"
    assert open_catalogue(directory).directory == cat.PACKAGED
    refresh(directory, source=sdg.catalogue_url, fetch=LOCAL)
    first = open_catalogue(directory)
    assert first.directory == directory.resolve()
    assert first.resolve("scdl/subventions").version == "2.1.1"
    assert open_catalogue(directory) is first  # read once

    # schema.data.gouv.fr publishes Subventions 2.2.0
    sdg.list([sdg.publish("scdl/subventions", {
        "2.1.1": packaged_bytes("scdl/subventions"),
        "2.2.0": table_schema("2.2.0", "nomAttribuant", "idAttribuant"),
    }, title="Subventions")])
    assert refresh(directory, source=sdg.catalogue_url, fetch=LOCAL) == {
        "listed": 1, "standards": 1, "added": 0, "updated": 1, "removed": 2}
    second = open_catalogue(directory)
    assert second is not first
    standard = second.resolve(sdg.url + "/schemas/scdl/subventions/latest/schema.json")
    assert standard.version == "2.2.0"
    assert [f["name"] for f in second.descriptor("scdl/subventions")["fields"]] == [
        "nomAttribuant", "idAttribuant"]
    # the former version's URL no longer designates what the catalogue holds
    assert second.resolve(sdg.url + "/schemas/scdl/subventions/2.1.1/schema.json") is None


def test_refreshes_keep_only_the_current_and_previous_schema_files(sdg, tmp_path):
    directory = tmp_path / "standards"
    for _ in range(4):
        refresh(directory, source=sdg.catalogue_url, fetch=LOCAL)
    generations = [p for p in directory.iterdir() if p.is_dir()]
    assert len(generations) == 2
    assert all(p.name.startswith("schemas-") for p in generations)
    assert len(Catalogue(directory)) == 3


def _refreshed(sdg, tmp_path) -> tuple[Path, dict[str, bytes]]:
    directory = tmp_path / "standards"
    refresh(directory, source=sdg.catalogue_url, fetch=LOCAL)
    return directory, snapshot(directory)


def test_a_dead_server_leaves_the_catalogue_as_it_was(sdg, tmp_path):
    directory, before = _refreshed(sdg, tmp_path)
    dead = f"http://127.0.0.1:{_free_port()}/schemas/schemas.json"
    with pytest.raises(RefreshError) as error:
        refresh(directory, source=dead, fetch=LOCAL)
    assert error.value.code == "download"
    assert str(error.value).startswith(f"Could not download {dead}: ")
    assert snapshot(directory) == before


def test_a_directory_never_refreshed_stays_empty_when_the_network_fails(tmp_path):
    directory = tmp_path / "standards"
    with pytest.raises(RefreshError):
        refresh(directory, source=f"http://127.0.0.1:{_free_port()}/schemas.json",
                fetch=LOCAL)
    assert not directory.exists()
    assert open_catalogue(directory).directory == cat.PACKAGED


def test_a_missing_schema_fails_the_whole_refresh(sdg, tmp_path):
    directory, before = _refreshed(sdg, tmp_path)
    (sdg.root / "schemas/scdl/prenoms/latest/schema.json").unlink()
    with pytest.raises(RefreshError) as error:
        refresh(directory, source=sdg.catalogue_url, fetch=LOCAL)
    assert error.value.code == "download"
    assert "HTTP 404" in str(error.value)
    assert error.value.params["url"].endswith("/schemas/scdl/prenoms/latest/schema.json")
    assert snapshot(directory) == before
    assert not [p for p in directory.iterdir() if p.name.startswith(".refresh-")]


@pytest.mark.parametrize("payload, code", [
    (b"<html>maintenance</html>", "json"),
    (b'{"version": 1, "items": []}', "catalogue"),
    (b'[{"name": "scdl/subventions"}]', "catalogue"),
    (json.dumps({"schemas": [{"name": "etalab/schema-bal", "schema_type": "other",
                              "schema_url": "https://x.org/s.yml"}]}).encode(), "empty"),
])
def test_a_bad_catalogue_fails_the_refresh(sdg, tmp_path, payload, code):
    directory, before = _refreshed(sdg, tmp_path)
    sdg.put("schemas/schemas.json", payload)
    with pytest.raises(RefreshError) as error:
        refresh(directory, source=sdg.catalogue_url, fetch=LOCAL)
    assert error.value.code == code
    assert snapshot(directory) == before


def test_a_schema_that_is_not_a_table_schema_fails_the_refresh(sdg, tmp_path):
    directory, before = _refreshed(sdg, tmp_path)
    sdg.put("schemas/scdl/prenoms/latest/schema.json", b'{"type": "object"}')
    with pytest.raises(RefreshError) as error:
        refresh(directory, source=sdg.catalogue_url, fetch=LOCAL)
    assert error.value.code == "table-schema"
    assert "is not a Table Schema" in str(error.value)
    assert snapshot(directory) == before


def test_a_failure_while_writing_leaves_the_catalogue_as_it_was(sdg, tmp_path, monkeypatch):
    directory, before = _refreshed(sdg, tmp_path)
    real_replace = cat.os.replace

    def replace(source, target):
        if Path(target).name == "index.json":
            raise OSError(28, "No space left on device")
        return real_replace(source, target)

    monkeypatch.setattr(cat.os, "replace", replace)
    with pytest.raises(RefreshError) as error:
        refresh(directory, source=sdg.catalogue_url, fetch=LOCAL)
    assert error.value.code == "write"
    assert "No space left on device" in str(error.value)
    assert snapshot(directory) == before
    assert len(Catalogue(directory)) == 3


def test_whatever_a_fetch_function_raises_is_a_refresh_error(tmp_path):
    def fetch(url):
        raise TimeoutError("timed out")

    with pytest.raises(RefreshError) as error:
        refresh(tmp_path, source="https://schema.data.gouv.fr/schemas/schemas.json", fetch=fetch)
    assert str(error.value) == (
        "Could not download https://schema.data.gouv.fr/schemas/schemas.json: timed out")


def test_refresh_with_the_default_source_asks_schema_data_gouv_fr(tmp_path):
    asked = []

    def fetch(url):
        asked.append(url)
        raise OSError("no network here")

    with pytest.raises(RefreshError):
        refresh(tmp_path, fetch=fetch)
    assert asked == ["https://schema.data.gouv.fr/schemas/schemas.json"]


def test_refresh_refuses_a_private_source_unless_trusted(sdg, tmp_path):
    directory = tmp_path / "standards"
    with pytest.raises(RefreshError) as error:
        refresh(directory, source=sdg.catalogue_url)
    assert error.value.code == "download"
    assert error.value.params["problem"] == "address_refused"
    assert not directory.exists()
    assert refresh(directory, source=sdg.catalogue_url, fetch=LOCAL)["standards"] == 3


def test_refresh_refuses_a_schema_at_a_private_address(sdg, tmp_path):
    """A catalogue the site trusts (by name) that lists a schema at an
    address it does not trust."""
    other = Site(tmp_path / "other")
    try:
        other.publish("scdl/prenoms", {"1.1.6": packaged_bytes("scdl/prenoms")})
        entry = sdg.publish("scdl/prenoms", {"1.1.6": packaged_bytes("scdl/prenoms")})
        entry["schema_url"] = other.url + "/schemas/scdl/prenoms/latest/schema.json"
        sdg.list([entry])
        by_name = functools.partial(cat.fetch_url, policy=Policy(
            trusted=parse_trusted("localhost"), max_bytes=cat.MAX_BYTES))
        source = sdg.catalogue_url.replace("127.0.0.1", "localhost")
        with pytest.raises(RefreshError) as error:
            refresh(tmp_path / "standards", source=source, fetch=by_name)
        assert error.value.params["problem"] == "address_refused"
        assert error.value.params["url"] == entry["schema_url"]
        # the same schema on the trusted name is fetched
        entry["schema_url"] = entry["schema_url"].replace(other.url, sdg.url).replace(
            "127.0.0.1", "localhost")
        sdg.list([entry])
        assert refresh(tmp_path / "standards", source=source, fetch=by_name)["standards"] == 1
    finally:
        other.close()
