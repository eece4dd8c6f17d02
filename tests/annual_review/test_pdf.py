# -*- coding: utf-8 -*-
"""The review's PDF renderer: A4, the portal's and the partner's names on
every page whatever they contain, the fonts embedded, and nothing fetched,
neither from the network nor from the server's own files."""
from __future__ import annotations

import http.server
import re
import subprocess
import threading
from pathlib import Path

import pytest

from ckanext.partnership.annual_review import pdf

PORTAL = "Région Sud"
#: A name that tries to close the CSS string and the rule it sits in.
PARTNER = 'Ville "d\'Aix"; } @page { content: "piégé" } \\'


def _pages(data: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "review.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert "A4" in info.stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))
    return [subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(path), "-"],
                           capture_output=True, text=True, check=True).stdout
            for n in range(1, pages + 1)]


def test_every_page_names_the_portal_and_the_partner_and_counts_pages(tmp_path):
    body = "".join(f"<h2>Section {n}</h2><p>{'Des figures. ' * 300}</p>" for n in range(4))
    data = pdf.render(f"<html><body>{body}</body></html>", portal=PORTAL, partner=PARTNER,
                      title="Bilan annuel")
    pages = _pages(data, tmp_path)
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        flat = " ".join(text.split())
        assert PORTAL in flat
        assert " ".join(PARTNER.split()) in flat, flat[:300]
        assert f"page {number} / {len(pages)}" in flat
    info = subprocess.run(["pdfinfo", str(tmp_path / "review.pdf")], capture_output=True,
                          text=True, check=True).stdout
    assert re.search(r"Title:\s+Bilan annuel", info)


def test_the_fonts_are_embedded(tmp_path):
    data = pdf.render("<html><body><p>Données ouvertes : bilan, été, œuvre</p></body></html>",
                      portal=PORTAL, partner="Ville d'Aix-en-Provence", title="Bilan")
    path = tmp_path / "review.pdf"
    path.write_bytes(data)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    assert fonts and all("DejaVu" in line for line in fonts), fonts
    # the "emb" column: every font embedded, so that the PDF reads the same anywhere
    assert all(re.search(r"\byes\s+yes\s+(yes|no)\s+\d+\s+\d+\s*$", line) for line in fonts), fonts


@pytest.fixture
def listener():
    """An HTTP server on the machine's loopback that records each request."""
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", seen
    server.shutdown()
    server.server_close()


def test_it_fetches_nothing_on_the_servers_network_or_disk(listener, tmp_path):
    url, seen = listener
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-OF-THE-SERVER")
    html = f"""<html><head>
      <link rel="stylesheet" href="{url}/style.css">
      <style>@import url("{url}/import.css");
        body {{ background: url("{url}/background.png"); }}
        @font-face {{ font-family: X; src: url("{url}/font.woff"); }}</style>
      </head><body>
      <img src="{url}/image.png"><img src="file://{secret}">
      <object data="file://{secret}"></object><embed src="file://{secret}">
      <iframe src="file://{secret}"></iframe>
      <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">
        <image xlink:href="{url}/svg.png" width="10" height="10"/></svg>
      <a href="{url}/link">un lien</a></body></html>"""
    data = pdf.render(html, portal=PORTAL, partner=None, title="Bilan")
    assert seen == []
    assert "SECRET-OF-THE-SERVER" not in "".join(_pages(data, tmp_path))
    assert b"SECRET-OF-THE-SERVER" not in data


@pytest.mark.parametrize("name", ['"', "\\", "}", "a\nb", "é", "📊"])
def test_a_css_string_cannot_be_closed(name):
    quoted = pdf.css_string(name)
    assert quoted.startswith('"') and quoted.endswith('"')
    assert not set(quoted[1:-1]) & set('"\n}{;') or name.isalnum()
