"""Download names in ``Content-Disposition``, safe for any file name a user uploaded."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

_UNSAFE_ASCII = re.compile(r"[^A-Za-z0-9 ._()\[\]+-]+")


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """``Content-Disposition`` per RFC 6266: an ASCII ``filename`` every client understands
    (accents stripped, anything else replaced) and the exact name as UTF-8 in ``filename*``.

    A raw name in the header broke every link to a Cyrillic or CJK file (the header must be
    Latin-1) and let a ``"`` in the name add parameters of its own.
    """
    name = "".join(ch for ch in filename if unicodedata.category(ch)[0] != "C").strip()
    name = name.replace("/", "_").replace("\\", "_") or "download"
    stem, dot, ext = name.rpartition(".")
    if not (dot and stem and ext.isascii() and ext.isalnum() and len(ext) <= 10):
        stem, ext = name, ""
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    ascii_stem = _UNSAFE_ASCII.sub("_", ascii_stem).strip(" ._") or "download"
    ascii_name = f"{ascii_stem}.{ext}" if ext else ascii_stem
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"
