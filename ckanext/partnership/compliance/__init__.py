# -*- coding: utf-8 -*-
"""Whether the agreements' promises are kept: each dataset's freshness and
open-data label, the figures per partner, the quotas measured per partner
and for the portal, the API calls counted, the 80 % mail. Other packages
reach it through these names, never its modules."""
from .alerts import quota_alerts  # noqa: F401
from .counter import calls as api_calls  # noqa: F401
from .counter import calls_of_months as api_calls_of_months  # noqa: F401
from .counter import count_api_calls  # noqa: F401
from .counter import persist as persist_api_calls  # noqa: F401
from .datasets import (  # noqa: F401
    as_dict,
    assess,
    assess_many,
    declarations,
    refresh,
    refresh_after_check,
    refresh_stale,
    stale_ids,
    today,
)
from .quotas import portal_quota_usage, quota_usage, quota_usages  # noqa: F401
from .summaries import summaries  # noqa: F401
from .texts import (  # noqa: F401
    evidence, freshness_badge, label_badge, quota_rows, status_label, title,
)
from .digests import Digest, monthly_digests, send_digest  # noqa: F401
from .lists import (  # noqa: F401
    ORDERS, SORTS, failing_criteria, history, month_start, partner_count, partner_list,
    partner_show, record_month,
)
