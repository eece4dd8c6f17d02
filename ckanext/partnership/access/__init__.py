# -*- coding: utf-8 -*-
"""Restricted-access data (004 §7.1) on CKAN's side: who downloads a
restricted dataset's files, the guards of every path a file could leave
by, the requests, grants and the download log, their mails and pages."""
from .guard import before_request, index, scrub_results, scrub_shown, search_params  # noqa: F401
from .mails import mail_decision, mail_new_request, mail_revoked  # noqa: F401
from .service import (  # noqa: F401
    create_grant,
    create_request,
    decide,
    download_dicts,
    download_stats,
    grant_dicts,
    grant_or_404,
    managed_organization_ids,
    may_download,
    may_manage,
    package_or_404,
    package_restricted,
    reader,
    request_dicts,
    request_or_404,
    request_stats,
    requests_query,
    restricted_ids,
    restricted_package,
    revoke,
    scrub_activity,
    scrub_package,
    user_or_404,
)
