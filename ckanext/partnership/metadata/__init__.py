# -*- coding: utf-8 -*-
"""The metadata profile's output for harvesters: the DCAT profile and the
fields package_show and package_search add."""
from ckanext.partnership.domain.metadata_rules import (  # noqa: F401 (their old address)
    REQUIRED_FIELDS, missing_fields,
)
