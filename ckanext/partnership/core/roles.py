# -*- coding: utf-8 -*-
"""Who is who (shared API, "Who is who"): one place for the role rules."""
from __future__ import annotations

import datetime as dt
from typing import Any, Iterable, Optional

from sqlalchemy import or_

import ckan.authz as authz
import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import get_permission_labels

from ckanext.partnership import model as pmodel


#: The permission label of the datasets validators read besides public ones:
#: every private dataset (package_search, activity streams).
VALIDATORS_LABEL = "partnership-validators"


def host_organization() -> Optional[model.Group]:
    name = tk.config.get("ckanext.partnership.host_organization")
    return model.Group.get(name) if name else None


def is_validator(user_name: Optional[str]) -> bool:
    """A sysadmin, or an editor or admin of the host's organisation."""
    if not user_name:
        return False
    if authz.is_sysadmin(user_name):
        return True
    host = host_organization()
    return bool(host) and authz.has_user_permission_for_group_or_org(
        host.id, user_name, "update_dataset"
    )


def dataset_labels(labels: list[str]) -> list[str]:
    """The permission labels of a dataset: a private one is also readable by
    the validators (package_search, activity streams)."""
    return labels if "public" in labels else labels + [VALIDATORS_LABEL]


def user_labels(labels: list[str], user: Optional[model.User]) -> list[str]:
    """The permission labels of a user: a validator's include the label of
    every private dataset."""
    if user and not user.is_anonymous and is_validator(user.name):
        return labels + [VALIDATORS_LABEL]
    return labels


def is_member(user_name: Optional[str], organization_id: str) -> bool:
    """Any member (member, editor, admin) of the organisation."""
    if not user_name:
        return False
    user = model.User.get(user_name)
    if not user:
        return False
    return bool(
        model.Session.query(model.Member)
        .filter(model.Member.group_id == organization_id)
        .filter(model.Member.table_name == "user")
        .filter(model.Member.table_id == user.id)
        .filter(model.Member.state == "active")
        .count()
    )


def reads_partner_details(user_name: Optional[str], organization_id: str) -> bool:
    """The details of a partner's use of the portal (its quotas): to its
    members and to the host's validators."""
    return is_validator(user_name) or is_member(user_name, organization_id)


def member_organization_ids(user_name: Optional[str]) -> set[str]:
    """The organisations the user is a member of (any capacity), as
    :func:`is_member` reads them, in one query."""
    if not user_name:
        return set()
    user = model.User.get(user_name)
    if not user:
        return set()
    return {group_id for (group_id,) in
            model.Session.query(model.Member.group_id)
            .filter(model.Member.table_name == "user")
            .filter(model.Member.table_id == user.id)
            .filter(model.Member.state == "active")}


def readable_package_ids(user_name: Optional[str],
                         packages: Iterable[model.Package]) -> set[str]:
    """The ids of those datasets the user may read, as CKAN's ``package_show``
    authorisation decides (the permission labels of the dataset against the
    user's): the user's labels are read once for the whole list."""
    packages = list(packages)
    if not packages:
        return set()
    labels = get_permission_labels()
    user = model.User.get(user_name) if user_name else None
    mine = set(labels.get_user_dataset_labels(user))
    return {p.id for p in packages if mine.intersection(labels.get_dataset_labels(p))}


def readable_tags(user_name: Optional[str], names: Iterable[str]) -> set[str]:
    """Those of the free tags ``names`` that a dataset the user may read
    carries (a published one, or a private one of the user's
    organisations), in one query: a private dataset's keywords are as
    private as its title."""
    names = set(names)
    if not names:
        return set()
    query = (model.Session.query(model.Tag.name).distinct()
             .join(model.PackageTag, model.PackageTag.tag_id == model.Tag.id)
             .join(model.Package, model.Package.id == model.PackageTag.package_id)
             .filter(model.Tag.name.in_(names), model.Tag.vocabulary_id.is_(None))
             .filter(model.PackageTag.state == "active", model.Package.state == "active"))
    mine = member_organization_ids(user_name)
    visible = model.Package.private == False  # noqa: E712
    if mine:
        visible = or_(visible, model.Package.owner_org.in_(mine))
    return {name for (name,) in query.filter(visible)}


def publisher_of(agreement: Any) -> Optional[model.User]:
    """The publisher the agreement names today (000 §9.1.2: one)."""
    contact = publisher_contact(agreement, dt.date.today())
    return model.User.get(contact.user_id) if contact is not None else None


def is_publisher(user_name: Optional[str], organization_id: Optional[str]) -> bool:
    """Whether the user is the publisher named in the organisation's
    agreement in force (and still a member of the organisation)."""
    agreement = pmodel.agreement_in_force(organization_id)
    if agreement is None or not user_name:
        return False
    publisher = publisher_of(agreement)
    return bool(publisher and publisher.name == user_name
                and is_member(user_name, organization_id or ""))


def partner_name(organization_id: Optional[str]) -> str:
    """A partner as people read it: its organisation's title, else its name
    (its id or name given); "" for no organisation. One query."""
    if not organization_id:
        return ""
    found = (model.Session.query(model.Group.title, model.Group.name)
             .filter(or_(model.Group.id == organization_id,
                         model.Group.name == organization_id))
             .order_by((model.Group.id == organization_id).desc()).first())
    return (found.title or found.name) if found else ""


def _only_publisher(agreement: Any, organization_id: Optional[str]) -> str:
    publisher = publisher_of(agreement)
    partner = partner_name(organization_id)
    if publisher is None:
        return tk._(
            "The agreement of {partner} names no publisher: only the host's validators "
            "can publish or withdraw its datasets."
        ).format(partner=partner)
    return tk._(
        "Only the publisher of {partner}, {publisher}, can publish or withdraw its "
        "datasets (and the host's validators)."
    ).format(partner=partner, publisher=publisher.fullname or publisher.name)


def publish_refusal(user_name: Optional[str], organization_id: Optional[str]) -> Optional[str]:
    """Why the user may not make a dataset of the organisation public by a
    direct save; None when they may.

    Without an agreement in force the organisation is plain CKAN: CKAN's
    own permissions decide. Under an agreement, the host's validators may,
    and in ``autonomous`` mode the partner's publisher; in ``validated``
    mode the publisher submits the dataset instead.
    """
    agreement = pmodel.agreement_in_force(organization_id)
    if agreement is None or is_validator(user_name):
        return None
    if is_publisher(user_name, organization_id):
        if agreement.publication_mode == "autonomous":
            return None
        return tk._(
            "The datasets of {partner} are published after validation by the host: "
            "submit this dataset for publication from its page."
        ).format(partner=partner_name(organization_id))
    return _only_publisher(agreement, organization_id)


def withdraw_refusal(user_name: Optional[str], organization_id: Optional[str]) -> Optional[str]:
    """Why the user may not make a published dataset of the organisation
    private (or move it out) by a direct save; None when they may. Under an
    agreement only validators do; the publisher withdraws from the dataset's
    page, so that the host is told (000 §9.4)."""
    agreement = pmodel.agreement_in_force(organization_id)
    if agreement is None or is_validator(user_name):
        return None
    if is_publisher(user_name, organization_id):
        return tk._(
            "Withdraw this dataset with « Withdraw » on its page, giving a reason: the "
            "host is told."
        )
    return _only_publisher(agreement, organization_id)


def delete_refusal(user_name: Optional[str], organization_id: Optional[str]) -> Optional[str]:
    """Why the user may not delete a published dataset of the organisation;
    None when they may. Deleting withdraws it: under an agreement, the
    publisher's and the validators' only, and the other side is told
    (000 §9.4)."""
    agreement = pmodel.agreement_in_force(organization_id)
    if agreement is None or is_validator(user_name) or is_publisher(user_name, organization_id):
        return None
    return _only_publisher(agreement, organization_id)


def leave_refusal(user_name: Optional[str], organization_id: Optional[str]) -> Optional[str]:
    """Why the user may not move a dataset out of the organisation; None
    when they may. Under an agreement a dataset leaves its partner only
    through the host's validators: moved out, it would be published (or
    withdrawn) outside the agreement."""
    agreement = pmodel.agreement_in_force(organization_id)
    if agreement is None or is_validator(user_name):
        return None
    return tk._(
        "A dataset of {partner} moves to another organisation only through the host's "
        "validators: ask them."
    ).format(partner=partner_name(organization_id))


#: The rule of each change of visibility (see publication.visibility_changes).
CHANGE_RULES = {
    "publish": publish_refusal,
    "withdraw": withdraw_refusal,
    "delete": delete_refusal,
    "leave": leave_refusal,
}


def change_refusal(change: str, user_name: Optional[str],
                   organization_id: Optional[str]) -> Optional[str]:
    """Why the user may not make this change of visibility; None when they
    may."""
    return CHANGE_RULES[change](user_name, organization_id)


def may_publish(user_name: Optional[str], organization_id: Optional[str]) -> bool:
    """The publisher of the organisation's agreement in force, or a validator."""
    return is_validator(user_name) or is_publisher(user_name, organization_id)


def _members(organization_id: str, capacities: tuple[str, ...]) -> list[model.User]:
    return (model.Session.query(model.User)
            .join(model.Member, model.Member.table_id == model.User.id)
            .filter(model.Member.group_id == organization_id)
            .filter(model.Member.table_name == "user")
            .filter(model.Member.state == "active")
            .filter(model.Member.capacity.in_(capacities))
            .filter(model.User.state == "active").all())


def validators() -> list[model.User]:
    """The host's validators who receive the queue's mail: editors and
    admins of the host organisation (the sysadmins when there is none)."""
    host = host_organization()
    if host is not None:
        people = _members(host.id, ("editor", "admin"))
        if people:
            return people
    return model.Session.query(model.User).filter(
        model.User.sysadmin == True, model.User.state == "active").all()  # noqa: E712


def host_admins() -> list[model.User]:
    """Who a missed deadline is escalated to: the host organisation's
    admins (the sysadmins when there are none)."""
    host = host_organization()
    if host is not None:
        people = _members(host.id, ("admin",))
        if people:
            return people
    return model.Session.query(model.User).filter(
        model.User.sysadmin == True, model.User.state == "active").all()  # noqa: E712


def publisher_contact(agreement: Any, today: dt.date) -> Any:
    """The agreement's contact line that names its publisher on ``today``
    (the contacts already loaded: no query of its own), or None."""
    for contact in agreement.contacts:
        if (contact.role == "publisher" and contact.user_id
                and contact.since <= today and (contact.until is None or contact.until > today)):
            return contact
    return None
