# -*- coding: utf-8 -*-
"""CKAN-side pieces every capability uses: who is who (roles), mails, work
that waits for the commit."""
