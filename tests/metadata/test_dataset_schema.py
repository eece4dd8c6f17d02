# -*- coding: utf-8 -*-
"""The dataset metadata profile through CKAN's actions, on the real stack."""
from __future__ import annotations

import datetime as dt

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import helpers

from ckanext.partnership.core import compat
from tests.factories import EU_FREQ, EU_THEME, SCHEMA_FIELDS, full_dataset, partner

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def as_publisher(org):
    return {"user": org["publisher"]["name"]}


def test_a_dataset_with_every_field_reads_back_identical():
    org = partner()
    sent = full_dataset(org)
    helpers.call_action("package_create", context=as_publisher(org), **sent)

    shown = helpers.call_action("package_show", id=sent["name"])
    for field in SCHEMA_FIELDS:
        assert shown[field] == sent[field], field
    assert sorted(t["name"] for t in shown["tags"]) == ["prénoms", "état civil"]

    [found] = helpers.call_action("package_search", q="name:" + sent["name"])["results"]
    assert found == shown


def test_api_shows_source_and_update_date():
    org = partner()
    helpers.call_action("package_create", context=as_publisher(org), **full_dataset(org))
    shown = helpers.call_action("package_show", id="prenoms-nouveaux-nes-2025")
    assert shown["source_notice"] == "Source : Ville d'Aix-en-Provence"
    assert shown["update_notice"] == "Date de mise à jour : 10/11/2025"


def test_harvester_extras_are_where_data_gouv_fr_reads_them():
    org = partner()
    helpers.call_action("package_create", context=as_publisher(org), **full_dataset(org))
    for dataset in (
        helpers.call_action("package_show", id="prenoms-nouveaux-nes-2025"),
        helpers.call_action("package_search", q="prénoms")["results"][0],
    ):
        extras = {e["key"]: e["value"] for e in dataset["extras"]}
        assert extras["frequency"] == EU_FREQ + "MONTHLY_2"
        assert extras["temporal_start"] == "2025-01-01"
        assert extras["temporal_end"] == "2025-12-31"
        assert extras["spatial"] == dataset["spatial_coverage"][0]["geom"]
        assert extras["spatial-text"] == "Aix-en-Provence"
        assert extras["spatial-uri"] == "https://geo.api.gouv.fr/communes/13001"
        assert extras["granularity"] == "commune"


def test_what_package_show_gives_can_be_sent_back():
    org = partner()
    helpers.call_action("package_create", context=as_publisher(org), **full_dataset(org))
    shown = helpers.call_action("package_show", id="prenoms-nouveaux-nes-2025")
    shown["title"] = "Prénoms 2025"
    updated = helpers.call_action("package_update", context=as_publisher(org), **shown)
    assert updated["title"] == "Prénoms 2025"
    assert [e["key"] for e in updated["extras"]].count("frequency") == 1
    pkg = model.Package.get("prenoms-nouveaux-nes-2025")
    assert "source_notice" not in pkg.extras
    assert "spatial-text" not in pkg.extras


def test_dates_in_french_format_are_accepted():
    org = partner()
    created = helpers.call_action(
        "package_create", context=as_publisher(org),
        **full_dataset(org, created="05/01/2025", modified="10/11/2025"),
    )
    assert (created["created"], created["modified"]) == ("2025-01-05", "2025-11-10")


class TestPublicationDate:
    def test_set_by_the_portal_when_the_dataset_goes_public(self):
        org = partner()
        draft = helpers.call_action(
            "package_create", context=as_publisher(org),
            **full_dataset(org, private=True, issued="2001-01-01"),
        )
        assert not draft.get("issued")
        published = helpers.call_action(
            "package_patch", context=as_publisher(org), id=draft["id"], private=False
        )
        assert published["issued"] == dt.date.today().isoformat()

    def test_kept_on_later_updates(self):
        org = partner()
        dataset = helpers.call_action(
            "package_create", context=as_publisher(org), **full_dataset(org)
        )
        pkg = model.Package.get(dataset["id"])
        pkg.extras["issued"] = "2024-03-01"
        model.Session.commit()
        updated = helpers.call_action(
            "package_patch", context=as_publisher(org), id=dataset["id"],
            title="Autre titre", issued="2030-01-01",
        )
        assert updated["issued"] == "2024-03-01"


class TestIncompleteDatasets:
    def test_a_producer_saves_an_incomplete_dataset_privately(self):
        org = partner()
        draft = helpers.call_action(
            "package_create", context=as_publisher(org),
            name="brouillon", title="Brouillon", owner_org=org["id"], private=True,
        )
        assert draft["private"] is True
        check = helpers.call_action("partnership_metadata_check", id="brouillon")
        assert check["complete"] is False
        assert [m["field"] for m in check["missing"]] == [
            "notes", "created", "modified", "license_id", "theme", "tags",
            "frequency", "spatial_coverage", "granularity",
        ]
        assert check["missing"][0]["label"] == "Description"

    @pytest.mark.parametrize(
        "field", ["notes", "created", "modified", "license_id", "theme", "tag_string",
                  "frequency", "spatial_coverage", "granularity"],
    )
    def test_publishing_without_a_required_field_is_refused(self, field):
        org = partner()
        data = full_dataset(org, private=True)
        data.pop(field)
        helpers.call_action("package_create", context=as_publisher(org), **data)

        with pytest.raises(tk.ValidationError) as error:
            helpers.call_action(
                "package_patch", context=as_publisher(org), id=data["name"], private=False
            )
        assert list(error.value.error_dict) == [field]
        # nothing saved: still private, not in the public search
        assert model.Package.get(data["name"]).private is True
        assert helpers.call_action(
            "package_search", q="name:" + data["name"], include_private=False
        )["count"] == 0

    def test_creating_it_public_is_refused_and_leaves_nothing(self):
        org = partner()
        data = full_dataset(org)
        del data["frequency"], data["granularity"]
        with pytest.raises(tk.ValidationError) as error:
            helpers.call_action("package_create", context=as_publisher(org), **data)
        assert sorted(error.value.error_dict) == ["frequency", "granularity"]
        assert model.Package.get(data["name"]) is None

    def test_bulk_publication_is_refused_for_incomplete_datasets(self):
        org = partner()
        helpers.call_action(
            "package_create", context=as_publisher(org),
            name="brouillon", title="Brouillon", owner_org=org["id"], private=True,
        )
        with pytest.raises(tk.ValidationError) as error:
            helpers.call_action(
                "bulk_update_public", context={"user": org["publisher"]["name"]},
                datasets=["brouillon"], org_id=org["id"],
            )
        assert "brouillon" in error.value.error_dict
        assert model.Package.get("brouillon").private is True


BAD_INPUT = [
    ("frequency", EU_FREQ + "BIMONTHLY"),
    ("frequency", "Mensuelle"),
    ("theme", [EU_THEME + "SOCI", "culture"]),
    ("granularity", "quartier"),
    ("license_id", "cc-by"),
    ("access_rights", "ouvert"),
    ("created", "31/02/2025"),
    ("conforms_to", "schema.json"),
]


@pytest.mark.parametrize("field, value", BAD_INPUT)
def test_bad_input_names_the_field(field, value):
    org = partner()
    with pytest.raises(tk.ValidationError) as error:
        helpers.call_action(
            "package_create", context=as_publisher(org), **full_dataset(org, **{field: value})
        )
    assert list(error.value.error_dict) == [field]


def test_a_period_that_ends_before_it_starts_is_refused():
    org = partner()
    with pytest.raises(tk.ValidationError) as error:
        helpers.call_action(
            "package_create", context=as_publisher(org),
            **full_dataset(org, temporal_coverage=[{"start": "2025-12-31", "end": "2025-01-01"}]),
        )
    assert list(error.value.error_dict) == ["temporal_coverage"]
    assert "end" in str(error.value.error_dict["temporal_coverage"])


@pytest.mark.parametrize(
    "geom", ['{"type": "Point", "coordinates": [5.4, 43.5]}', "POLYGON((5 43, 6 43, 6 44, 5 43))",
             '{"type":"Polygon","coordinates":[[[5,43],[6,43],[6,44],[5,44]]]}'],
)
def test_an_invalid_polygon_is_refused(geom):
    org = partner()
    place = {"text": "Aix-en-Provence", "geom": geom}
    with pytest.raises(tk.ValidationError) as error:
        helpers.call_action(
            "package_create", context=as_publisher(org),
            **full_dataset(org, spatial_coverage=[place]),
        )
    assert list(error.value.error_dict) == ["spatial_coverage"]


def test_themes_are_a_set_in_the_order_of_the_list():
    org = partner()
    created = helpers.call_action(
        "package_create", context=as_publisher(org),
        **full_dataset(org, theme=[EU_THEME + "SOCI", EU_THEME + "GOVE", EU_THEME + "SOCI"]),
    )
    assert created["theme"] == [EU_THEME + "GOVE", EU_THEME + "SOCI"]


RESTRICTED = "http://publications.europa.eu/resource/authority/access-right/RESTRICTED"
INSPIRE = "http://inspire.ec.europa.eu/metadata-codelist/LimitationsOnPublicAccess/"
PERSONAL_DATA = INSPIRE + "INSPIRE_Directive_Article13_1f"


def test_restricted_data_says_why_and_open_data_stores_no_reason():
    """004 §7.1: restricted-access data is published with the reason of its
    restriction (article 13 of the INSPIRE directive), which data.gouv.fr
    needs to show it as restricted; open data stores none, whatever is sent,
    and returning a dataset to open data drops its reason."""
    org = partner()
    context = as_publisher(org)
    with pytest.raises(tk.ValidationError) as error:
        helpers.call_action("package_create", context=context,
                            **full_dataset(org, access_rights=RESTRICTED))
    assert list(error.value.error_dict) == ["access_restriction"]
    assert model.Package.get("prenoms-nouveaux-nes-2025") is None

    with pytest.raises(tk.ValidationError) as error:
        helpers.call_action("package_create", context=context, **full_dataset(
            org, access_rights=RESTRICTED, access_restriction=INSPIRE + "rgpd"))
    assert list(error.value.error_dict) == ["access_restriction"]

    # a private draft may lack it; publishing it asks for it
    draft = helpers.call_action("package_create", context=context, **full_dataset(
        org, access_rights=RESTRICTED, private=True))
    with pytest.raises(tk.ValidationError) as error:
        helpers.call_action("package_patch", context=context, id=draft["id"], private=False)
    assert "access_restriction" in error.value.error_dict
    shown = helpers.call_action("package_patch", context=context, id=draft["id"],
                                access_restriction=PERSONAL_DATA)
    assert shown["access_restriction"] == PERSONAL_DATA

    opened = helpers.call_action("package_patch", context=context, id=draft["id"],
                                 access_rights=EU_ACCESS + "PUBLIC")
    assert not opened.get("access_restriction")
    model.Session.expire_all()  # CKAN's session keeps objects across commits
    assert compat.package_extra_values([draft["id"]], "access_restriction") == {}
    created = helpers.call_action("package_create", context=context, **full_dataset(
        org, name="ouvert-2025", access_restriction=PERSONAL_DATA))
    assert not created.get("access_restriction")
    model.Session.expire_all()
    assert compat.package_extra_values([created["id"]], "access_restriction") == {}
    assert "access_restriction" not in {e["key"] for e in opened["extras"]}


EU_ACCESS = "http://publications.europa.eu/resource/authority/access-right/"
