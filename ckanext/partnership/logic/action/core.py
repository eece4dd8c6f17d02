# -*- coding: utf-8 -*-
"""The core CKAN actions the extension chains: visibility and completeness
on create, update and the bulk actions; private datasets hidden from the
tag and member lists."""
from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.types import Action, Context, DataDict

from ckanext.partnership import metadata, publication
from ckanext.partnership import model as pmodel
from ckanext.partnership.core import compat, roles
from ckanext.partnership.domain import metadata_rules


def _strip_computed(data_dict: DataDict) -> None:
    """Drop what the portal computes on output (the notices, the extras it
    mirrors for harvesters) so that a dataset read with package_show can be
    sent back as it is."""
    for key in metadata_rules.COMPUTED_KEYS:
        data_dict.pop(key, None)
    for resource in data_dict.get("resources") or []:
        if isinstance(resource, dict):
            for key in metadata_rules.RESOURCE_COMPUTED_KEYS:
                resource.pop(key, None)
    extras = data_dict.get("extras")
    if isinstance(extras, list):
        data_dict["extras"] = [
            e for e in extras
            if not (isinstance(e, dict) and e.get("key") in metadata_rules.MIRRORED_EXTRAS)
        ]


def _set_publication_date(data_dict: DataDict, pkg: model.Package | None) -> None:
    """``issued`` is the portal's to set: the day the dataset first goes
    public. Whatever a client sends is replaced by the recorded date."""
    issued = pkg.extras.get("issued") if pkg else None
    private = publication.stored_private(data_dict.get("private"), pkg.private if pkg else False)
    if not issued and not private:
        issued = dt.date.today().isoformat()
    if issued:
        data_dict["issued"] = issued
    else:
        data_dict.pop("issued", None)


@tk.chained_action
def package_create(up_func: Action, context: Context, data_dict: DataDict):
    _strip_computed(data_dict)
    metadata.prepare_data_dictionary(data_dict)
    publication.default_private(data_dict)
    _set_publication_date(data_dict, None)
    return up_func(context, data_dict)


@tk.chained_action
def package_update(up_func: Action, context: Context, data_dict: DataDict):
    _strip_computed(data_dict)
    metadata.prepare_data_dictionary(data_dict)
    pkg = model.Package.get(data_dict.get("id") or data_dict.get("name") or "")
    publication.guard_move(context, data_dict, pkg)
    publication.remember(context, pkg)  # the guard compares it with what is stored
    _set_publication_date(data_dict, pkg)
    metadata.apply_update_modified(context, data_dict)
    return up_func(context, data_dict)


@tk.chained_action
def resource_create(up_func: Action, context: Context, data_dict: DataDict):
    """A new file, with ``update_modified``: the dataset's ``modified``
    becomes today (``metadata.modified``)."""
    if metadata.update_modified_requested(data_dict) and metadata.file_changed(None, data_dict):
        metadata.mark_update_modified(context)
    return up_func(context, data_dict)


@tk.chained_action
def resource_update(up_func: Action, context: Context, data_dict: DataDict):
    """Another file, with ``update_modified``: the dataset's ``modified``
    becomes today; a change of name or description leaves it."""
    requested = metadata.update_modified_requested(data_dict)
    stored = model.Resource.get(str(data_dict.get("id") or ""))
    if requested and stored is not None and metadata.file_changed(stored, data_dict):
        metadata.mark_update_modified(context)
    return up_func(context, data_dict)


@tk.chained_action
def bulk_update_public(up_func: Action, context: Context, data_dict: DataDict):
    """Making datasets public in bulk publishes only complete ones: the
    rule of a save, each incomplete dataset named with what it lacks."""
    errors = {}
    for dataset_id in data_dict.get("datasets") or []:
        dataset = publication.stored_dataset(dataset_id)
        missing = publication.missing_to_publish(dataset)
        if missing:
            errors[dataset["name"]] = [publication.required_to_publish(missing)]
    if errors:
        raise tk.ValidationError(errors)
    result = up_func(context, data_dict)
    for dataset_id in data_dict.get("datasets") or []:
        pkg = model.Package.get(dataset_id)
        if pkg and not pkg.extras.get("issued"):
            tk.get_action("package_patch")(
                {"ignore_auth": True, "user": context.get("user")},
                {"id": pkg.id, "issued": dt.date.today().isoformat()},
            )
    return result


def _bulk_withdrawn(context: Context, data_dict: DataDict, deleted: bool) -> None:
    """The public partner datasets a bulk action makes private or deletes:
    recorded and told before CKAN's own commit, so both land together.
    Where CKAN saves each dataset of a bulk action, the save records it."""
    ids = [str(i) for i in data_dict.get("datasets") or []]
    org_id = data_dict.get("org_id")
    if compat.bulk_actions_save_each_dataset():
        return
    if not ids or not org_id or pmodel.agreement_in_force(org_id) is None:
        return
    for package in (model.Session.query(model.Package).filter(model.Package.id.in_(ids))
                    .filter(model.Package.owner_org == org_id)
                    .filter(model.Package.private == False)  # noqa: E712
                    .filter(model.Package.state == "active")):
        publication.record_removal(package, org_id, context.get("user") or "", deleted=deleted)


def _bulk_withdrawing(action: str, up_func: Action, context: Context, data_dict: DataDict):
    tk.check_access(action, context, data_dict)
    try:
        _bulk_withdrawn(context, data_dict, deleted=action == "bulk_update_delete")
        return up_func(context, data_dict)
    except Exception:
        model.Session.rollback()
        raise


@tk.chained_action
def bulk_update_private(up_func: Action, context: Context, data_dict: DataDict):
    return _bulk_withdrawing("bulk_update_private", up_func, context, data_dict)


@tk.chained_action
def bulk_update_delete(up_func: Action, context: Context, data_dict: DataDict):
    return _bulk_withdrawing("bulk_update_delete", up_func, context, data_dict)


@tk.chained_action
def dataset_purge(up_func: Action, context: Context, data_dict: DataDict):
    """Purging a public partner dataset (sysadmins only): the partner is
    told, as for a deletion."""
    package = model.Package.get(str(data_dict.get("id") or ""))
    public = package is not None and publication.visibility_of(package).public
    if public and package is not None:
        tk.check_access("dataset_purge", context, data_dict)
        publication.mail_removed(package, True, context.get("user") or "", "other", "",
                              deleted=True)
    return up_func(context, data_dict)


# The keywords of private datasets: core lists every free tag of every
# dataset; the host's validators read them all, anyone else those of the
# datasets they may read.

def _keeps_all_tags(context: Context, data_dict: DataDict) -> bool:
    return bool(data_dict.get("vocabulary_id")) or roles.is_validator(context.get("user"))


def _tag_name(tag: Any) -> str:
    return tag["name"] if isinstance(tag, dict) else tag


def _readable(context: Context, data_dict: DataDict, tags: list[Any]) -> list[Any]:
    """The tags (names or dicts) the reader may see, in one query."""
    if _keeps_all_tags(context, data_dict):
        return tags
    readable = roles.readable_tags(context.get("user"), [_tag_name(t) for t in tags])
    return [t for t in tags if _tag_name(t) in readable]


@tk.chained_action
@tk.side_effect_free
def tag_list(up_func: Action, context: Context, data_dict: DataDict):
    return _readable(context, data_dict, up_func(context, data_dict))


@tk.chained_action
@tk.side_effect_free
def tag_search(up_func: Action, context: Context, data_dict: DataDict):
    found = up_func(context, data_dict)
    results = _readable(context, data_dict, found["results"])
    return {**found, "results": results,
            "count": found["count"] - (len(found["results"]) - len(results))}


@tk.chained_action
@tk.side_effect_free
def tag_autocomplete(up_func: Action, context: Context, data_dict: DataDict):
    return _readable(context, data_dict, up_func(context, data_dict))


@tk.chained_action
@tk.side_effect_free
def member_list(up_func: Action, context: Context, data_dict: DataDict):
    """An organisation's members: its private datasets only to whoever may
    read them (core lists every dataset's id)."""
    members = up_func(context, data_dict)
    if roles.is_validator(context.get("user")):
        return members
    ids = {m[0] for m in members if m[1] == "package"}
    packages = model.Session.query(model.Package).filter(
        model.Package.id.in_(ids)).all() if ids else []
    readable = roles.readable_package_ids(context.get("user"), packages)
    return [m for m in members if m[1] != "package" or m[0] in readable]


@tk.chained_action
@tk.side_effect_free
def scheming_dataset_schema_show(up_func: Action, context: Context, data_dict: DataDict):
    """scheming's schema, with the values of each controlled field (theme,
    frequency, granularity, access_rights) and their French and English
    labels under ``choices``: a script learns what a form offers."""
    return metadata.schema_with_choices(up_func(context, data_dict))
