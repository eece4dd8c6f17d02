# -*- coding: utf-8 -*-
"""The steering committee's annual review (000 art. 12), drawn up by the
portal: its figures (``figures``, ``review``), its charts (``charts``),
its exports (``exports``, ``pdf``) and its pages (``views``; routes in
``ckanext.partnership.views``). Other packages use what this package
exports, never its modules."""
from .review import build  # noqa: F401
from .exports import export  # noqa: F401
