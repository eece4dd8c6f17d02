# -*- coding: utf-8 -*-
"""The fetcher of linked files and standards (ckanext.partnership.fetch)
against real HTTP servers on 127.0.0.1, each on a free port: private
addresses refused before anything is sent, redirects checked hop by hop,
a total deadline however slowly a server drips, the size limit."""
from __future__ import annotations

import http.server
import io
import socket
import threading
import time

import pytest

from ckanext.partnership.checks import fetch
from ckanext.partnership.checks.addresses import parse_trusted
from tests.checks.test_addresses import table

MARKER = b"PRIVATE-MARKER-7f3a"


class Server:
    """A small threaded HTTP server: ``routes`` maps a path to a function
    of the handler; every request is logged in ``requests``."""

    def __init__(self):
        self.routes = {}
        self.requests: list[tuple[str, str]] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                server.requests.append((self.path, self.headers.get("Host", "")))
                route = server.routes.get(self.path.split("?")[0])
                if route is None:
                    self.send_error(404)
                else:
                    route(self)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def body(payload: bytes, status: int = 200):
    def send(handler):
        handler.send_response(status)
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)
    return send


def redirect(location: str, status: int = 302):
    def send(handler):
        handler.send_response(status)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()
    return send


def drip(handler, length=600):
    """One byte a second, for ten minutes."""
    handler.send_response(200)
    handler.send_header("Content-Length", str(length))
    handler.end_headers()
    try:
        for _ in range(length):
            handler.wfile.write(b"x")
            handler.wfile.flush()
            time.sleep(1)
    except OSError:
        pass


def drip_headers(handler):
    """A status line, then a header one byte a second."""
    try:
        handler.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
        for _ in range(600):
            handler.wfile.write(b"y")
            handler.wfile.flush()
            time.sleep(1)
    except OSError:
        pass


def silent(handler):
    time.sleep(30)


@pytest.fixture
def server():
    started = Server()
    yield started
    started.close()


@pytest.fixture
def other():
    started = Server()
    yield started
    started.close()


def policy(trusted: str = "", **options) -> fetch.Policy:
    return fetch.Policy(trusted=parse_trusted(trusted), **options)


def failure(url: str, used: fetch.Policy) -> fetch.FetchError:
    with pytest.raises(fetch.FetchError) as error:
        fetch.fetch_bytes(url, used)
    return error.value


@pytest.mark.parametrize("host", ["127.0.0.1", "2130706433", "0x7f.1", "127.1",
                                  "0177.0.0.1", "localhost", "LocalHost", "[::1]",
                                  "[::ffff:127.0.0.1]"])
def test_loopback_is_refused_and_never_contacted(server, host):
    server.routes["/secret.csv"] = body(MARKER)
    error = failure(f"http://{host}:{server.port}/secret.csv", policy())
    assert (error.code, error.reason) == ("address_refused", "private")
    assert MARKER.decode() not in str(error)
    assert server.requests == []


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/x",
                                 "gopher://127.0.0.1:70/", "data:text/plain,x",
                                 "http:///nohost"])
def test_only_http_and_https_addresses_are_fetched(url):
    error = failure(url, policy("127.0.0.1"))
    assert error.code == "address_refused"
    assert error.reason in ("scheme", "no_host")


def test_a_public_looking_name_resolving_to_loopback_is_refused(server):
    server.routes["/secret.csv"] = body(MARKER)
    resolve = table({"donnees.aixenprovence.fr": ["127.0.0.1"]})
    error = failure(f"http://donnees.aixenprovence.fr:{server.port}/secret.csv",
                    fetch.Policy(resolve=resolve))
    assert error.code == "address_refused"
    assert server.requests == []


def test_trusted_hosts_by_name_or_range_are_fetched(server):
    server.routes["/data.csv"] = body(b"a,b\n1,2\n")
    assert fetch.fetch_bytes(f"http://localhost:{server.port}/data.csv",
                             policy("localhost")) == b"a,b\n1,2\n"
    assert fetch.fetch_bytes(f"{server.url}/data.csv?x=1",
                             policy("127.0.0.0/8")) == b"a,b\n1,2\n"
    assert fetch.fetch_bytes(f"http://2130706433:{server.port}/data.csv",
                             policy("127.0.0.1")) == b"a,b\n1,2\n"


def test_the_connection_goes_to_the_address_checked_with_the_name_as_host(server):
    """The name is resolved once; the request goes to that address, with
    the name in Host: a second DNS answer cannot move it elsewhere."""
    server.routes["/data.csv"] = body(b"a\n1\n")
    resolve = table({"donnees.intranet.fr": ["127.0.0.1"]})
    used = fetch.Policy(trusted=parse_trusted("127.0.0.1/32"), resolve=resolve)
    assert fetch.fetch_bytes(f"http://donnees.intranet.fr:{server.port}/data.csv",
                             used) == b"a\n1\n"
    assert resolve.asked == ["donnees.intranet.fr"]
    assert server.requests == [("/data.csv", f"donnees.intranet.fr:{server.port}")]


def test_dns_rebinding_does_not_reach_loopback(server):
    """First answer public, any later one loopback: only the first is used."""
    server.routes["/secret.csv"] = body(MARKER)
    answers = iter([["93.184.216.34"]] + [["127.0.0.1"]] * 10)
    asked = []

    def rebinding(host, port):
        asked.append(host)
        return next(answers)

    used = fetch.Policy(resolve=rebinding, timeout=1, deadline=3)
    error = failure(f"http://rebind.example.org:{server.port}/secret.csv", used)
    assert error.code in ("timeout", "unreachable", "deadline")  # not our server
    assert len(asked) == 1
    assert server.requests == []


def test_a_redirect_to_a_private_address_is_refused_at_the_redirect(server, other):
    other.routes["/secret.csv"] = body(MARKER)
    server.routes["/data.csv"] = redirect(f"{other.url}/secret.csv")
    # the first server is trusted by name, the address it sends to is not
    error = failure(f"http://localhost:{server.port}/data.csv", policy("localhost"))
    assert error.code == "address_refused"
    assert [p for p, _h in server.requests] == ["/data.csv"]
    assert other.requests == []


def test_redirects_are_followed_up_to_the_limit(server):
    for hop in range(6):
        server.routes[f"/r{hop}"] = redirect(f"/r{hop + 1}", status=(301, 302, 303, 307, 308)[hop % 5])
    server.routes["/r6"] = body(b"a\n1\n")
    trusted = "127.0.0.1"
    assert fetch.fetch_bytes(f"{server.url}/r0", policy(trusted, max_redirects=6)) == b"a\n1\n"
    error = failure(f"{server.url}/r0", policy(trusted, max_redirects=5))
    assert error.code == "too_many_redirects"
    server.routes["/loop"] = redirect("/loop")
    server.requests.clear()
    assert failure(f"{server.url}/loop", policy(trusted)).code == "too_many_redirects"
    assert len(server.requests) == 6  # the first request and 5 redirects


def test_a_slow_drip_is_stopped_at_the_deadline(server):
    server.routes["/drip.csv"] = drip
    started = time.monotonic()
    error = failure(f"{server.url}/drip.csv", policy("127.0.0.1", timeout=30, deadline=3))
    assert error.code == "deadline"
    assert time.monotonic() - started < 10


def test_slow_headers_are_stopped_at_the_deadline(server):
    server.routes["/drip.csv"] = drip_headers
    error = failure(f"{server.url}/drip.csv", policy("127.0.0.1", timeout=30, deadline=2))
    assert error.code == "deadline"


def test_a_silent_server_times_out(server):
    server.routes["/silent.csv"] = silent
    error = failure(f"{server.url}/silent.csv", policy("127.0.0.1", timeout=1, deadline=20))
    assert error.code == "timeout"


def test_the_size_limit_and_http_errors(server):
    server.routes["/big.csv"] = body(b"x" * 5000)
    assert failure(f"{server.url}/big.csv",
                   policy("127.0.0.1", max_bytes=4096)).code == "too_large"
    out = io.BytesIO()
    assert fetch.download(f"{server.url}/big.csv", out, policy("127.0.0.1")) == 5000
    error = failure(f"{server.url}/missing.csv", policy("127.0.0.1"))
    assert (error.code, error.reason) == ("http_error", "HTTP 404")


def test_a_closed_port_is_unreachable():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    error = failure(f"http://127.0.0.1:{port}/x.csv", policy("127.0.0.1"))
    assert (error.code, error.reason) == ("unreachable", "ConnectionRefusedError")
