#!/usr/bin/env python
"""Run the gather of ckanext-harvest's CKANHarvester (1.6.3) on a portal.

    .venv/bin/python tests/ckanext_harvest/gather.py http://127.0.0.1:PORT

Prints, as JSON, the dataset dicts the harvester gathers: its own paged
package_search (``_search_for_datasets``, 100 rows a page, sorted by id,
until an empty page), which its gather_stage stores as each harvest object's
content and its import_stage creates locally. gather_stage itself needs the
harvest plugin's tables (HarvestJob, HarvestObject, its last error-free job):
the portal under test does not enable that plugin, so the script calls the
method that does the fetching, in a process of its own, so that the harvest
model's tables never join the test database's metadata.
"""
from __future__ import annotations

import json
import logging
import sys


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    from ckanext.harvest.harvesters.ckanharvester import CKANHarvester

    harvester = CKANHarvester()
    harvester._set_config("")  # a harvest source without configuration
    datasets = harvester._search_for_datasets(argv[0].rstrip("/"))
    json.dump(datasets, sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
