# -*- coding: utf-8 -*-
"""The steps of the workflow in a dataset's activity stream (000 §9.3.1)."""
from __future__ import annotations

from typing import Any, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import get_permission_labels

#: Activities of the workflow. The type ends in "package" so that CKAN
#: shows them only to those who may read the dataset (permission labels).
ACTIVITY_TYPE = "partnership package"


class _Saved:
    """The dataset as a save about to be made will store it (``private``
    changed): what the permission labels of an activity written before
    that save are computed from."""

    def __init__(self, package: model.Package, private: bool) -> None:
        self._package = package
        self.private = private

    def __getattr__(self, name: str) -> Any:
        return getattr(self._package, name)


def add_activity(package: model.Package, user_name: Optional[str], event: str,
                 *, becomes_private: Optional[bool] = None, **data: Any) -> None:
    """One step of the workflow in the dataset's activity stream, with its
    actor (000 §9.3.1). Added to the session; the caller commits.
    ``becomes_private``: the visibility the step's next save gives the
    dataset, when the activity is written before it (it is then read by
    whoever may read the dataset after the save)."""
    from ckanext.activity.model import Activity

    user = model.User.get(user_name) if user_name else None
    if user is None:
        user = model.User.get(tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"])
    activity = Activity(
        user.id, package.id, ACTIVITY_TYPE,
        {"package": {"id": package.id, "name": package.name, "title": package.title,
                     "type": package.type},
         "actor": user.name,
         "partnership": {"event": event, **data}},
        get_permission_labels().get_dataset_labels(
            package if becomes_private is None else _Saved(package, becomes_private)),
    )
    model.Session.add(activity)
