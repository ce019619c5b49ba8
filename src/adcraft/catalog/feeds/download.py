"""Download a feed from an http(s) URL into a file, through the image fetcher's SSRF checks.

The same rules as product images (public addresses only, the checked address pinned, every
redirect checked), but the body is streamed to disk, not memory, and may be text: a feed is
XML, CSV or TSV, and can be gigabytes.
"""

from __future__ import annotations

import http.client
import ipaddress
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from adcraft.catalog.settings import fetch_allow_addresses
from adcraft.errors import FeedError
from adcraft.imagery.fetch import _check, _PinnedHTTPS, display_url, system_resolver
from adcraft.problem_codes import refuse

MAX_FEED_BYTES = 4 * 2**30
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHUNK = 1 << 20


def download_feed(
    url: str,
    dest: Path,
    *,
    max_bytes: int = MAX_FEED_BYTES,
    timeout_s: float = 30.0,
    total_s: float = 3600.0,
    max_redirects: int = 3,
) -> int:
    """Stream ``url`` into ``dest``; the number of bytes written."""
    allow = {ipaddress.ip_address(a) for a in fetch_allow_addresses()}
    deadline = time.monotonic() + total_s
    current = url
    for _ in range(max_redirects + 1):
        target = _check(current, system_resolver, allow)
        parts = urlsplit(current)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        conn: http.client.HTTPConnection
        if target.scheme == "https":
            conn = _PinnedHTTPS(target.ip, target.port, target.host, timeout_s)
        else:
            conn = http.client.HTTPConnection(target.ip, target.port, timeout=timeout_s)
        shown = display_url(current)
        try:
            conn.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
            conn.putheader("Host", target.host_header)
            conn.putheader("User-Agent", "adcraft/0.1 (product feed fetch)")
            conn.putheader("Accept-Encoding", "identity")
            conn.endheaders()
            resp = conn.getresponse()
            if resp.status in _REDIRECTS:
                location = resp.getheader("Location")
                if not location:
                    raise refuse(
                        "feed_url_no_location", kind=FeedError, url=shown, status=resp.status
                    )
                current = urljoin(current, location)
                continue
            if not 200 <= resp.status < 300:
                raise refuse("feed_url_http_error", kind=FeedError, url=shown, status=resp.status)
            size = 0
            tmp = dest.with_name(f".{dest.name}.part")
            with tmp.open("wb") as f:
                while chunk := resp.read1(_CHUNK):
                    size += len(chunk)
                    if size > max_bytes:
                        raise refuse(
                            "feed_url_too_big",
                            kind=FeedError,
                            url=shown,
                            max_gib=f"{max_bytes / 2**30:.0f}",
                        )
                    if time.monotonic() > deadline:
                        raise refuse("feed_url_timeout", kind=FeedError, url=shown)
                    f.write(chunk)
            tmp.replace(dest)
            return size
        except (OSError, http.client.HTTPException) as exc:
            raise refuse("feed_url_failed", kind=FeedError, url=shown, reason=str(exc)) from exc
        finally:
            conn.close()
            dest.with_name(f".{dest.name}.part").unlink(missing_ok=True)
    raise refuse(
        "feed_url_too_many_redirects", kind=FeedError, url=display_url(url), max=max_redirects
    )
