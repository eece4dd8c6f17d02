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
    come, applying their end policy. Remind the validators of a publication
    request 12 hours before its deadline, and tell the host's admins when a
    deadline has passed. Remind partners of a user's question 12 hours
    before its answer is due, and send both sides a daily digest of the
    overdue ones. Queue again the resource checks whose job was lost. Safe
    to run every hour; one run at a time (a run that finds another one
    working says so and stops)."""
    import datetime as dt

    from ckanext.partnership.model import locks
    from ckanext.partnership.notify import run

    try:
        day = dt.date.fromisoformat(today) if today else dt.date.today()
    except ValueError:
        raise click.BadParameter("use YYYY-MM-DD", param_hint="--today")
    failures: list[str] = []
    # a request, so that mail is written in the portal's language
    with ctx.meta["flask_app"].test_request_context(), locks.held("notify") as mine:
        if not mine:
            _another_run()
            return
        done = run(day, failures)
    for line in done:
        click.echo(line)
    for line in failures:
        click.echo(line, err=True)
    if failures:
        raise click.exceptions.Exit(1)


@partnership.command()
@click.option("--source", metavar="URL",
              help="The schema catalogue to read; default: schema.data.gouv.fr's.")
@click.pass_context
def schemas(ctx, source):
    """Refresh the catalogue of data standards (Table Schemas) from
    schema.data.gouv.fr into ckanext.partnership.standards_path: every Table
    Schema it lists, in its latest version. All or nothing: on failure the
    catalogue in use stays as it was and the command exits with 1."""
    import functools

    import ckan.plugins.toolkit as tk

    from ckanext.partnership.checks import catalogue, fetch

    directory = tk.config.get("ckanext.partnership.standards_path")
    source = source or catalogue.DEFAULT_URL
    # a request, so that messages are in the portal's language
    with ctx.meta["flask_app"].test_request_context():
        if not directory:
            click.echo(tk._(
                "Set ckanext.partnership.standards_path to the directory where "
                "the catalogue of standards is to be written."), err=True)
            raise click.exceptions.Exit(1)
        try:
            summary = catalogue.refresh(directory, source, fetch=functools.partial(
                catalogue.fetch_url, policy=fetch.Policy.from_config(
                    tk.config, catalogue.MAX_BYTES)))
        except catalogue.RefreshError as error:
            click.echo(_refresh_failure(error), err=True)
            click.echo(tk._("The catalogue of standards in use has not changed."), err=True)
            raise click.exceptions.Exit(1)
        click.echo(tk._(
            "{standards} standards (Table Schemas) of the {listed} schemas listed by "
            "{source} written to {directory}: {added} new, {updated} in a new version, "
            "{removed} removed.").format(directory=directory, source=source, **summary))


def _refresh_failure(error) -> str:
    """Why a refresh failed, in the user's language."""
    import ckan.plugins.toolkit as tk

    reason = {
        "address_refused": tk._("the address is not a public internet address "
                                "(see ckanext.partnership.fetch.trusted_hosts)"),
        "deadline": tk._("the download took too long"),
        "too_many_redirects": tk._("too many redirects"),
    }.get(error.params.get("problem"))
    params = dict(error.params, reason=reason) if reason else error.params
    return {
        "download": tk._("Could not download {url}: {reason}"),
        "json": tk._("{url} did not answer with JSON."),
        "catalogue": tk._("{url} is not a schema catalogue: it has no list of schemas."),
        "empty": tk._("The catalogue {url} lists no Table Schema."),
        "table-schema": tk._("{url} is not a Table Schema: it has no list of fields."),
        "write": tk._("Could not write the catalogue in {path}: {reason}"),
    }[error.code].format(**params)


def _another_run() -> None:
    import ckan.plugins.toolkit as tk

    click.echo(tk._("Another run holds the lock: this one stops, nothing done."))


@partnership.command("check")
@click.option("--all", "everything", is_flag=True,
              help="Check every resource again, not only those never checked.")
@click.pass_context
def check(ctx, everything):
    """Queue the checks of the resources that have none yet (all of them
    with --all), for CKAN's worker (ckan jobs worker) to run; and again
    those whose job was lost (Redis down when the file was saved, a worker
    killed), or mark them failed after
    ckanext.partnership.checks.max_attempts attempts. One run at a time."""
    import redis

    import ckan.plugins.toolkit as tk

    from ckanext.partnership import resource_checks
    from ckanext.partnership.model import locks

    with ctx.meta["flask_app"].test_request_context(), locks.held("check") as mine:
        if not mine:
            _another_run()
            return
        try:
            recovered = resource_checks.recover()
        except redis.exceptions.RedisError as error:
            click.echo(tk._("Redis cannot be reached ({error}): no check was queued. "
                            "Run the command again once it is back.").format(error=error),
                       err=True)
            raise click.exceptions.Exit(1)
        queued = resource_checks.queue_unchecked(everything)
    for line in resource_checks.recovery_lines(recovered):
        click.echo(line)
    click.echo(f"Resources queued for checking: {queued}.")
    click.echo(f"Checks queued again: {len(recovered.queued)}; "
               f"given up: {len(recovered.given_up)}.")


@partnership.command()
@click.option("--organization", metavar="NAME",
              help="The partner (name or id); omitted, the whole portal.")
@click.option("--year", required=True, metavar="YYYY", help="The calendar year.")
@click.option("--format", "fmt", type=click.Choice(["pdf", "csv", "json"]), default="pdf",
              show_default=True, help="PDF (A4), CSV (one row per month and figure) or JSON.")
@click.option("--output", required=True, type=click.Path(dir_okay=False, writable=True),
              metavar="FILE", help="The file to write (- for standard output, CSV and JSON).")
@click.pass_context
def review(ctx, organization, year, fmt, output):
    """Draw up the steering committee's annual review of a partner (or of
    the whole portal) for a calendar year, in the portal's language, as
    partnership_annual_review gives it. The file is written whole or not
    at all."""
    import os
    import sys
    import tempfile

    import ckan.plugins.toolkit as tk

    from ckanext.partnership import annual_review

    data = {"year": year}
    if organization:
        data["organization"] = organization
    with ctx.meta["flask_app"].test_request_context():
        site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
        try:
            found = tk.get_action("partnership_annual_review")(
                {"user": site_user, "ignore_auth": True}, data)
        except tk.ValidationError as error:
            for field, messages in error.error_dict.items():
                for message in messages if isinstance(messages, list) else [messages]:
                    click.echo(f"--{field}: {message}", err=True)
            raise click.exceptions.Exit(2)
        body = annual_review.export(found, fmt)
    raw = body if isinstance(body, bytes) else body.encode("utf-8")
    if output == "-":
        if fmt == "pdf":
            raise click.BadParameter("a PDF goes to a file", param_hint="--output")
        sys.stdout.buffer.write(raw)
        return
    folder = os.path.dirname(os.path.abspath(output))
    if not os.path.isdir(folder):
        raise click.BadParameter(f"no folder {folder}", param_hint="--output")
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".review-")
    try:
        with os.fdopen(handle, "wb") as written:
            written.write(raw)
        os.replace(temporary, output)
    except BaseException:
        os.unlink(temporary)
        raise
    click.echo(f"{output}: {len(raw)} bytes")


@partnership.group()
def demo():
    """The demo portal's content."""


@demo.command("load")
def demo_load():
    """Create the demo organisations, accounts and datasets.

    Safe to run again: what exists already is kept as it is.
    """
    from ckanext.partnership.demo import describe_accounts, load

    for line in load():
        click.echo(line)
    click.echo(describe_accounts())
