# -*- coding: utf-8 -*-
"""Where a restricted dataset's files could leave the portal, guarded: the
file routes (download, preview, datastore dump) answer 403 to those who may
not download them and log every download; the datasets CKAN returns carry
the portal's route in place of each file's address; the search index keeps
no file address of a restricted dataset."""
from __future__ import annotations

import re
from typing import Any, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.partnership.domain import access

from . import service

#: The routes that serve a file, or show it: CKAN's own.
FILE_ENDPOINTS = {"resource.download", "dataset_resource.download",
                  "resource.view", "dataset_resource.view", "datastore.dump"}
LINKS = {"resource.download", "dataset_resource.download"}
DOWNLOADS = LINKS | {"datastore.dump"}

#: Fields of the search index that hold files' addresses or whole
#: datasets; a custom ``fl`` may not ask for them (they would bypass the
#: scrubbing of the results).
RAW_FIELDS = {"res_url", "urls", "data_dict", "validated_data_dict"}


def _user_name() -> str:
    user = tk.current_user
    return user.name if user and user.is_authenticated else ""


def before_request() -> Any:
    """The file routes of a restricted dataset: 403 (a page that offers to
    ask for access) to one who may not download; a download by one who may
    is logged before it is served, and not served if it cannot be logged."""
    request = tk.request
    if request.endpoint not in FILE_ENDPOINTS or request.method not in ("GET", "HEAD"):
        return None
    resource = model.Resource.get((request.view_args or {}).get("resource_id") or "")
    if resource is None or resource.state != "active":
        return None  # CKAN answers 404
    package = resource.package
    if package is None or package.private or not service.package_restricted(package):
        return None  # as CKAN decides
    name = _user_name()
    if not service.reader(name).may_download(package.id, package.owner_org):
        return refused(package, resource)
    if request.endpoint in DOWNLOADS and request.method == "GET":
        service.log_download(package, resource.id, model.User.get(name))
        model.repo.commit()
    if request.endpoint in LINKS and resource.url_type != "upload" and resource.url:
        # a link: CKAN's view would redirect to the address it reads, the
        # portal's route for a grantee; the stored address is the file's
        return tk.redirect_to(resource.url)
    return None


def refused(package: model.Package, resource: Optional[model.Resource]):
    body = tk.render("partnership/access/refused.html", {
        "package": package, "resource": resource,
        "logged_in": bool(_user_name())})
    return body, 403


def scrub_shown(context: Any, pkg_dict: dict[str, Any]) -> None:
    """After package_show: the reader is the action's user; CKAN's own
    reads without a user (``ignore_auth``: the search index, the activity
    stream's record) keep the addresses, as they store them."""
    if context.get("ignore_auth"):
        return
    service.scrub_package(pkg_dict, context.get("user") or "")


def scrub_results(results: list[dict[str, Any]]) -> None:
    """After package_search: the reader is the request's user (the hook
    is given no context)."""
    name = _user_name() if _has_request() else None
    if name is None:
        return
    if not any(access.dataset_restricted(d) for d in results if isinstance(d, dict)):
        return
    who = service.reader(name)  # read once for the page of results
    for pkg_dict in results:
        service.scrub_package(pkg_dict, who)


def _has_request() -> bool:
    import flask
    return flask.has_request_context()


def search_params(params: dict[str, Any]) -> dict[str, Any]:
    """A custom ``fl`` loses the raw fields (``RAW_FIELDS``)."""
    fl = params.get("fl")
    if fl:
        fields = [f for item in ([fl] if isinstance(fl, str) else list(fl))
                  for f in re.split(r"[\s,]+", str(item)) if f]
        kept = [f for f in fields if f.split(":")[-1] not in RAW_FIELDS]
        params["fl"] = kept or ["id", "name"]
    return params


def index(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """A restricted dataset is indexed without its files' addresses, which
    a query on ``res_url`` or ``urls`` would otherwise probe."""
    rights = pkg_dict.get("access_rights") or pkg_dict.get("extras_access_rights")
    if access.is_restricted(rights):
        pkg_dict.pop("res_url", None)
        pkg_dict.pop("urls", None)
    return pkg_dict
