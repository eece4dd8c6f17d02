# -*- coding: utf-8 -*-
"""The rules of the agreements, as plain functions with no CKAN import:
agreement calendars, SLA and response clocks, publication rules, metadata
rules, vocabularies, input limits. Tested without a database."""
