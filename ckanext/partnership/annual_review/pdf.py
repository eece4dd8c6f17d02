# -*- coding: utf-8 -*-
"""The review's HTML laid out as an A4 PDF by WeasyPrint: the portal's and
the partner's names at the top of every page, "page N / M" at the foot,
the DejaVu fonts the project's set-up installs embedded. The renderer
fetches nothing: every URL the HTML or its styles name (an image, a
stylesheet, a font, ``file:`` as ``http:``) is refused, so that a text a
partner typed cannot make the server read its own files or network."""
from __future__ import annotations

import logging
from typing import Any, Optional

log = logging.getLogger(__name__)

#: The page: A4, room for the running header and footer.
_PAGE = """
@page {{
  size: A4;
  margin: 20mm 15mm 18mm 15mm;
  @top-left {{ content: {portal}; font-family: "DejaVu Sans", sans-serif;
               font-size: 8pt; color: #444; }}
  @top-right {{ content: {partner}; font-family: "DejaVu Sans", sans-serif;
                font-size: 8pt; color: #444; }}
  @bottom-center {{ content: "{page}" counter(page) " / " counter(pages);
                    font-family: "DejaVu Sans", sans-serif; font-size: 8pt; color: #444; }}
}}
"""


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string: every character but letters,
    digits and spaces escaped by its code point, so that no name can close
    the string or the rule."""
    out = []
    for char in text:
        if char.isalnum() or char == " ":
            out.append(char)
        else:
            # the space ends the escape (CSS eats one after hex digits)
            out.append(f"\\{ord(char):06x} ")
    return '"' + "".join(out) + '"'


def page_css(portal: str, partner: Optional[str], page: str = "page") -> str:
    """The ``@page`` rules of a review of ``partner`` on ``portal``."""
    return _PAGE.format(portal=css_string(portal), partner=css_string(partner or ""),
                        page=css_string(page + " ")[1:-1])


def _refusing_fetcher() -> Any:
    from weasyprint.urls import URLFetcher

    class Refuse(URLFetcher):  # type: ignore[misc]
        """Fetches nothing: the review is self-contained."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            log.warning("annual review PDF: refused to fetch %.200s", url)
            raise ValueError("the review's PDF fetches nothing")

    return Refuse()


def render(html: str, *, portal: str, partner: Optional[str], title: str,
           page: str = "page") -> bytes:
    """``html`` as PDF bytes, with ``title`` as the document's title."""
    import weasyprint

    fetcher = _refusing_fetcher()
    document = weasyprint.HTML(string=html, url_fetcher=fetcher, base_url=None)
    style = weasyprint.CSS(string=page_css(portal, partner, page), url_fetcher=fetcher)
    rendered = document.render(stylesheets=[style])
    rendered.metadata.title = title
    rendered.metadata.authors = [portal] if portal else []
    return rendered.write_pdf()
