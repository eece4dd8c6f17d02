# -*- coding: utf-8 -*-
"""The guard's own pieces (ckanext/partnership/publication/guard.py): what
CKAN will store for an input, and "complete before public", one rule with
one message on every path that makes a dataset public."""
from __future__ import annotations

import uuid

import pytest

import ckan.model as model
from ckan.lib import signals
from ckan.tests import factories, helpers

from ckanext.partnership import metadata, publication
from tests.factories import full_dataset
from tests.logic.test_publication import as_, dataset
from tests.sql import queries

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
    with the one message the form shows (002 §2.6, 000 §10.1.2)."""
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


# -- one read of what CKAN stores per save ----------------------------------------

@pytest.mark.usefixtures("with_request_context")
@pytest.mark.parametrize("private", [False, "false", "False", "0", "no", ""])
@pytest.mark.parametrize("field, blank", [
    ("notes", ""), ("notes", "   "), ("frequency", ""), ("theme", []), ("tags", []),
    ("spatial_coverage", [{"text": ""}]),
])
def test_no_spelling_publishes_an_incomplete_dataset(people, private, field, blank):
    """The completeness guard reads what CKAN stored, whatever the spelling
    of the publication and of the blank field: the save is refused, the
    dataset stays private and keeps its value."""
    admin = factories.Sysadmin()["name"]  # a validator: nothing else refuses it
    package = dataset(people)
    with pytest.raises(ValidationError) as refused:
        helpers.call_action("package_patch", context={"user": admin},
                            id=package["id"], private=private, **{field: blank})
    assert {"tags": "tag_string"}.get(field, field) in refused.value.error_dict
    stored = helpers.call_action("package_show", id=package["id"])
    assert stored["private"] is True
    assert stored[field] == package[field]


@pytest.mark.usefixtures("with_request_context")
def test_the_stored_dataset_is_read_once_per_save_each_guard_its_own_copy(people):
    package = dataset(people)
    with queries() as alone:
        publication.stored_dataset(package["id"])
    with publication.one_read_per_save():
        with queries() as twice:
            first = publication.stored_dataset(package["id"])
            first["title"] = "changed by a guard"
            second = publication.stored_dataset(package["id"])
        with publication.one_read_per_save():  # a nested save reads for itself
            with queries() as nested:
                publication.stored_dataset(package["id"])
    assert second["title"] == package["title"]
    assert len(alone) and len(twice) == len(alone) and len(nested) == len(alone)
    with queries() as after:  # outside a save: read each time
        publication.stored_dataset(package["id"])
    assert len(after) == len(alone)


def _save(package: dict, admin: str) -> tuple[int, int]:
    """The SQL statements of a save of the dataset, and the package_show
    reads of what CKAN stores it made (told by CKAN's own signal of each
    action: neither the index's read, unvalidated, nor the cached one CKAN
    returns)."""
    reads = []

    def read(sender, **kwargs):
        context = kwargs.get("context") or {}
        if sender == "package_show" and context.get("use_cache") is False \
                and context.get("validate", True):
            reads.append(sender)

    model.Session.remove()
    signals.action_succeeded.connect(read)
    try:
        with queries() as sent:
            # a change each time: CKAN 2.12 skips a save that changes nothing
            helpers.call_action("package_patch", context={"user": admin}, id=package["id"],
                                notes=package["notes"] + f" (mis à jour, {uuid.uuid4().hex})")
    finally:
        signals.action_succeeded.disconnect(read)
    return len(sent), len(reads)


@pytest.mark.usefixtures("with_request_context")
def test_a_public_save_reads_the_stored_dataset_once(people, public_dataset):
    """The guards of a public dataset's save (complete before public, the
    flag of a failing file) read the stored dataset once between them
    (each read it for itself: two reads); a private save, where neither
    applies, not at all. In SQL the public save costs less than two reads
    more than the private one (one read, and the few queries of the flag:
    the agreement, the checks)."""
    admin = factories.Sysadmin()["name"]
    private = dataset(people)
    _save(private, admin), _save(public_dataset, admin)  # warm caches
    model.Session.remove()
    with queries() as show:
        helpers.call_action("package_show", context={"use_cache": False},
                            id=public_dataset["id"])
    public_sql, public_reads = _save(public_dataset, admin)
    private_sql, private_reads = _save(private, admin)
    assert (public_reads, private_reads) == (1, 0)
    assert public_sql - private_sql < 2 * len(show), (public_sql, private_sql, len(show))
