# -*- coding: utf-8 -*-
"""The visibility guard: who may make a dataset public, private, deleted
or move it, decided on what CKAN stores (never on how the input was
spelled), and "complete before public", the one rule of what a public
dataset carries, whatever the path (a save, a bulk action, a submission).
"""
from __future__ import annotations

import contextlib
import contextvars
import copy
from typing import Any, Iterator, Mapping, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.types import Context, DataDict

from ckanext.partnership import model as pmodel
from ckanext.partnership.core import roles
from ckanext.partnership.domain import metadata_rules, publication_rules

from .activities import add_activity
from .mails import mail_removed
from .texts import required_to_publish

#: Context key: this save publishes the dataset (set before, read after it).
PUBLISHING = "partnership_publishing"
#: Context key: the save is a step of a request, recorded by its action.
BY_REQUEST = "partnership_by_request"
#: Context key: the visibility of each dataset before the save, by id.
BEFORE = "partnership_before"
#: Context key of the guards' own package_show: what harvesters and people
#: read besides what CKAN stores (the notices, the checks' status) is not
#: added to it.
STORED_READ = "partnership_stored_read"
#: The datasets read back during the save under way, by id (see
#: :func:`one_read_per_save`).
_READS: contextvars.ContextVar[Optional[dict[str, dict[str, Any]]]] = \
    contextvars.ContextVar("partnership_stored_reads", default=None)

#: The form field a refused change is reported under.
_FIELD = {publication_rules.PUBLISH: "private", publication_rules.WITHDRAW: "private",
          publication_rules.DELETE: "state", publication_rules.LEAVE: "owner_org"}


# -- what CKAN will store ----------------------------------------------------

def stored_private(value: Any, current: bool) -> bool:
    """What CKAN will store for a ``private`` input (its own validators:
    ``ignore_missing``, then ``boolean_validator``)."""
    from ckan.logic.validators import boolean_validator

    if value is None:
        return current
    return bool(boolean_validator(value, {}))  # type: ignore[arg-type]


def stored_owner_org(value: Any, current: Optional[str]) -> Optional[str]:
    """What CKAN will store for an ``owner_org`` input
    (``owner_org_validator``: absent or null keeps it, ``""`` clears it, a
    name or id is resolved; an unknown one is refused by CKAN)."""
    if value is None:
        return current
    if value == "":
        return None
    group = model.Group.get(str(value))
    return group.id if group is not None else current


def stored_dataset(package_id: str) -> dict[str, Any]:
    """The dataset as CKAN stores it now (in this transaction), read back
    through package_show; read once per save (:func:`one_read_per_save`)
    whichever guards ask it, each given its own copy."""
    reads = _READS.get()
    if reads is not None and package_id in reads:
        return copy.deepcopy(reads[package_id])
    dataset = tk.get_action("package_show")(
        {"ignore_auth": True, "use_cache": False, "for_view": False,  # type: ignore[typeddict-item]
         STORED_READ: True},
        {"id": package_id})
    if reads is not None:
        reads[package_id] = copy.deepcopy(dataset)
    return dataset


@contextlib.contextmanager
def one_read_per_save() -> Iterator[None]:
    """While the block runs (the after-save hooks of one save, which do not
    change the dataset itself), :func:`stored_dataset` reads each dataset
    from the database once. A save nested in the block (another dataset's,
    a step of a request) has its own reads."""
    token = _READS.set({})
    try:
        yield
    finally:
        _READS.reset(token)


def visibility_of(package: model.Package) -> publication_rules.Visibility:
    return publication_rules.Visibility(package.owner_org, bool(package.private),
                                        package.state or "active")


# -- complete before public ----------------------------------------------------

def missing_to_publish(dataset: Mapping[str, Any]) -> list[str]:
    """Complete before public, the rule: the required fields a dataset
    lacks to be public, read on the dataset as package_show returns it
    (what CKAN stores, not the input), in the form's order. Every path
    that makes a dataset public asks it: a save, a bulk action, the
    checks of a submission."""
    return metadata_rules.missing_fields(dataset)


def publication_errors(missing: list[str]) -> dict[str, Any]:
    """The errors of a dataset that cannot be public, shaped as CKAN's
    forms show them: the one message under each missing field, keywords
    under the form's field (tag_string), the coverage under the name of its
    first place."""
    message = required_to_publish()
    errors: dict[str, Any] = {}
    for field in missing:
        if field == "tags":
            errors["tag_string"] = [message]
        elif field == "spatial_coverage":
            errors[field] = [{"text": [message]}]
        else:
            errors[field] = [message]
    return errors


def check_publishable(pkg_dict: dict[str, Any]) -> None:
    """After a save, before its commit: a public dataset carries every
    required field; otherwise nothing is saved and the error names each
    missing field."""
    stored = model.Package.get(pkg_dict["id"])
    if stored is None or stored.private:
        return
    dataset = stored_dataset(pkg_dict["id"])
    if dataset.get("private"):
        return
    missing = missing_to_publish(dataset)
    if missing:
        model.Session.rollback()
        raise tk.ValidationError(publication_errors(missing))


# -- who may change visibility ----------------------------------------------

def refusal(user: Optional[str], before: Optional[publication_rules.Visibility],
            after: publication_rules.Visibility) -> Optional[tuple[str, str]]:
    """``(field, message)`` when the user may not go from ``before`` to
    ``after`` (see :func:`publication_rules.visibility_changes` and
    :func:`roles.change_refusal`); None when they may."""
    for change, org_id in publication_rules.visibility_changes(before, after):
        message = roles.change_refusal(change, user, org_id)
        if message:
            return _FIELD[change], message
    return None


def guard_move(context: Context, data_dict: DataDict, package: Optional[model.Package]) -> None:
    """Before a save that moves a dataset to another organisation: CKAN
    commits a move in the middle of ``package_update`` (the old membership
    is saved), before any after-save hook could roll it back, so a move is
    judged beforehand, by the same rule, on what CKAN's validators will
    store."""
    if package is None or context.get(BY_REQUEST):
        return
    new_org = stored_owner_org(data_dict.get("owner_org"), package.owner_org)
    if new_org == package.owner_org:
        return
    before = visibility_of(package)
    after = publication_rules.Visibility(
        new_org, stored_private(data_dict.get("private"), before.private),
        str(data_dict.get("state") or before.state))
    refused = refusal(context.get("user"), before, after)
    if refused:
        raise tk.ValidationError({refused[0]: [refused[1]]})


def remember(context: Context, package: Optional[model.Package]) -> None:
    """Before a save: how the dataset is seen now."""
    if package is not None:
        context.setdefault(BEFORE, {})[package.id] = visibility_of(package)  # type: ignore


def guard_stored(context: Context, package_id: str) -> None:
    """After a save, before its commit: refuse (roll back) a change of
    visibility or ownership the user may not make, decided on the dataset
    as CKAN stores it, whatever the path and the spelling of the input.
    Marks the context when the save publishes the dataset under an
    agreement, and records (and tells) a withdrawal made by a direct
    save."""
    package = model.Package.get(package_id)
    if package is None:
        return
    before = (context.get(BEFORE) or {}).pop(package.id, None)  # type: ignore[attr-defined]
    after = visibility_of(package)
    changes = publication_rules.visibility_changes(before, after)
    if context.get(BY_REQUEST):
        return
    refused = refusal(context.get("user"), before, after)
    if refused:
        model.Session.rollback()
        raise tk.ValidationError({refused[0]: [refused[1]]})
    context[PUBLISHING] = any(  # type: ignore[literal-required]
        change == publication_rules.PUBLISH and pmodel.agreement_in_force(org_id)
        for change, org_id in changes)
    for change, org_id in changes:
        if change in (publication_rules.WITHDRAW, publication_rules.DELETE) or (
                change == publication_rules.LEAVE and before is not None and before.public):
            record_removal(package, org_id, context.get("user") or "",
                           deleted=change == publication_rules.DELETE)


def record_removal(package: model.Package, org_id: Optional[str], user_name: str,
                   deleted: bool = False) -> None:
    """A public partner dataset made private, moved out or deleted by a
    direct save or a deletion: in its activity stream, and the other side
    told, as with ``partnership_dataset_unpublish`` (000 §9.4). Added to
    the session; the caller commits."""
    if pmodel.agreement_in_force(org_id) is None:
        return
    by_validator = roles.is_validator(user_name)
    event = "deleted" if deleted else ("unpublished" if by_validator else "withdrawn")
    add_activity(package, user_name, event, reason="other")
    mail_removed(package, by_validator, user_name, "other", "", deleted=deleted,
                 organization_id=org_id)


def default_private(data_dict: DataDict) -> None:
    """A new dataset of a partner under agreement is private unless asked
    otherwise: producers create, the publisher publishes."""
    if data_dict.get("private") is None and pmodel.agreement_in_force(
            stored_owner_org(data_dict.get("owner_org"), None)):
        data_dict["private"] = True


# -- deletion ------------------------------------------------------------------

def deleting(context: Context, package_id: str) -> None:
    """While a dataset is being deleted (its deletion already authorised
    by the same rule, see ``logic.auth.package_delete``): a public partner
    dataset's deletion is a withdrawal, recorded and told."""
    package = model.Package.get(package_id)
    if package is None or not visibility_of(package).public:
        return
    record_removal(package, package.owner_org, context.get("user") or "", deleted=True)


def deletion_refusal(user: Optional[str], package: model.Package) -> Optional[str]:
    """Why the user may not delete the dataset; None when they may."""
    refused = refusal(user, visibility_of(package),
                      visibility_of(package)._replace(state="deleted"))
    return refused[1] if refused else None


def move_refusal(user: Optional[str], package: model.Package,
                 organization_id: Optional[str]) -> Optional[str]:
    """Why the user may not move the dataset to ``organization_id`` (None
    for no organisation); None when they may."""
    refused = refusal(user, visibility_of(package),
                      visibility_of(package)._replace(org=organization_id))
    return refused[1] if refused else None
