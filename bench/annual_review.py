# -*- coding: utf-8 -*-
"""How long the annual review takes to build: ``partnership_annual_review``
called in-process for the partner with the most datasets, for the whole
portal, and each export (PDF, CSV, JSON) of both, on the database of a CKAN
ini (the demo's, or a portal of ``bench/portal.py``). Prints a table of
figures: median and maximum seconds, SQL statements per build. Nothing here
runs in the tests.

    .venv/bin/python bench/annual_review.py -c demo.ini [--year YYYY] [--repeat 5]
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from typing import Any, Callable, Optional


def _largest_partner() -> Optional[str]:
    import sqlalchemy as sa

    import ckan.model as model

    return model.Session.execute(sa.text(
        "SELECT g.name FROM \"group\" g JOIN partnership_agreement a ON a.organization_id = g.id"
        " JOIN package p ON p.owner_org = g.id AND p.state = 'active'"
        " WHERE g.is_organization AND g.state = 'active'"
        " GROUP BY g.name ORDER BY count(DISTINCT p.id) DESC, g.name LIMIT 1")).scalar()


def _measure(build: Callable[[], Any], repeat: int) -> dict[str, Any]:
    import sqlalchemy as sa

    import ckan.model as model

    statements = []

    def count(*_args: Any, **_kwargs: Any) -> None:
        statements.append(1)

    engine = model.meta.engine
    times = []
    sizes = []
    for _ in range(repeat):
        model.Session.remove()
        statements.clear()
        sa.event.listen(engine, "before_cursor_execute", count)
        start = time.perf_counter()
        try:
            out = build()
        finally:
            elapsed = time.perf_counter() - start
            sa.event.remove(engine, "before_cursor_execute", count)
        times.append(elapsed)
        sizes.append(len(out) if isinstance(out, (bytes, str)) else None)
    return {"median": statistics.median(times), "max": max(times), "sql": len(statements),
            "size": sizes[-1]}


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True, help="the CKAN ini")
    parser.add_argument("--year", type=int, default=dt.date.today().year)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--organization", help="the partner (default: the one with the "
                        "most datasets)")
    args = parser.parse_args(argv)

    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(os.path.abspath(args.config)))
    flask_app = app._wsgi_app if hasattr(app, "_wsgi_app") else app
    import ckan.plugins.toolkit as tk

    from ckanext.partnership import annual_review

    with flask_app.test_request_context():
        site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
        partner = args.organization or _largest_partner()

        def built(organization: Optional[str]) -> Callable[[], Any]:
            data: dict[str, Any] = {"year": args.year}
            if organization:
                data["organization"] = organization
            return lambda: tk.get_action("partnership_annual_review")(
                {"user": site_user, "ignore_auth": True}, dict(data))

        rows = []
        for label, organization in ((f"partner {partner}", partner), ("whole portal", None)):
            action = built(organization)
            rows.append((f"{label}: the action", _measure(action, args.repeat)))
            for fmt in ("json", "csv", "pdf"):
                rows.append((f"{label}: the review and its {fmt.upper()}",
                             _measure(lambda: annual_review.export(action(), fmt),
                                      args.repeat)))
    width = max(len(label) for label, _ in rows)
    print(f"annual review {args.year}, {args.repeat} builds each, {args.config}")
    print(f"{'':{width}}  median s   max s   SQL  bytes")
    for label, figures in rows:
        size = f"{figures['size']:,}" if figures["size"] is not None else ""
        print(f"{label:{width}}  {figures['median']:8.3f}  {figures['max']:6.3f}  "
              f"{figures['sql']:4d}  {size}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
