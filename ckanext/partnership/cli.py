# -*- coding: utf-8 -*-
"""``ckan partnership ...`` commands."""
from __future__ import annotations

import click

__all__ = ["partnership"]


@click.group(short_help="Partnership agreements and the demo portal.")
def partnership():
    """Commands of ckanext-partnership."""


@partnership.command()
@click.option("--today", help="Act as on this day (YYYY-MM-DD); default: today.")
@click.pass_context
def notify(ctx, today):
    """Remind the referents of agreement deadlines (60 and 15 days before a
    notice deadline, a renewal, an end) and end the agreements whose day has
    come, applying their end policy. Safe to run every hour."""
    import datetime as dt

    from ckanext.partnership.notify import run

    try:
        day = dt.date.fromisoformat(today) if today else dt.date.today()
    except ValueError:
        raise click.BadParameter("use YYYY-MM-DD", param_hint="--today")
    failures: list[str] = []
    # a request, so that mail is written in the portal's language
    with ctx.meta["flask_app"].test_request_context():
        done = run(day, failures)
    for line in done:
        click.echo(line)
    for line in failures:
        click.echo(line, err=True)
    if failures:
        raise click.exceptions.Exit(1)


@partnership.group()
def demo():
    """The demo portal's content."""


@demo.command("load")
def demo_load():
    """Create the demo organisations, accounts and datasets.

    Safe to run again: what exists already is kept as it is.
    """
    from ckanext.partnership.demo import load, describe_accounts

    for line in load():
        click.echo(line)
    click.echo(describe_accounts())
