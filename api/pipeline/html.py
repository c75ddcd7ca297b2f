"""Main text and page metadata of an HTML document, by trafilatura.

The text keeps one paragraph per line, as a pasted text file has it, so clean_article
treats both alike. The page's own metadata fills the RawArticle's title, outlet and
published fields only where the caller (a manifest, a feed record, a feed entry) did not
supply them; what the caller supplied always wins. Only metadata the page declares in its
markup is taken (``<title>``/og:title, og:site_name, dates in meta or time elements and
the URL): trafilatura's guesses from the prose are switched off (htmldate's extensive
search), and a site name that is only the URL's domain is dropped, so that clean_article
infers the outlet itself and flags it as inferred.
"""

from __future__ import annotations

import re

import trafilatura
from trafilatura.utils import load_html

from api.pipeline.types import InputError, RawArticle

# Dates only from the page's markup, never searched for in the text.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}
# When it finds no article, trafilatura falls back to all the text of the body; on a
# page of navigation alone that is a few menu words ("Home News"). Fewer words than a
# short sentence is page furniture, not an article.
MIN_MAIN_TEXT_WORDS = 6
# trafilatura falls back to the domain ("gazette.test") when a page names no site.
_DOMAIN_ONLY = re.compile(r"(?:www\.)?[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)


def _site_name(value: str | None) -> str | None:
    if not value or not value.strip() or _DOMAIN_ONLY.fullmatch(value.strip()):
        return None
    return value.strip()


def html_article(
    markup: str | bytes,
    *,
    origin: str,
    url: str | None = None,
    title: str | None = None,
    outlet: str | None = None,
    published: str | None = None,
    fragment: bool = False,
) -> RawArticle | InputError:
    """The article in ``markup``; supplied metadata wins over the page's own.

    ``fragment``: the markup is a body fragment (a feed entry's content), wrapped in a
    document before parsing because trafilatura expects whole pages.
    """
    if fragment:
        text_markup = markup.decode("utf-8", "replace") if isinstance(markup, bytes) else markup
        markup = f"<html><body><article>{text_markup}</article></body></html>"
    try:
        tree = load_html(markup)
    except (ValueError, TypeError) as exc:
        return InputError(item=origin, reason=f"malformed HTML: {exc}")
    if tree is None:
        return InputError(item=origin, reason="malformed HTML: not an HTML document")
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=not fragment,
        include_comments=False,
        include_images=False,
        include_links=False,
        date_extraction_params=dict(_DATE_PARAMS),
    )
    text = getattr(document, "text", None) if document is not None else None
    if not isinstance(text, str) or len(text.split()) < MIN_MAIN_TEXT_WORDS:
        return InputError(item=origin, reason="no main text found in the HTML page")
    page_title = getattr(document, "title", None)
    page_date = getattr(document, "date", None)
    page_site = getattr(document, "sitename", None)
    return RawArticle(
        origin=origin,
        raw_text=text,
        url=url,
        outlet=outlet or (None if fragment else _site_name(page_site)),
        title=title or (page_title if isinstance(page_title, str) and page_title else None),
        published=published or (page_date if isinstance(page_date, str) and page_date else None),
    )
