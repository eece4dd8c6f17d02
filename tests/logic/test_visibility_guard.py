# -*- coding: utf-8 -*-
"""One guard on what CKAN stores (000 §9.1.2, §9.4; 002 §4.2.1): a
partner's dataset goes public only through its publisher and the host,
whatever the spelling of ``private``, the path of the save (create,
update, patch, revise, the form, bulk, owner change, delete) or the role.
Every case goes through the real action chain and the real form, and is
judged on the database and the search index."""
from __future__ import annotations

import email.header
import email.utils
import uuid

import pytest
from werkzeug.datastructures import MultiDict

import ckan.model as model
from ckan.tests import helpers

from ckanext.partnership import publication
from ckanext.partnership.domain import publication_rules
from tests.factories import full_dataset
from tests.logic.test_publication import as_, dataset, decide, submit
from tests.logic.test_publication_permissions import _Form, _token

NotAuthorized = helpers.logic.NotAuthorized
ValidationError = helpers.logic.ValidationError

#: Mail is written inside a web request (its language); the form tests
#: make their own requests and run outside one.
in_a_request = pytest.mark.usefixtures("with_request_context")

#: Inputs CKAN's boolean_validator stores as ``private = False`` (public):
#: a guard that reads the input another way lets them through.
PUBLIC_SPELLINGS = [False, "false", "False", "on", " true", "True ", "1 ", "", "nope"]

PRODUCER, PUBLISHER = "aix-producteur", "aix-publicateur"


def _private_dataset(people, user=PRODUCER):
    data = full_dataset(people["org"], name=f"jeu-{uuid.uuid4().hex[:8]}", conforms_to="",
                        private=True)
    return helpers.call_action("package_create", context=as_(user), **data)


def _stored(package_id):
    """(private, organisation name, state) as the database has them."""
    model.Session.expire_all()
    pkg = model.Package.get(package_id)
    return pkg.private, pkg.owner_org and model.Group.get(pkg.owner_org).name, pkg.state


def _indexed_public(org_id):
    return {p["name"] for p in helpers.call_action(
        "package_search", q="*:*", fq=f"owner_org:{org_id}", include_private=False,
        rows=100)["results"]}


def _subject(message):
    return str(email.header.make_header(email.header.decode_header(message["Subject"])))


def _form_save(app, user, name, private):
    """Open the dataset's edit form and save it with ``private`` spelled
    as given, as a tampered browser would send it."""
    headers = {"Authorization": _token(user)}
    page = app.get(f"/dataset/edit/{name}", headers=headers)
    parser = _Form()
    parser.feed(page.body)
    fields = [(k, v) for k, v in parser.fields if k != "private"]
    fields += [("private", "" if private is False else str(private)), ("save", "")]
    return app.post(f"/dataset/edit/{name}", headers=headers, data=MultiDict(fields),
                    status=None)


def _publish(path, user, people, app, private):
    """Try to make a private partner dataset public by ``path``; returns
    the dataset's id."""
    ctx = as_(user)
    if path == "package_create":
        data = full_dataset(people["org"], name=f"cree-{uuid.uuid4().hex[:8]}",
                            conforms_to="", private=private)
        try:
            return helpers.call_action("package_create", context=ctx, **data)["id"]
        except ValidationError as error:
            assert "private" in error.error_dict, error.error_dict
            return data["name"]
    package = _private_dataset(people)
    try:
        if path == "package_update":
            shown = helpers.call_action("package_show", id=package["id"])
            shown["private"] = private
            helpers.call_action("package_update", context=ctx, **shown)
        elif path == "package_patch":
            helpers.call_action("package_patch", context=ctx, id=package["id"],
                                private=private)
        elif path == "package_revise":
            helpers.call_action("package_revise", context=ctx, match={"id": package["id"]},
                                update={"private": private})
        elif path == "dataset form":
            answer = _form_save(app, user, package["name"], private)
            assert answer.status_code in (200, 302), answer.status_code  # judged on what is stored
    except ValidationError as error:
        assert "private" in error.error_dict, error.error_dict
    return package["id"]


PATHS = ["package_create", "package_update", "package_patch", "package_revise",
         "dataset form"]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("user", [PRODUCER, PUBLISHER])
def test_no_spelling_of_private_publishes_around_the_workflow(app, people, path, user):
    for private in PUBLIC_SPELLINGS:
        package_id = _publish(path, user, people, app, private)
        pkg = model.Package.get(package_id)
        assert pkg is None or _stored(pkg.id)[0] is True, (path, user, repr(private))
    assert _indexed_public(people["org"]["id"]) == set()


@pytest.mark.parametrize("path", PATHS)
def test_the_same_spellings_publish_where_the_user_may(app, people, path):
    """The control: an autonomous publisher publishes by a direct save, so
    each spelling above does make a dataset public when allowed."""
    helpers.call_action("partnership_agreement_patch", context={"user": "validateur"},
                        id=people["agreement"]["id"], publication_mode="autonomous")
    for private in ("on", " true", "1 "):
        package_id = _publish(path, PUBLISHER, people, app, private)
        assert _stored(package_id)[0] is False, (path, repr(private))
    assert len(_indexed_public(people["org"]["id"])) == 3


def test_a_new_dataset_with_private_null_is_private(people):
    """A new dataset of a partner under agreement is private unless asked otherwise: it
    stays in the partner's private space until its publisher publishes it (000 §9.3.2)."""
    data = full_dataset(people["org"], name="jeu-null", conforms_to="", private=None)
    helpers.call_action("package_create", context=as_(PRODUCER), **data)
    assert _stored("jeu-null")[0] is True


# -- leaving the partner's organisation ----------------------------------------

@pytest.fixture
def own_org(people):
    """An organisation the producer creates for itself (CKAN allows it)."""
    return helpers.call_action("organization_create", context=as_(PRODUCER),
                               name="mon-orga")


@pytest.mark.parametrize("private", [False, "on", True])
@pytest.mark.parametrize("user", [PRODUCER, PUBLISHER])
def test_a_dataset_does_not_leave_its_partner_by_a_save(people, own_org, user, private):
    if user == PUBLISHER:
        helpers.call_action("member_create", context={"ignore_auth": True},
                            id="mon-orga", object=PUBLISHER, object_type="user",
                            capacity="admin")
    package = _private_dataset(people)
    with pytest.raises(ValidationError) as error:
        helpers.call_action("package_patch", context=as_(user), id=package["id"],
                            owner_org="mon-orga", private=private)
    assert "validat" in error.value.error_dict["owner_org"][0]
    assert _stored(package["id"]) == (True, "ville-aix-en-provence", "active")
    assert _indexed_public(own_org["id"]) == set()


def test_nor_by_the_owner_change_action(people, own_org):
    package = _private_dataset(people)
    with pytest.raises(NotAuthorized):
        helpers.call_action("package_owner_org_update", context=as_(PRODUCER),
                            id=package["name"], organization_id="mon-orga")
    assert _stored(package["id"])[1] == "ville-aix-en-provence"


def test_a_validator_moves_a_dataset_out(people, own_org):
    """The host's validators may (sysadmins, who may edit any dataset)."""
    from ckan.tests import factories

    admin = factories.Sysadmin()
    package = _private_dataset(people)
    helpers.call_action("package_patch", context=as_(admin["name"]), id=package["id"],
                        owner_org="mon-orga")
    assert _stored(package["id"])[1] == "mon-orga"


# -- deleting a published dataset ---------------------------------------------

@pytest.fixture
def published(people):
    package = dataset(people)
    decide(submit(package), decision="approve")
    assert _stored(package["id"])[0] is False
    return package


@pytest.mark.parametrize("path", ["package_delete", "state deleted", "state draft",
                                  "bulk delete"])
def test_a_producer_does_not_delete_a_published_dataset(people, published, path):
    ctx = as_(PRODUCER)
    with pytest.raises((NotAuthorized, ValidationError)) as error:
        if path == "package_delete":
            helpers.call_action("package_delete", context=ctx, id=published["name"])
        elif path == "bulk delete":
            helpers.call_action("bulk_update_delete", context=ctx, org_id=people["org"]["id"],
                                datasets=[published["id"]])
        else:
            helpers.call_action("package_patch", context=ctx, id=published["id"],
                                state=path.split()[1])
    message = str(error.value)
    assert "Only the publisher of Ville d'Aix-en-Provence, Paul Publicateur," in message, \
        message
    assert _stored(published["id"]) == (False, "ville-aix-en-provence", "active")
    assert _indexed_public(people["org"]["id"]) == {published["name"]}


def test_the_delete_button_is_hidden_from_the_producer(people, published):
    """The form shows « Supprimer » only where package_delete's auth allows."""
    assert helpers.call_auth("package_delete", context={"user": PUBLISHER, "model": model},
                             id=published["id"])
    with pytest.raises(NotAuthorized):
        helpers.call_auth("package_delete", context={"user": PRODUCER, "model": model},
                          id=published["id"])


@in_a_request
@pytest.mark.parametrize("path", ["package_delete", "bulk delete"])
def test_the_publisher_deletes_and_the_host_is_told(people, published, inbox, path):
    """When the publisher deletes a published dataset, the deletion shows in its activity
    stream with the publisher as actor and the validators are mailed
    (000 §9.4, 000 §9.3)."""
    if path == "package_delete":
        helpers.call_action("package_delete", context=as_(PUBLISHER), id=published["name"])
    else:  # CKAN lets only an organisation's admins act in bulk
        helpers.call_action("member_create", context={"ignore_auth": True},
                            id=people["org"]["id"], object=PUBLISHER, object_type="user",
                            capacity="admin")
        helpers.call_action("bulk_update_delete", context=as_(PUBLISHER),
                            org_id=people["org"]["id"], datasets=[published["id"]])
    assert _stored(published["id"])[2] == "deleted"
    assert _indexed_public(people["org"]["id"]) == set()
    activities = helpers.call_action("package_activity_list", context={"user": "validateur"},
                                     id=published["id"], activity_types=[
                                         publication.ACTIVITY_TYPE], include_hidden_activity=True)
    assert [(a["data"]["partnership"]["event"], a["data"]["actor"])
            for a in activities][0] == ("deleted", PUBLISHER)
    told = [m for m in inbox.messages if published["title"] in _subject(m)]
    assert [email.utils.parseaddr(m["To"])[1] for m in told] == ["validateur@region-sud.invalid"]
    assert _subject(told[0]).startswith("Jeu de données supprimé par Ville d'Aix-en-Provence")


@in_a_request
def test_a_refused_deletion_tells_nobody(people, published, inbox):
    with pytest.raises(NotAuthorized):
        helpers.call_action("package_delete", context=as_(PRODUCER), id=published["id"])
    assert [m for m in inbox.messages if published["title"] in _subject(m)] == []


# -- the rule itself, without a database -------------------------------------------

V = publication_rules.Visibility


@pytest.mark.parametrize("before, after, expected", [
    (None, V("a", True, "active"), []),
    (None, V("a", False, "active"), [("publish", "a")]),
    (None, V("a", False, "draft"), []),
    (V("a", False, "draft"), V("a", False, "active"), [("publish", "a")]),
    (V("a", True, "active"), V("a", False, "active"), [("publish", "a")]),
    (V("a", False, "active"), V("a", True, "active"), [("withdraw", "a")]),
    (V("a", False, "active"), V("a", False, "draft"), [("withdraw", "a")]),
    (V("a", False, "active"), V("a", False, "deleted"), [("delete", "a")]),
    (V("a", True, "active"), V("a", True, "deleted"), []),
    (V("a", True, "active"), V("b", True, "active"), [("leave", "a")]),
    (V("a", True, "active"), V("b", False, "active"), [("leave", "a"), ("publish", "b")]),
    (V("a", False, "active"), V("b", False, "active"), [("leave", "a"), ("publish", "b")]),
    (V("a", False, "active"), V(None, False, "active"), [("leave", "a"), ("publish", None)]),
    (V(None, True, "active"), V("a", False, "active"), [("publish", "a")]),
    (V("a", False, "active"), V("a", False, "active"), []),
])
def test_visibility_changes(before, after, expected):
    assert publication_rules.visibility_changes(before, after) == expected
