# -*- coding: utf-8 -*-
"""Accounts (000 §9.3.1: individual credentials, one connection at a time,
every action imputable).

* Sessions are CKAN's (Flask-Session; kept in Redis with ``SESSION_TYPE =
  redis``, so that logging out ends the session for every copy of its
  cookie). Flask-Login's "remember me" cookie, a credential that logging
  out does not revoke, is never issued nor accepted: ticking *Remember me*
  keeps the session itself beyond the browser's closing.
* Each login stamps its session with a token, also kept in Redis as the
  account's latest; under ``ckanext.partnership.single_session`` a session
  whose token is not the latest is logged out on its next request and told
  why. API tokens are not sessions: they are not affected.
* Failed logins are limited per account and per client address
  (Flask-Limiter, counting in CKAN's Redis); a refused attempt gets the
  login page with the reason, status 429.
"""
from __future__ import annotations

import logging
import secrets
import time
from typing import Any

import flask
import limits
from flask_limiter import Limiter, RequestLimit
from flask_limiter.errors import RateLimitExceeded
from flask_login import user_accessed, user_logged_in

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.common import current_user, logout_user, request, session
from ckan.exceptions import CkanConfigurationException
from ckan.lib import base
from ckan.lib.redis import connect_to_redis

from ckanext.partnership.domain import login_throttle

log = logging.getLogger(__name__)

LOGIN_ENDPOINT = "user.login"
SESSION_TOKEN = "partnership_login"  # the session's login token
LIMIT_OPTIONS = ("ckanext.partnership.login_limit_account",
                 "ckanext.partnership.login_limit_address")
REMEMBER_COOKIE = "remember_token"  # Flask-Login's default name


def setup(app: flask.Flask) -> None:
    """Wire accounts into CKAN's Flask app (IMiddleware)."""
    if app.config.get("SESSION_TYPE", "cookie") == "cookie":
        log.warning("SESSION_TYPE is 'cookie': a copy of a session cookie stays "
                    "valid after its session logs out; set SESSION_TYPE = redis")
    # The Redis session interface holds its client; left in Flask's config,
    # CKAN copies it into its own, which then cannot be deep-copied (as
    # CKAN's test fixtures copy it).
    app.config.pop("SESSION_REDIS", None)
    user_logged_in.connect(_stamp_login)
    user_accessed.connect(_refuse_remember_cookie)
    _throttle_login(app)


# -- sessions ------------------------------------------------------------------

def _refuse_remember_cookie(sender: Any, **kwargs: Any) -> None:
    """Before Flask-Login loads the user of a request (its signal, sent
    before the session and the remember-me cookie are read): refuse a
    remember-me cookie. Not in identify(): CKAN 2.12 calls IAuthenticator
    once the user is loaded."""
    cookie = flask.current_app.config.get("REMEMBER_COOKIE_NAME", REMEMBER_COOKIE)
    if cookie in request.cookies:
        # Flask-Login ignores the cookie and tells the browser to drop it.
        session["_remember"] = "clear"


def identify() -> None:
    """When CKAN identifies the user of a request (IAuthenticator): end a
    session that a newer login superseded."""
    if tk.config.get("ckanext.partnership.single_session") and _superseded():
        logout_user()
        tk.h.flash_notice(tk._(
            "You have been logged out: a new login to this account was opened elsewhere."))


def _superseded() -> bool:
    user_id = session.get("_user_id")
    if not user_id:
        return False
    latest = _redis().get(_latest_key(user_id))
    return latest is not None and latest.decode() != session.get(SESSION_TOKEN)


def _stamp_login(sender: Any, user: Any = None, **kwargs: Any) -> None:
    """At each login (Flask-Login's signal): no remember-me cookie, the
    session kept only if asked for, and a new latest login token."""
    remember = session.pop("_remember", None) == "set"
    session.pop("_remember_seconds", None)
    session.permanent = remember
    token = secrets.token_urlsafe(24)
    session[SESSION_TOKEN] = token
    lifetime = int(flask.current_app.permanent_session_lifetime.total_seconds())
    _redis().set(_latest_key(session["_user_id"]), token, ex=max(lifetime, 1))


def _latest_key(user_id: str) -> str:
    return f"{tk.config.get('ckan.site_id')}:partnership:latest-login:{user_id}"


def _redis():
    return connect_to_redis()


# -- login throttling --------------------------------------------------------

def throttle_prefix() -> str:
    """The prefix of the limiter's keys in Redis."""
    return f"{tk.config.get('ckan.site_id')}:partnership:login-throttle"


def _throttle_login(app: flask.Flask) -> None:
    account, address = (_limit_option(name) for name in LIMIT_OPTIONS)
    limiter = Limiter(
        key_func=_address, app=app, strategy="moving-window",
        storage_uri=tk.config.get("ckan.redis.url"),
        storage_options={"key_prefix": throttle_prefix()},
    )
    counted = {"methods": ["POST"], "deduct_when": _failed, "on_breach": _refused}
    view = app.view_functions[LOGIN_ENDPOINT]
    view = limiter.limit(address, key_func=_address, **counted)(view)
    view = limiter.limit(account, key_func=_account, **counted)(view)
    app.view_functions[LOGIN_ENDPOINT] = view
    app.register_error_handler(RateLimitExceeded, _refusal_page)


def _limit_option(name: str) -> str:
    value = tk.config.get(name)
    try:
        limits.parse_many(value)
    except ValueError:
        raise CkanConfigurationException(
            f"{name} = {value!r} is not a rate limit such as '10 per 15 minutes'")
    return value


def _address() -> str:
    return login_throttle.address_key(request.remote_addr)


def _account() -> str:
    login = request.form.get("login") or ""
    user = None
    if login:  # as CKAN's authenticator finds the account
        user = model.User.by_name(login) or model.User.by_email(login)
    return login_throttle.account_key(user.id if user else None, login)


def _failed(response: flask.Response) -> bool:
    """What counts: an attempt that was let through and did not log in."""
    return response.status_code != 429 and not current_user.is_authenticated


def _refused(limit: RequestLimit) -> flask.Response:
    minutes = login_throttle.minutes_to_wait(limit.reset_at, time.time())
    tk.h.flash_error(tk.ungettext(  # fills in %(num)d itself
        "Too many failed login attempts. Try again in %(num)d minute.",
        "Too many failed login attempts. Try again in %(num)d minutes.",
        minutes))
    response = flask.make_response(base.render("user/login.html", {}), 429)
    response.headers["Retry-After"] = str(max(1, int(limit.reset_at - time.time())))
    return response


def _refusal_page(error: RateLimitExceeded) -> flask.Response:
    return error.get_response()
