# -*- coding: utf-8 -*-
"""Partnership agreements on CKAN's side: their dicts, their documents,
their calendar mails, their pages."""
from .service import DOCUMENT_KINDS, document_dict, document_path, state_label  # noqa: F401
from .reminders import calendar_step, end_reached, followed_agreements  # noqa: F401
