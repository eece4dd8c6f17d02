# -*- coding: utf-8 -*-
"""The demo's year: what a partner does over the months that the annual
review (000 art. 12) draws up, so that the review of the demo year has
curves. Each public demo dataset, from the day it was published, is
updated each month by its publisher and asked a question every second
month, which the publisher answers (now and then after the 48 hours);
each partner's figures of freshness and the label are recorded for the
past months as ``ckan partnership notify`` records them; and, when CKAN's
``tracking`` plugin is on, the visits of its page and the downloads of its
file are recorded as the tracking script records them, and summed as
``ckan tracking update`` sums them.

The steps are computed from the load's date and the dataset's name (the
same each time), and taken only for the datasets the same load published
(``_history``), so that a second load adds nothing. Each line yielded
starts with ``year:``."""
from __future__ import annotations

import datetime as dt
import zlib
from typing import Any, Iterable, Iterator

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins as p

from ckanext.partnership import discussions
from ckanext.partnership import model as pmodel
from ckanext.partnership.core import roles

#: The public's questions over the year and the partner's answers.
QUESTIONS: list[tuple[str, str]] = [
    ("Bonjour, à quelle date le fichier sera-t-il mis à jour ce mois-ci ?",
     "Bonjour, la mise à jour est prévue dans la deuxième semaine du mois, "
     "après la validation des chiffres par le service."),
    ("Les valeurs vides de la dernière colonne signifient-elles zéro ou une "
     "donnée manquante ?",
     "Une cellule vide est une donnée non transmise ; un zéro est un zéro. "
     "La description du jeu de données le précise désormais."),
    ("Existe-t-il une version de ce jeu de données pour les années précédentes ?",
     "Oui, les millésimes précédents sont publiés comme ressources du même jeu "
     "de données, un fichier par année."),
    ("Pourriez-vous ajouter le code Insee de la commune à chaque ligne ?",
     "C'est noté : le code Insee sera ajouté à partir de la prochaine mise à jour."),
    ("Le fichier est-il aussi disponible au format GeoJSON ?",
     "Pas encore : nous publions le CSV, dont les coordonnées permettent une "
     "conversion directe. Un export GeoJSON est à l'étude."),
]


def _seed(name: str) -> int:
    """A number of the dataset's name, the same at each load."""
    return zlib.crc32(name.encode("utf-8"))


def _months_after(first: dt.datetime, now: dt.datetime) -> list[dt.datetime]:
    """The 12th of each month after ``first``, until thirty days before ``now``."""
    out = []
    year, month = first.year, first.month
    while True:
        month += 1
        if month > 12:
            year, month = year + 1, 1
        at = dt.datetime(year, month, 12, 9, 30)
        if at > now - dt.timedelta(days=30):
            return out
        out.append(at)


def _published_at(package: model.Package) -> dt.datetime | None:
    row = model.Session.query(sa.func.min(pmodel.PublicationRequest.decided_at)).filter(
        pmodel.PublicationRequest.package_id == package.id,
        pmodel.PublicationRequest.status == "approved").scalar()
    return row


def _updates(package: model.Package, publisher: model.User,
             months: list[dt.datetime]) -> int:
    """A change CKAN recorded while the dataset was public, each month."""
    from ckanext.activity.model import Activity

    for at in months:
        activity = Activity.activity_stream_item(package, "changed", publisher.id)
        activity.timestamp = at
        model.Session.add(activity)
    return len(months)


def _threads(package: model.Package, months: list[dt.datetime]) -> list[pmodel.Thread]:
    """A question every second month, answered by the publisher: within a
    working day mostly, after the 48 hours one time in four."""
    seed = _seed(package.name)
    citizen = model.User.get("citoyen")
    publisher = model.User.get(f"{_short(package)}-publicateur")
    threads = []
    for n, at in enumerate(months[seed % 2::2]):
        question, answer = QUESTIONS[(seed + n) % len(QUESTIONS)]
        asked = at + dt.timedelta(days=(seed + 3 * n) % 9, hours=1)
        hours = 62.0 if (seed + n) % 4 == 0 else 3.0 + (seed + 11 * n) % 29
        thread = pmodel.Thread(kind="comment", organization_id=package.owner_org,
                               package_id=package.id, created=asked)
        thread.comments.append(pmodel.Comment(author_id=citizen.id, body=question,
                                              created=asked, by_partner=False))
        thread.comments.append(pmodel.Comment(
            author_id=publisher.id, body=answer, created=asked + dt.timedelta(hours=hours),
            by_partner=roles.is_member(publisher.name, package.owner_org)))
        threads.append(thread)
    return threads


def _short(package: model.Package) -> str:
    from . import PARTNERS

    return next(p["short"] for p in PARTNERS
                if model.Group.get(p["name"]).id == package.owner_org)


def _tracked(package: model.Package, first: dt.datetime, now: dt.datetime,
             site_url: str) -> set[dt.date]:
    """The visits of the dataset's page and the downloads of its files
    since ``first``, as CKAN's tracking script records them (one row per
    visitor); the days recorded."""
    seed = _seed(package.name)
    rows: list[dict[str, Any]] = []
    days: set[dt.date] = set()
    day = first.date() + dt.timedelta(days=1)
    resources = [r for r in package.resources if r.state == "active"]
    while day < now.date():
        if day.weekday() < 5 and (day.toordinal() + seed) % 3 == 0:
            visitors = 2 + (day.toordinal() * 7 + seed) % 9
            for v in range(visitors):
                key = f"{seed:x}-{day.toordinal()}-{v}"
                at = dt.datetime.combine(day, dt.time(8 + v % 10, (v * 13) % 60))
                rows.append({"user_key": key, "url": f"/dataset/{package.name}",
                             "tracking_type": "page", "access_timestamp": at})
                if resources and v % 3 == 0:
                    resource = resources[v % len(resources)]
                    filename = (resource.url or "").rsplit("/", 1)[-1] or "fichier"
                    rows.append({
                        "user_key": key, "tracking_type": "resource",
                        "access_timestamp": at + dt.timedelta(minutes=1),
                        "url": f"{site_url}/dataset/{package.id}/resource/{resource.id}"
                               f"/download/{filename}"})
            days.add(day)
        day += dt.timedelta(days=1)
    if rows:
        model.Session.execute(sa.text(
            "INSERT INTO tracking_raw (user_key, url, tracking_type, access_timestamp) "
            "VALUES (:user_key, :url, :tracking_type, :access_timestamp)"), rows)
    return days


def _sum_tracking(days: Iterable[dt.date]) -> None:
    """``ckan tracking update`` for each day recorded."""
    from ckanext.tracking.cli.tracking import update_tracking

    for day in sorted(set(days)):
        update_tracking(dt.datetime.combine(day, dt.time.min))


def _compliance_months(now: dt.datetime, published: dict[str, dt.datetime]) -> int:
    """Each partner's figures of the past months of the year that have
    none, as notify would have recorded them: its datasets public by then,
    one of them late now and then, the label where it was granted."""
    from . import LABEL_GRANTED, NOT_APPLICABLE_EXAMPLE, PARTNERS

    added = 0
    for partner in PARTNERS:
        org = model.Group.get(partner["name"])
        names = {name: at for name, at in published.items()
                 if model.Package.get(name).owner_org == org.id}
        for month in range(1, now.month):
            first = dt.date(now.year, month, 1)
            if model.Session.get(pmodel.ComplianceMonth, (org.id, first)):
                continue
            end = dt.datetime(now.year + (month == 12), month % 12 + 1, 1)
            public = [n for n, at in names.items() if at < end]
            if not public:
                continue
            applicable = [n for n in public if n != NOT_APPLICABLE_EXAMPLE]
            late = 1 if applicable and (month + _seed(org.name)) % 3 == 0 else 0
            model.Session.add(pmodel.ComplianceMonth(
                organization_id=org.id, month=first, datasets=len(public),
                fresh=len(applicable) - late, late=late,
                not_applicable=len(public) - len(applicable),
                label_granted=int(LABEL_GRANTED in public),
                recorded_at=dt.datetime.combine(first, dt.time(5)) + dt.timedelta(days=27)))
            added += 1
    return added


def history(now: dt.datetime, names: list[str]) -> Iterator[str]:
    """The year of the datasets ``names`` (published by this load)."""
    from ckan.common import config

    published: dict[str, dt.datetime] = {}
    tracked_days: set[dt.date] = set()
    tracking = p.plugin_loaded("tracking")
    site_url = config.get("ckan.site_url") or ""
    for name in names:
        package = model.Package.get(name)
        first = _published_at(package) if package is not None else None
        if first is None:
            continue
        published[name] = first
        months = _months_after(first, now)
        publisher = model.User.get(f"{_short(package)}-publicateur")
        updates = _updates(package, publisher, months)
        threads = _threads(package, months)
        model.Session.add_all(threads)
        if tracking:
            tracked_days |= _tracked(package, first, now, site_url)
        model.Session.commit()
        late = sum(1 for t in threads if not discussions.thread_clock(t, now).on_time)
        yield (f"year: {name}: {updates} updates, {len(threads)} questions answered "
               f"({late} late)")
    if tracked_days:
        _sum_tracking(tracked_days)
        yield f"year: visits and downloads of {len(tracked_days)} days recorded"
    months = _compliance_months(now, published)
    model.Session.commit()
    if months:
        yield f"year: {months} months of freshness figures recorded"
