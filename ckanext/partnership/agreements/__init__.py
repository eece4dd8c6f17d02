# -*- coding: utf-8 -*-
"""Partnership agreements on CKAN's side: their dicts, their documents,
their calendar mails, their pages."""
