#!/usr/bin/env python
"""Run udata's own CKAN or DCAT harvester (data.gouv.fr's) on a portal.

    .venv-udata/bin/python tests/udata/harvest.py ckan http://127.0.0.1:PORT/
    .venv-udata/bin/python tests/udata/harvest.py dcat http://127.0.0.1:PORT/catalog.ttl

Prints, as JSON, the harvest job's status and errors and, for each item, the
udata dataset it made: frequency, temporal coverage, spatial, licence, tags,
resources. udata keeps its data in MongoDB, which no registry here ships:
mongoengine is connected to mongomock (in memory) and the harvester runs in
udata's dry-run mode (``harvest()`` validates each dataset instead of saving
it), through udata's own code otherwise.
"""
from __future__ import annotations

import json
import logging
import sys

import mongoengine
import mongomock

# The licences data.gouv.fr lists for the ids the portal uses (its
# /api/1/datasets/licenses/): udata ships none and matches by id, title or URL.
LICENSES = [
    {"id": "lov2", "title": "Licence Ouverte / Open Licence version 2.0",
     "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence",
     "alternate_titles": ["Licence Ouverte v2.0", "etalab-2.0"]},
    {"id": "odc-odbl", "title": "Open Data Commons Open Database License (ODbL)",
     "url": "http://opendatacommons.org/licenses/odbl/summary/",
     "alternate_urls": ["https://opendatacommons.org/licenses/odbl/1-0/"]},
    {"id": "notspecified", "title": "License Not Specified", "url": None},
]


class Settings:
    MONGODB_HOST = "mongodb://localhost:27017/udata"  # replaced by mongomock
    MONGODB_CONNECT = False
    CELERY_TASK_ALWAYS_EAGER = True
    SERVER_NAME = "udata.test"
    # the portal under test runs on 127.0.0.1, which udata refuses by default
    URLS_ALLOW_LOCAL = True
    URLS_ALLOW_PRIVATE = True
    URLS_RESOLVE_HOSTNAME = False
    DEFAULT_LANGUAGE = "fr"  # data.gouv.fr's
    SENTRY_DSN = None
    LOG_LEVEL = "WARNING"
    SECRET_KEY = "tests-only"
    API_TOKEN_SECRET = "tests-only"
    SECURITY_PASSWORD_SALT = "tests-only"


def _app():
    from udata.app import create_app, standalone

    app = create_app(override=Settings)
    standalone(app)
    mongoengine.disconnect_all()
    mongoengine.connect("udata", host="mongodb://localhost:27017",
                        mongo_client_class=mongomock.MongoClient)
    return app


def _describe(dataset) -> dict:
    coverage = dataset.temporal_coverage
    spatial = dataset.spatial
    return {
        "title": dataset.title,
        "description": dataset.description,
        "frequency": str(dataset.frequency) if dataset.frequency else None,
        "temporal_coverage": (
            {"start": str(coverage.start), "end": str(coverage.end)} if coverage else None
        ),
        "spatial": {"geom": spatial.geom} if spatial and spatial.geom else None,
        "license": dataset.license.id if dataset.license else None,
        "tags": sorted(dataset.tags or []),
        "extras": json.loads(json.dumps(dict(dataset.extras or {}), default=str)),
        "access_type": str(dataset.access_type) if dataset.access_type else None,
        "access_type_reason_category": dataset.access_type_reason_category,
        "schema": str(dataset.schema.url) if dataset.schema and dataset.schema.url else None,
        "resources": [
            {"title": r.title, "url": r.url, "format": r.format} for r in dataset.resources
        ],
    }


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("ckan", "dcat"):
        print(__doc__, file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    kind, url = argv
    app = _app()
    with app.app_context(), app.test_request_context():
        from udata.harvest.backends.ckan.harvesters import CkanBackend
        from udata.harvest.backends.dcat import DcatBackend
        from udata.harvest.models import HarvestSource
        from udata.models import License

        for licence in LICENSES:
            License.objects.create(**licence)
        backend = {"ckan": CkanBackend, "dcat": DcatBackend}[kind]
        job = backend(HarvestSource(name="portal", url=url, backend=kind), dryrun=True).harvest()
        print(json.dumps({
            "status": job.status,
            "errors": [e.message for e in job.errors],
            "items": [
                {
                    "remote_id": item.remote_id,
                    "status": item.status,
                    "errors": [e.message for e in item.errors],
                    "dataset": _describe(item.dataset) if item.dataset is not None else None,
                }
                for item in job.items
            ],
        }, ensure_ascii=False, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
