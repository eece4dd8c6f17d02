# -*- coding: utf-8 -*-
"""``ckan partnership ...`` commands."""
from __future__ import annotations

import click

__all__ = ["partnership"]


@click.group(short_help="Partnership agreements and the demo portal.")
def partnership():
    """Commands of ckanext-partnership."""


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
