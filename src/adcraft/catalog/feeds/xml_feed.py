"""Merchant Center XML feeds (RSS 2.0 and Atom with the g: namespace), streamed.

The parser is defusedxml's iterparse: a document type declaration (the carrier of "billion
laughs" entity bombs and external entities) is refused outright, since no product feed needs
one. Each item is turned into a row and then cleared from the tree, so memory stays flat however
long the feed is.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException  # type: ignore[import-untyped]
from defusedxml.ElementTree import iterparse  # type: ignore[import-untyped]

from adcraft.catalog.feeds.normalise import Row
from adcraft.errors import FeedError
from adcraft.problem_codes import refuse

G_NS = "http://base.google.com/ns/1.0"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_ITEMS = ("item", "entry")


def _local(tag: str) -> tuple[str, str]:
    """'{ns}name' -> ('ns', 'name')."""
    if tag.startswith("{"):
        ns, _, name = tag[1:].partition("}")
        return ns, name
    return "", tag


def _row(item: Element) -> Row:
    row: Row = {}
    extra: list[str] = []
    for child in item:
        ns, name = _local(child.tag)
        text = (child.text or "").strip()
        if ns == G_NS:
            if name == "additional_image_link":
                extra.append(text)
            elif name == "subscription_cost" and len(child):
                # <g:period>month</g:period><g:period_length>12</g:period_length>
                # <g:amount>35.00 USD</g:amount>: the TSV's "month:12:35.00 USD".
                parts = {_local(c.tag)[1]: (c.text or "").strip() for c in child}
                row[name] = ":".join(
                    parts.get(k, "") for k in ("period", "period_length", "amount")
                )
            else:
                row[name] = text
        elif name == "link":
            # RSS: <link>url</link>; Atom: <link href="url"/>. Plain link never overrides g:link.
            row.setdefault("link", text or child.get("href", ""))
        elif name in ("title", "description"):
            row.setdefault(name, text)
        elif name == "summary":
            row.setdefault("description", text)
        elif name == "id":
            row.setdefault("atom_id", text)
    if "id" not in row and "atom_id" in row:
        row["id"] = row["atom_id"]
    if extra:
        row["additional_image_link"] = ",".join(extra)
    return row


def iter_xml_rows(stream: IO[bytes], language: str | None = None) -> Iterator[tuple[int, Row]]:
    """(item number, row) for every <item>/<entry>; the channel's language fills the rows'."""
    stack: list[Element] = []
    feed_language = language
    count = 0
    try:
        for event, elem in iterparse(stream, events=("start", "end"), forbid_dtd=True):
            if event == "start":
                stack.append(elem)
                if feed_language is None and elem.get(_XML_LANG):
                    feed_language = elem.get(_XML_LANG)
                continue
            stack.pop()
            _, name = _local(elem.tag)
            if name == "language" and len(stack) >= 1 and feed_language is None:
                feed_language = (elem.text or "").strip() or None
            if name in _ITEMS:
                count += 1
                row = _row(elem)
                if feed_language and "content_language" not in row:
                    row["content_language"] = feed_language
                yield count, row
                # Drop the finished item from its parent so the tree never grows.
                elem.clear()
                if stack:
                    stack[-1].remove(elem)
    except DefusedXmlException as exc:
        raise refuse("feed_xml_unsafe", kind=FeedError, reason=type(exc).__name__) from None
    except ParseError as exc:
        raise refuse("feed_xml_malformed", kind=FeedError, reason=str(exc)) from None
