# -*- coding: utf-8 -*-
"""Tables of ckanext-partnership, all prefixed ``partnership_``; created by
the migrations of ``migration/partnership`` (``ckan db upgrade -p
partnership``), never at start-up. One module per table group, the queries
beside their tables; the names are re-exported here (``pmodel.Agreement``)."""
from __future__ import annotations

from .access import AccessGrant, AccessRequest, Download
from .agreements import (
    Agreement,
    Amendment,
    CommitteeMeeting,
    Contact,
    Document,
    Event,
    PlannedDataset,
    TermChange,
    agreement_in_force,
    current_agreement,
    event_recorded,
    withdrawal_done_key,
)
from .api_calls import ApiCalls, add_api_calls, stored_api_calls, stored_api_calls_of_months
from .base import _now, as_dict, iso, now
from .compliance import ComplianceMonth, DatasetCompliance, LabelDeclaration
from .discussions import Comment, Thread
from .publication import Flag, PublicationRequest
from .resource_checks import ResourceCheck

__all__ = ["AccessRequest", "AccessGrant", "Download", "Agreement", "Contact", "Amendment", "Event", "Document", "PlannedDataset",
           "TermChange", "CommitteeMeeting", "ResourceCheck", "PublicationRequest", "Flag", "Thread", "Comment",
           "LabelDeclaration", "DatasetCompliance", "ComplianceMonth",
           "current_agreement", "agreement_in_force", "event_recorded",
           "withdrawal_done_key", "ApiCalls", "add_api_calls", "stored_api_calls", "stored_api_calls_of_months",
           "as_dict", "iso", "now", "_now"]
