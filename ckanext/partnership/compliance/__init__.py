# -*- coding: utf-8 -*-
"""Whether the agreements' promises are kept: each dataset's freshness and
open-data label, and the figures per partner."""
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
from .summaries import summaries  # noqa: F401
from .texts import evidence, freshness_badge, label_badge, status_label, title  # noqa: F401
from .lists import (  # noqa: F401
    ORDERS, SORTS, failing_criteria, history, month_start, partner_count, partner_list,
    partner_show, record_month,
)
