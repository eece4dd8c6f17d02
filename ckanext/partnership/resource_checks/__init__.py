# -*- coding: utf-8 -*-
"""The checks of each file on CKAN's side: the queue, the worker's job,
recovery after a fault, the reports' texts."""
from .jobs import (  # noqa: F401
    checked,
    add_check_status,
    as_dict,
    listen,
    pid_running,
    queue,
    queue_changed,
    queue_unchecked,
    recover,
    recovery_lines,
    resource_fields,
    run,
    stamps,
    standards,
    statuses,
)
from .reports import check_title, describe, describe_check, status_label  # noqa: F401
from .recovery import recover_lost  # noqa: F401
