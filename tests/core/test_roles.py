# -*- coding: utf-8 -*-
"""Who is who (``core.roles``) on the real database: the host's validators,
the partner's publisher and producers, another partner's member and a
member of the public (the ``people`` fixture); what each may do to a
dataset of the partner, and the refusal each one reads."""
from __future__ import annotations

import pytest

import ckan.model as model
from ckan.tests import factories, helpers

from ckanext.partnership import model as pmodel
from ckanext.partnership.core import roles
from tests.factories import full_dataset
from tests.sql import queries

# The refusals are written in the page's language (French, the portal's).
pytestmark = pytest.mark.usefixtures("with_request_context")

VALIDATOR, PUBLISHER, PRODUCER = "validateur", "aix-publicateur", "aix-producteur"
OTHER, CITIZEN = "cd13-producteur", "citoyen"


def leave(user, organization):
    site_user = helpers.call_action("get_site_user")["name"]
    helpers.call_action("organization_member_delete", context={"user": site_user},
                        id=organization, username=user)


def end_the_publisher(people):
    """The agreement no longer names a publisher (the referent stays)."""
    shown = helpers.call_action("partnership_agreement_show", context={"user": VALIDATOR},
                                id=people["agreement"]["id"])
    contacts = [{k: c[k] for k in ("role", "name", "email", "since") if c.get(k)}
                for c in shown["contacts"] if c["role"] != "publisher"]
    helpers.call_action("partnership_agreement_patch", context={"user": VALIDATOR},
                        id=people["agreement"]["id"], contacts=contacts)


def autonomous(people):
    helpers.call_action("partnership_agreement_patch", context={"user": VALIDATOR},
                        id=people["agreement"]["id"], publication_mode="autonomous")


# -- validators, members ------------------------------------------------------

def test_validators_are_the_host_editors_and_the_sysadmins(people):
    sysadmin = factories.Sysadmin()
    assert roles.is_validator(VALIDATOR)
    assert roles.is_validator(sysadmin["name"])
    for user in (PUBLISHER, PRODUCER, OTHER, CITIZEN, "", None, "nobody-of-that-name"):
        assert not roles.is_validator(user), user


def test_a_validator_who_left_the_host_is_no_longer_one(people):
    leave(VALIDATOR, "region-sud")
    assert not roles.is_validator(VALIDATOR)
    assert not roles.may_publish(VALIDATOR, people["org"]["id"])


def test_a_host_member_without_editing_rights_is_not_a_validator(people):
    factories.User(name="stagiaire")
    helpers.call_action("organization_member_create", id="region-sud", username="stagiaire",
                        role="member")
    assert roles.is_member("stagiaire", helpers.call_action(
        "organization_show", id="region-sud")["id"])
    assert not roles.is_validator("stagiaire")


def test_without_a_host_organisation_only_sysadmins_validate(people, ckan_config, monkeypatch):
    sysadmin = factories.Sysadmin()
    monkeypatch.setitem(ckan_config, "ckanext.partnership.host_organization", "")
    assert roles.host_organization() is None
    assert not roles.is_validator(VALIDATOR)
    assert roles.is_validator(sysadmin["name"])


def test_members_of_the_partner_in_any_capacity(people):
    org, other = people["org"]["id"], people["other"]["id"]
    factories.User(name="lecteur")
    helpers.call_action("organization_member_create", id=org, username="lecteur",
                        role="member")
    for user in (PUBLISHER, PRODUCER, "lecteur"):
        assert roles.is_member(user, org), user
        assert not roles.is_member(user, other), user
    for user in (VALIDATOR, OTHER, CITIZEN, "", None, "nobody-of-that-name"):
        assert not roles.is_member(user, org), user
    assert roles.is_member(OTHER, other)


def test_a_deleted_membership_no_longer_counts(people):
    org = people["org"]["id"]
    assert roles.member_organization_ids(PRODUCER) == {org}
    leave(PRODUCER, org)
    assert not roles.is_member(PRODUCER, org)
    assert roles.member_organization_ids(PRODUCER) == set()


def test_member_organization_ids_in_one_query(people):
    host = helpers.call_action("organization_show", id="region-sud")["id"]
    helpers.call_action("organization_member_create", id=people["other"]["id"],
                        username=PUBLISHER, role="member")
    assert roles.member_organization_ids(VALIDATOR) == {host}
    assert roles.member_organization_ids(CITIZEN) == set()
    assert roles.member_organization_ids(None) == set()
    assert roles.member_organization_ids("nobody-of-that-name") == set()
    model.Session.expire_all()
    with queries() as sent:
        found = roles.member_organization_ids(PUBLISHER)
    assert found == {people["org"]["id"], people["other"]["id"]}
    assert len(sent) <= 2, sent  # the user, then the memberships


# -- what a user may read ---------------------------------------------------

@pytest.fixture
def datasets(people):
    """A private dataset of the partner and a public one of the other
    partner (no agreement: plain CKAN), each with a keyword of its own."""
    private = helpers.call_action(
        "package_create", context={"user": PRODUCER},
        **full_dataset(people["org"], name="jeu-prive", private=True,
                       tag_string="mot-secret,commun"))
    public = helpers.call_action(
        "package_create", context={"user": OTHER},
        **full_dataset(people["other"], name="jeu-public", private=False,
                       tag_string="mot-public,commun"))
    return private, public


def test_readable_package_ids_as_package_show_decides(people, datasets):
    private, public = datasets
    packages = [model.Package.get(private["id"]), model.Package.get(public["id"])]
    expected = {
        PRODUCER: {private["id"], public["id"]},
        PUBLISHER: {private["id"], public["id"]},
        VALIDATOR: {private["id"], public["id"]},  # validators read private datasets
        OTHER: {public["id"]},
        CITIZEN: {public["id"]},
        None: {public["id"]},
    }
    for user, ids in expected.items():
        assert roles.readable_package_ids(user, packages) == ids, user
        for package in packages:  # what CKAN itself decides
            context = {"user": user or "", "ignore_auth": False}
            if package.id in ids:
                helpers.call_action("package_show", context=context, id=package.id)
            else:
                with pytest.raises(helpers.logic.NotAuthorized):
                    helpers.call_action("package_show", context=context, id=package.id)
    assert roles.readable_package_ids(PRODUCER, []) == set()


def test_readable_package_ids_reads_the_user_once_for_the_whole_list(people, datasets):
    more = [helpers.call_action(
        "package_create", context={"user": PRODUCER},
        **full_dataset(people["org"], name=f"jeu-prive-{i}", private=True))
        for i in range(4)]
    model.Session.expire_all()
    ids = [datasets[0]["id"]] + [p["id"] for p in more]
    five = model.Session.query(model.Package).filter(model.Package.id.in_(ids)).all()
    one = [p for p in five if p.id == datasets[0]["id"]]
    roles.readable_package_ids(OTHER, one)  # warm the caches of the labels
    with queries() as few:
        assert roles.readable_package_ids(OTHER, one) == set()
    with queries() as many:
        assert roles.readable_package_ids(OTHER, five) == set()
    assert len(many) == len(few), many


def test_a_private_datasets_keywords_are_as_private_as_its_title(people, datasets):
    names = {"mot-secret", "mot-public", "commun", "absent"}
    assert roles.readable_tags(PRODUCER, names) == {"mot-secret", "mot-public", "commun"}
    for user in (OTHER, CITIZEN, None):
        assert roles.readable_tags(user, names) == {"mot-public", "commun"}, user
    assert roles.readable_tags(PRODUCER, []) == set()


def test_a_deleted_datasets_keywords_are_no_longer_readable(people, datasets):
    helpers.call_action("package_delete", context={"user": OTHER}, id=datasets[1]["id"])
    assert roles.readable_tags(CITIZEN, {"mot-public", "commun"}) == set()
    assert roles.readable_tags(PRODUCER, {"mot-public", "commun"}) == {"commun"}


def test_readable_tags_in_one_query(people, datasets):
    model.Session.expire_all()
    roles.readable_tags(PRODUCER, {"commun"})
    with queries() as sent:
        found = roles.readable_tags(PRODUCER, {"mot-secret", "mot-public", "commun"})
    assert found == {"mot-secret", "mot-public", "commun"}
    assert len(sent) <= 3, sent  # the user, their organisations, the tags


# -- the publisher ----------------------------------------------------------

def test_the_publisher_is_the_one_the_agreement_names(people):
    """The publisher is the one person the agreement in force names, and only for that
    partner (000 §9.1.2)."""
    org, other = people["org"]["id"], people["other"]["id"]
    agreement = pmodel.agreement_in_force(org)
    assert roles.publisher_of(agreement).name == PUBLISHER
    assert roles.is_publisher(PUBLISHER, org)
    assert not roles.is_publisher(PUBLISHER, other)  # no agreement there
    for user in (PRODUCER, VALIDATOR, OTHER, CITIZEN, "", None):
        assert not roles.is_publisher(user, org), user


def test_a_publisher_who_left_the_organisation_no_longer_publishes(people):
    """A publisher who left the partner organisation can no longer publish, and the refusal
    still names them as the agreement's publisher (000 §9.1.2)."""
    org = people["org"]["id"]
    leave(PUBLISHER, org)
    assert roles.publisher_of(pmodel.agreement_in_force(org)).name == PUBLISHER
    assert not roles.is_publisher(PUBLISHER, org)
    assert not roles.may_publish(PUBLISHER, org)
    assert roles.publish_refusal(PUBLISHER, org) == (
        "Seul le publicateur de Ville d'Aix-en-Provence, Paul Publicateur, peut publier "
        "ou retirer ses jeux de données (ainsi que les validateurs de l'hôte).")


def test_an_ended_publisher_is_no_longer_named(people):
    org = people["org"]["id"]
    end_the_publisher(people)
    assert roles.publisher_of(pmodel.agreement_in_force(org)) is None
    assert not roles.is_publisher(PUBLISHER, org)
    expected = ("La convention de Ville d'Aix-en-Provence ne désigne pas de publicateur : "
                "seuls les validateurs de l'hôte peuvent publier ou retirer ses jeux de "
                "données.")
    assert roles.publish_refusal(PRODUCER, org) == expected
    assert roles.publish_refusal(PUBLISHER, org) == expected
    assert roles.publish_refusal(VALIDATOR, org) is None


def test_who_may_publish(people):
    org, other = people["org"]["id"], people["other"]["id"]
    assert roles.may_publish(VALIDATOR, org)
    assert roles.may_publish(PUBLISHER, org)
    for user in (PRODUCER, OTHER, CITIZEN, "", None):
        assert not roles.may_publish(user, org), user
    assert roles.may_publish(VALIDATOR, other)  # validators, anywhere
    assert not roles.may_publish(OTHER, other)  # no agreement: no publisher


# -- the refusals -----------------------------------------------------------

ONLY_THE_PUBLISHER = (
    "Seul le publicateur de Ville d'Aix-en-Provence, Paul Publicateur, peut publier ou "
    "retirer ses jeux de données (ainsi que les validateurs de l'hôte).")


def test_publish_refusal_under_a_validated_agreement(people):
    org = people["org"]["id"]
    assert roles.publish_refusal(VALIDATOR, org) is None
    assert roles.publish_refusal(PUBLISHER, org) == (
        "Les jeux de données de Ville d'Aix-en-Provence sont publiés après validation par "
        "l'hôte : soumettez ce jeu de données pour publication depuis sa page.")
    for user in (PRODUCER, OTHER, CITIZEN, None):
        assert roles.publish_refusal(user, org) == ONLY_THE_PUBLISHER, user


def test_publish_refusal_under_an_autonomous_agreement(people):
    """Under an autonomous agreement the publisher publishes without the host's validation,
    and a producer is still told only the publisher may (002 art. 1, 3)."""
    org = people["org"]["id"]
    autonomous(people)
    assert roles.publish_refusal(PUBLISHER, org) is None
    assert roles.publish_refusal(VALIDATOR, org) is None
    assert roles.publish_refusal(PRODUCER, org) == ONLY_THE_PUBLISHER


def test_without_an_agreement_ckan_decides(people):
    other = people["other"]["id"]
    for user in (VALIDATOR, PUBLISHER, PRODUCER, OTHER, CITIZEN, None):
        for change in ("publish", "withdraw", "delete", "leave"):
            assert roles.change_refusal(change, user, other) is None, (user, change)
    helpers.call_action("partnership_agreement_patch", context={"user": VALIDATOR},
                        id=people["agreement"]["id"], state="ended")
    assert roles.publish_refusal(PRODUCER, people["org"]["id"]) is None


def test_withdraw_refusal(people):
    org = people["org"]["id"]
    assert roles.withdraw_refusal(VALIDATOR, org) is None
    assert roles.withdraw_refusal(PUBLISHER, org) == (
        "Retirez ce jeu de données avec « Retirer » sur sa page, en donnant un motif : "
        "l'hôte en est informé.")
    autonomous(people)  # even an autonomous publisher withdraws from the page
    assert roles.withdraw_refusal(PUBLISHER, org).startswith("Retirez ce jeu de données")
    for user in (PRODUCER, OTHER, CITIZEN, None):
        assert roles.withdraw_refusal(user, org) == ONLY_THE_PUBLISHER, user


def test_delete_refusal(people):
    org = people["org"]["id"]
    assert roles.delete_refusal(VALIDATOR, org) is None
    assert roles.delete_refusal(PUBLISHER, org) is None
    for user in (PRODUCER, OTHER, CITIZEN, None):
        assert roles.delete_refusal(user, org) == ONLY_THE_PUBLISHER, user


def test_leave_refusal(people):
    org = people["org"]["id"]
    assert roles.leave_refusal(VALIDATOR, org) is None
    expected = ("Un jeu de données de Ville d'Aix-en-Provence ne change d'organisation que "
                "par les validateurs de l'hôte : adressez-vous à eux.")
    for user in (PUBLISHER, PRODUCER, OTHER, CITIZEN, None):
        assert roles.leave_refusal(user, org) == expected, user


def test_change_refusal_is_the_rule_of_each_change(people):
    org = people["org"]["id"]
    rules = {"publish": roles.publish_refusal, "withdraw": roles.withdraw_refusal,
             "delete": roles.delete_refusal, "leave": roles.leave_refusal}
    for change, rule in rules.items():
        for user in (VALIDATOR, PUBLISHER, PRODUCER, CITIZEN):
            assert roles.change_refusal(change, user, org) == rule(user, org), (change, user)
    with pytest.raises(KeyError):
        roles.change_refusal("rename", PRODUCER, org)


def test_the_refusal_is_in_english_on_an_english_page(people, app):
    org = people["org"]["id"]
    with app.flask_app.test_request_context("/", environ_overrides={"CKAN_LANG": "en"}):
        assert roles.publish_refusal(PRODUCER, org) == (
            "Only the publisher of Ville d'Aix-en-Provence, Paul Publicateur, can publish "
            "or withdraw its datasets (and the host's validators).")


# -- who receives the mail --------------------------------------------------

def names(users):
    return sorted(u.name for u in users)


def test_validators_are_the_host_editors_and_admins(people):
    factories.User(name="chef")
    factories.User(name="stagiaire")
    helpers.call_action("organization_member_create", id="region-sud", username="chef",
                        role="admin")
    helpers.call_action("organization_member_create", id="region-sud", username="stagiaire",
                        role="member")
    found = names(roles.validators())
    assert "validateur" in found and "chef" in found
    assert "stagiaire" not in found
    assert not {PUBLISHER, PRODUCER, OTHER, CITIZEN} & set(found)


def test_a_deleted_validator_receives_nothing(people):
    helpers.call_action("user_delete", id=VALIDATOR)
    assert VALIDATOR not in names(roles.validators())


def test_without_host_editors_the_sysadmins_receive_the_mail(people, ckan_config, monkeypatch):
    sysadmin = factories.Sysadmin()
    leave(VALIDATOR, "region-sud")
    for account in model.Session.query(model.Member).filter(
            model.Member.table_name == "user", model.Member.state == "active",
            model.Member.group_id == roles.host_organization().id):
        account.state = "deleted"  # the host has no editor or admin left
    model.Session.commit()
    assert sysadmin["name"] in names(roles.validators())
    assert VALIDATOR not in names(roles.validators())
    assert sysadmin["name"] in names(roles.host_admins())
    monkeypatch.setitem(ckan_config, "ckanext.partnership.host_organization", "")
    assert sysadmin["name"] in names(roles.validators())
    assert all(u.sysadmin for u in roles.validators())


def test_host_admins_are_the_host_admins_not_its_editors(people):
    factories.User(name="chef")
    helpers.call_action("organization_member_create", id="region-sud", username="chef",
                        role="admin")
    found = names(roles.host_admins())
    assert "chef" in found
    assert VALIDATOR not in found  # an editor: a validator, not an admin
