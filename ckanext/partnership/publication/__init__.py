# -*- coding: utf-8 -*-
"""The publication workflow on CKAN's side. Other packages use what this
package exports, never its modules:

- ``guard``: the visibility guard (who may publish, withdraw, delete or
  move a dataset, on what CKAN stores) and "complete before public";
- ``review``: the checks of a dataset, requests as the API returns them
  (the queue, a dataset's requests), publishing on a decision;
- ``flagging``: the flags of published datasets, kept in a table where
  they change, and their list;
- ``figures``: the figures of the host's decisions, counted in SQL;
- ``mails``: the mail of each step;
- ``activities``: the steps in the dataset's activity stream;
- ``texts``: what the workflow says (check findings, reasons, statuses);
- ``views``: the pages (routes in ``ckanext.partnership.views``).
"""
from .activities import ACTIVITY_TYPE, add_activity  # noqa: F401
from .guard import (  # noqa: F401
    STORED_READ,
    check_publishable,
    default_private,
    deleting,
    deletion_refusal,
    guard_move,
    guard_stored,
    missing_to_publish,
    move_refusal,
    one_read_per_save,
    publication_errors,
    record_removal,
    remember,
    stored_dataset,
    stored_owner_org,
    stored_private,
    visibility_of,
)
from .mails import mail_decided, mail_removed, mail_submitted, when  # noqa: F401
from .figures import decision_stats  # noqa: F401
from .flagging import (  # noqa: F401
    flag_after_check,
    flag_if_failing,
    flagged,
    flagged_count,
    flags,
    reflag,
)
from .review import (  # noqa: F401
    cancel,
    decide,
    submit,
    unpublish,
    dataset_checks,
    dataset_requests,
    pending_request,
    publish,
    queue,
    queue_count,
    record_direct_publication,
    request_dict,
    request_dicts,
    set_private,
)
from .texts import (  # noqa: F401
    check_detail,
    check_title,
    checks_out,
    reason_label,
    required_to_publish,
    status_label,
)
from .reminders import queue_reminders, untold_flags, withdraw_ended  # noqa: F401
