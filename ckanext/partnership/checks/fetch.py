# -*- coding: utf-8 -*-
"""The one way the portal fetches an address that someone wrote: a linked
file or a standard's schema (the background checks), a catalogue of
standards (``ckan partnership schemas``).

- only ``http`` and ``https``;
- the host is resolved once and every address it resolves to must be
  public, or trusted by the site (``ckanext.partnership.fetch.trusted_hosts``,
  see :mod:`ckanext.partnership.checks.addresses`);
- the connection goes to an address that was checked (the name is sent
  as ``Host`` and as the TLS server name, the certificate is checked
  against it): a second DNS answer cannot swap in another address;
- redirects are followed here, each new address checked the same way, at
  most ``max_redirects`` of them;
- ``deadline`` bounds the whole transfer, redirects included: each read
  waits at most the time left, the time is checked between reads, and a
  watchdog closes the connection when the time is up, so that a server
  dripping a byte a second is stopped at the deadline;
- at most ``max_bytes`` are read.

Whatever fails is a :class:`FetchError` with a code and a short reason
that never holds what the server sent. Nothing here imports CKAN.
"""
from __future__ import annotations

import http.client
import io
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from typing import Any, BinaryIO, Mapping, Optional
from urllib.parse import urljoin, urlsplit

from requests.utils import requote_uri

from ckanext.partnership.checks.addresses import (
    Refused, Resolve, Trusted, allowed_addresses, parse_trusted,
)

__all__ = ["FetchError", "Policy", "download", "fetch_bytes"]

#: Statuses whose ``Location`` is followed (always with a GET).
REDIRECTS = frozenset({301, 302, 303, 307, 308})

_CHUNK = 1 << 16
_USER_AGENT = "ckanext-partnership"


class FetchError(Exception):
    """A fetch that failed. ``code``:

    - ``address_refused``: the address, or one it redirects to, is not a
      public http(s) address (``reason``: ``scheme``, ``no_host``,
      ``private``); nothing was sent to it;
    - ``too_many_redirects``;
    - ``deadline``: the whole transfer took longer than the deadline;
    - ``timeout``: the server stayed silent longer than the timeout;
    - ``too_large``: more than ``max_bytes`` (``reason``: the limit);
    - ``http_error``: ``reason`` is ``HTTP <status>``;
    - ``unreachable``: ``reason`` names the error's kind.
    """

    def __init__(self, code: str, reason: Optional[str] = None) -> None:
        self.code = code
        self.reason = reason
        super().__init__(f"{code}: {reason}" if reason else code)


@dataclass(frozen=True)
class Policy:
    """What one fetch may do."""

    timeout: float = 30
    deadline: float = 300
    max_redirects: int = 5
    max_bytes: int = 20 * 1024 * 1024
    trusted: Trusted = field(default_factory=Trusted)
    #: the resolver, ``(host, port) -> addresses``; the system's by default
    resolve: Optional[Resolve] = None

    @classmethod
    def from_config(cls, config: Mapping[str, Any], max_bytes: int) -> "Policy":
        """The policy of the portal's configuration (``ckan.plugins.toolkit.config``)."""
        def number(key: str, default: float) -> float:
            value = config.get(key)
            return default if value in (None, "") else float(value)

        return cls(
            timeout=number("ckanext.partnership.checks.download_timeout", 30),
            deadline=number("ckanext.partnership.checks.download_deadline", 300),
            max_redirects=int(number("ckanext.partnership.fetch.max_redirects", 5)),
            max_bytes=max_bytes,
            trusted=parse_trusted(config.get("ckanext.partnership.fetch.trusted_hosts") or ""),
        )


class _Transfer:
    """The clock of one fetch and the connection it is using, which the
    watchdog shuts when the deadline passes."""

    def __init__(self, deadline: float) -> None:
        self.end = time.monotonic() + max(0.0, deadline)
        self.expired = False
        self._socket: Optional[socket.socket] = None
        self._lock = threading.Lock()
        self._watchdog = threading.Timer(max(0.0, deadline), self.expire)
        self._watchdog.daemon = True
        self._watchdog.start()

    def remaining(self) -> float:
        """Seconds left; FetchError ``deadline`` when there are none."""
        left = self.end - time.monotonic()
        if self.expired or left <= 0:
            raise FetchError("deadline")
        return left

    def wait(self, timeout: float) -> float:
        """How long one socket operation may wait: the timeout, or less
        when the deadline is nearer."""
        return min(timeout, self.remaining())

    def using(self, sock: socket.socket) -> None:
        with self._lock:
            self._socket = sock
            if self.expired:
                _shut(sock)

    def expire(self) -> None:
        with self._lock:
            self.expired = True
            if self._socket is not None:
                _shut(self._socket)

    def close(self) -> None:
        self._watchdog.cancel()


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


class _PinnedMixin:
    """A connection to addresses already checked, for a host name."""

    def _pin(self, addresses: list[str], transfer: _Transfer) -> None:
        self._addresses = addresses
        self._transfer = transfer
        self._create_connection = self._connect_checked  # that request only

    def _connect_checked(self, address, timeout, source_address=None):
        last: Optional[OSError] = None
        for ip in self._addresses:
            try:
                sock = socket.create_connection((ip, address[1]),
                                                self._transfer.wait(timeout),
                                                source_address)
            except FetchError:
                raise
            except OSError as error:
                last = error
                continue
            self._transfer.using(sock)
            return sock
        raise last or OSError("no address")


class _HTTP(_PinnedMixin, http.client.HTTPConnection):
    pass


class _HTTPS(_PinnedMixin, http.client.HTTPSConnection):
    pass


def _tls_context() -> ssl.SSLContext:
    try:
        import certifi  # what requests trusts
        return ssl.create_default_context(cafile=certifi.where())
    except (ImportError, OSError):
        return ssl.create_default_context()


def _ascii_host(host: str) -> str:
    try:
        return host.encode("ascii").decode("ascii")
    except UnicodeEncodeError:
        try:
            return host.encode("idna").decode("ascii")
        except UnicodeError:
            raise FetchError("unreachable", "InvalidURL") from None


def _hop(url: str, policy: Policy, transfer: _Transfer,
         headers: Mapping[str, str]) -> tuple[http.client.HTTPConnection,
                                              http.client.HTTPResponse, socket.socket]:
    """Send the GET of one address, after checking where it goes; the
    connection, the response and its socket (TLS-wrapped for https; the
    connection lets go of it when the response reads to the close)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise FetchError("unreachable", "InvalidURL") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError("address_refused", "scheme")
    host = parts.hostname or ""
    if not host:
        raise FetchError("address_refused", "no_host")
    host = _ascii_host(host)
    port = port or (443 if scheme == "https" else 80)
    try:
        addresses = allowed_addresses(host, port, policy.trusted, policy.resolve)
    except Refused as refused:
        raise FetchError("address_refused", refused.reason) from None
    except (OSError, UnicodeError):
        raise FetchError("unreachable", "NameResolutionError") from None
    wait = transfer.wait(policy.timeout)
    if scheme == "https":
        connection: http.client.HTTPConnection = _HTTPS(
            host, port, timeout=wait, context=_tls_context())
    else:
        connection = _HTTP(host, port, timeout=wait)
    connection._pin(addresses, transfer)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    try:
        connection.request("GET", target, headers={
            "User-Agent": _USER_AGENT, "Accept-Encoding": "identity", **headers})
        sock = connection.sock
        sock.settimeout(transfer.wait(policy.timeout))
        response = connection.getresponse()
    except BaseException:
        connection.close()
        raise
    return connection, response, sock


def _body(sock: socket.socket, response: http.client.HTTPResponse,
          out: BinaryIO, policy: Policy, transfer: _Transfer) -> int:
    size = 0
    while True:
        sock.settimeout(transfer.wait(policy.timeout))
        chunk = response.read1(_CHUNK)
        transfer.remaining()  # past the deadline, even with data: stop
        if not chunk:
            return size
        size += len(chunk)
        if size > policy.max_bytes:
            raise FetchError("too_large", str(policy.max_bytes))
        out.write(chunk)


def download(url: str, out: BinaryIO, policy: Policy,
             headers: Optional[Mapping[str, str]] = None) -> int:
    """Write the body of ``url`` (GET) to ``out``; the number of bytes.
    Raises FetchError."""
    transfer = _Transfer(policy.deadline)
    hops = 0
    try:
        url = requote_uri(url.strip())
        while True:
            connection, response, sock = _hop(url, policy, transfer, headers or {})
            try:
                location = response.getheader("Location")
                if response.status in REDIRECTS and location:
                    hops += 1
                    if hops > policy.max_redirects:
                        raise FetchError("too_many_redirects", str(policy.max_redirects))
                    url = requote_uri(urljoin(url, location.strip()).split("#", 1)[0])
                    continue
                if not 200 <= response.status < 300:
                    raise FetchError("http_error", f"HTTP {response.status}")
                size = _body(sock, response, out, policy, transfer)
                if transfer.expired:  # the watchdog's close looks like an end
                    raise FetchError("deadline")
                return size
            finally:
                response.close()
                connection.close()
    except FetchError:
        raise
    except (socket.timeout, TimeoutError):
        if transfer.expired or time.monotonic() >= transfer.end - 0.05:
            raise FetchError("deadline") from None
        raise FetchError("timeout") from None
    except (OSError, http.client.HTTPException, ValueError) as error:
        if transfer.expired:
            raise FetchError("deadline") from None
        raise FetchError("unreachable", type(error).__name__) from None
    finally:
        transfer.close()


def fetch_bytes(url: str, policy: Policy,
                headers: Optional[Mapping[str, str]] = None) -> bytes:
    """The body of ``url`` (GET). Raises FetchError."""
    out = io.BytesIO()
    download(url, out, policy, headers)
    return out.getvalue()
