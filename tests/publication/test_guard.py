# -*- coding: utf-8 -*-
"""The guard's own pieces (ckanext/partnership/publication/guard.py): what
CKAN will store for an input, and "complete before public", one rule with
one message on every path that makes a dataset public."""
from __future__ import annotations

import pytest

from ckan.tests import factories, helpers

from ckanext.partnership import metadata, publication
from tests.factories import full_dataset
from tests.logic.test_publication import as_, dataset

ValidationError = helpers.logic.ValidationError

REQUIRED = "Obligatoire pour publier le jeu de données"


# -- what CKAN will store ------------------------------------------------------

@pytest.mark.parametrize("value, stored", [
    (True, True), ("true", True), ("TRUE", True), ("yes", True), ("t", True), ("y", True),
    ("1", True),
    (False, False), ("false", False), ("", False), ("on", False), (" true", False),
    ("1 ", False), ("nope", False),
])
@pytest.mark.parametrize("current", [True, False])
def test_stored_private_reads_the_input_as_ckan_s_validator_does(value, stored, current):
    assert publication.stored_private(value, current) is stored


@pytest.mark.parametrize("current", [True, False])
def test_an_absent_private_keeps_what_is_stored(current):
    assert publication.stored_private(None, current) is current


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestStoredOwnerOrg:
    def test_a_name_or_an_id_is_the_organisation_s_id(self):
        org = factories.Organization(name="ville-arles")
        assert publication.stored_owner_org("ville-arles", None) == org["id"]
        assert publication.stored_owner_org(org["id"], "autre") == org["id"]

    def test_absent_keeps_empty_clears_unknown_keeps(self):
        assert publication.stored_owner_org(None, "courante") == "courante"
        assert publication.stored_owner_org("", "courante") is None
        assert publication.stored_owner_org("nulle-part", "courante") == "courante"


@pytest.mark.usefixtures("with_request_context")
def test_a_new_dataset_named_by_its_organisation_s_name_is_private(people):
    """default_private resolves the organisation as CKAN does: by its name
    too, not only its id."""
    data = full_dataset(people["org"], name="jeu-par-nom", conforms_to="", private=None)
    data["owner_org"] = people["org"]["name"]
    helpers.call_action("package_create", context=as_("aix-producteur"), **data)
    assert helpers.call_action("package_show", id="jeu-par-nom")["private"] is True


# -- complete before public ----------------------------------------------------

def test_the_errors_sit_under_the_form_s_fields():
    errors = publication.publication_errors(["notes", "tags", "spatial_coverage"])
    message = publication.required_to_publish()
    assert errors == {"notes": [message], "tag_string": [message],
                      "spatial_coverage": [{"text": [message]}]}


@pytest.mark.usefixtures("with_request_context")
def test_every_path_says_the_same_of_an_incomplete_dataset(people):
    """A save, a bulk action and a submission refuse an incomplete dataset
    with the one message the form shows."""
    admin = factories.Sysadmin()["name"]  # a validator: nothing else refuses it
    package = dataset(people, frequency="")
    frequency = metadata.field_label("frequency")
    whole = f"{REQUIRED} ({frequency})"

    with pytest.raises(ValidationError) as saved:
        helpers.call_action("package_patch", context={"user": admin},
                            id=package["id"], private=False)
    assert saved.value.error_dict == {"frequency": [REQUIRED]}

    with pytest.raises(ValidationError) as bulk:
        helpers.call_action("bulk_update_public", context={"user": admin},
                            datasets=[package["id"]], org_id=people["org"]["id"])
    assert bulk.value.error_dict == {package["name"]: [whole]}

    [metadata_check] = [c for c in helpers.call_action(
        "partnership_publication_checks", context=as_("aix-publicateur"), id=package["id"])
        if c["code"] == "metadata"]
    assert metadata_check["detail"] == whole
    with pytest.raises(ValidationError) as submitted:
        helpers.call_action("partnership_publication_submit", context=as_("aix-publicateur"),
                            id=package["id"])
    assert f"Métadonnées obligatoires : {whole}" in submitted.value.error_dict["checks"]
    assert helpers.call_action("package_show", id=package["id"])["private"] is True
