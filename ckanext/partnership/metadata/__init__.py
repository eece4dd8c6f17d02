# -*- coding: utf-8 -*-
"""The metadata profile's output for harvesters: the DCAT profile and the
fields package_show and package_search add."""
from ckanext.partnership.domain.metadata_rules import (  # noqa: F401 (their old address)
    REQUIRED_FIELDS, missing_fields,
)
from ckanext.partnership.metadata.fields import (  # noqa: F401
    add_harvest_fields, declare_utf8, field_label, schema_with_choices,
)
from ckanext.partnership.metadata.modified import (  # noqa: F401
    apply as apply_update_modified, file_changed, mark as mark_update_modified,
    requested as update_modified_requested,
)
from ckanext.partnership.metadata.dictionary import (  # noqa: F401
    columns_of as data_dictionary_of, form_rows as data_dictionary_form_rows,
    prepare as prepare_data_dictionary, schema_url as data_dictionary_schema_url,
    type_choices as data_dictionary_types,
)
