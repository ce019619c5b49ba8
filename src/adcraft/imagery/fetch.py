"""Download a product image over http(s) without letting a URL reach private networks (SSRF).

Every hop is checked before anything is sent: the scheme is http or https, the URL has no user
name or password, and every address the host resolves to is a public unicast address. The
connection then goes to the checked address itself (the Host header and TLS SNI carry the
name), so a second DNS answer cannot swap in another address. Redirects are followed by hand
and each target is checked the same way; the body is streamed with a byte counter, whatever
Content-Length claims.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from adcraft.errors import ImageInputError, ImageTooLarge, UnsafeURL
from adcraft.problem_codes import refuse

Resolver = Callable[[str, int], Sequence[str]]
"""(host, port) -> IP address strings, like ``socket.getaddrinfo`` but only the addresses."""

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

DEFAULT_MAX_BYTES = 40 * 2**20
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024
_USER_AGENT = "adcraft/0.1 (product image fetch)"
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def display_url(url: str, limit: int = 100) -> str:
    """The URL without query, fragment or credentials, shortened: safe to show in messages."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        host = f"[{host}]" if ":" in host else host
        shown = f"{parts.scheme}://{host}{parts.path}" if parts.scheme else url
    except ValueError:
        shown = url
    return shown if len(shown) <= limit else shown[: limit - 3] + "..."


def system_resolver(host: str, port: int) -> list[str]:
    """All addresses the system resolver gives for ``host``."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def is_public_address(ip: IPAddress) -> bool:
    """True only for a global unicast address, looking through IPv4-in-IPv6 forms."""
    if isinstance(ip, ipaddress.IPv6Address):
        # An IPv6 form that carries an IPv4 address reaches that IPv4 host: judge that one.
        embedded = ip.ipv4_mapped or (ip.sixtofour if ip.sixtofour else None)
        if embedded is None and ip.teredo:
            embedded = ip.teredo[1]
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            return is_public_address(embedded)
    if isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT:
        return False
    return ip.is_global and not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


class _PinnedHTTPS(http.client.HTTPSConnection):
    """HTTPS to a fixed IP address, with SNI and certificate checks for the original name."""

    def __init__(self, ip: str, port: int, server_name: str, timeout: float) -> None:
        super().__init__(ip, port, timeout=timeout, context=ssl.create_default_context())
        self._server_name = server_name

    def connect(self) -> None:
        """Open TCP to the checked address, then TLS for the host name."""
        http.client.HTTPConnection.connect(self)
        self.sock = self._context.wrap_socket(self.sock, server_hostname=self._server_name)  # type: ignore[attr-defined]


def fetch_url(
    url: str,
    *,
    timeout_s: float = 5.0,
    total_s: float = 20.0,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_redirects: int = 3,
    resolver: Resolver | None = None,
    allow_addresses: Collection[str] = (),
) -> bytes:
    """The body of an http(s) URL that resolves to public addresses only.

    ``timeout_s`` bounds each connect and read, ``total_s`` the whole download.
    ``resolver`` replaces DNS (tests). ``allow_addresses`` exempts exact IP addresses from the
    public-address rule; it exists so tests can talk to a server on 127.0.0.1 and must never
    be filled from user input.
    """
    resolve = resolver or system_resolver
    allowed = {ipaddress.ip_address(a) for a in allow_addresses}
    deadline = time.monotonic() + total_s
    current = url
    for _hop in range(max_redirects + 1):
        target = _check(current, resolve, allowed)
        status, location, body = _request(current, target, timeout_s, deadline, max_bytes)
        if status not in _REDIRECTS:
            return body
        if not location:
            raise refuse(
                "image_url_no_location",
                kind=ImageInputError,
                url=display_url(current),
                status=status,
            )
        current = urljoin(current, location)
    raise refuse(
        "image_url_too_many_redirects",
        kind=ImageInputError,
        url=display_url(url),
        max=max_redirects,
    )


@dataclass(frozen=True)
class _Target:
    """A checked hop: the address to connect to and the names to present."""

    scheme: str
    ip: str
    port: int
    host: str
    host_header: str


def _check(url: str, resolve: Resolver, allowed: set[IPAddress]) -> _Target:
    """Refuse a URL whose scheme, credentials or addresses are unsafe."""
    shown = display_url(url)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise refuse("image_url_invalid", kind=UnsafeURL, url=shown, reason=str(exc)) from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise refuse("image_url_scheme", kind=UnsafeURL, scheme=scheme or "none")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise refuse("image_url_credentials", kind=UnsafeURL, url=shown)
    host = parts.hostname
    if not host:
        raise refuse("image_url_no_host", kind=UnsafeURL, url=shown)
    port = port or (443 if scheme == "https" else 80)
    try:
        literal: IPAddress | None = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        addresses = [host]
    else:
        try:
            addresses = list(resolve(host, port))
        except (OSError, UnicodeError) as exc:
            raise refuse(
                "image_url_unresolved",
                kind=ImageInputError,
                host=host,
                url=shown,
                reason=str(exc),
            ) from exc
    if not addresses:
        raise refuse("image_url_no_address", kind=ImageInputError, host=host, url=shown)
    checked: list[IPAddress] = []
    for text in addresses:
        try:
            ip = ipaddress.ip_address(text)
        except ValueError as exc:
            raise UnsafeURL(f"host {host!r} resolved to an unusable address {text!r}") from exc
        # Any non-public answer refuses the URL, so a mixed DNS answer cannot slip through.
        if ip not in allowed and not is_public_address(ip):
            raise refuse("image_url_not_public", kind=UnsafeURL, url=shown, address=str(ip))
        checked.append(ip)
    name = f"[{host}]" if ":" in host else host
    default = 443 if scheme == "https" else 80
    header = name if port == default else f"{name}:{port}"
    return _Target(scheme, str(checked[0]), port, host, header)


def _request(
    url: str, target: _Target, timeout_s: float, deadline: float, max_bytes: int
) -> tuple[int, str | None, bytes]:
    """One GET to the checked address: (status, Location, body of a 2xx answer)."""
    shown = display_url(url)
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    timeout = max(0.01, min(timeout_s, deadline - time.monotonic()))
    conn: http.client.HTTPConnection
    if target.scheme == "https":
        conn = _PinnedHTTPS(target.ip, target.port, target.host, timeout)
    else:
        conn = http.client.HTTPConnection(target.ip, target.port, timeout=timeout)
    try:
        conn.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
        for key, value in (
            ("Host", target.host_header),
            ("User-Agent", _USER_AGENT),
            ("Accept", "image/*"),
            ("Accept-Encoding", "identity"),
            ("Connection", "close"),
        ):
            conn.putheader(key, value)
        conn.endheaders()
        # Keep the socket: the connection lets go of it once the response owns the stream.
        sock = conn.sock
        resp = conn.getresponse()
        if resp.status in _REDIRECTS:
            return resp.status, resp.getheader("Location"), b""
        if not 200 <= resp.status < 300:
            raise refuse(
                "image_url_http_error",
                kind=ImageInputError,
                url=shown,
                status=resp.status,
                reason=resp.reason,
            )
        kind = (resp.getheader("Content-Type") or "").lower()
        if kind.startswith("text/"):
            raise refuse(
                "image_url_web_page",
                kind=ImageInputError,
                url=shown,
                content_type=kind.split(";")[0],
            )
        declared = resp.getheader("Content-Length")
        if declared and declared.isdigit() and int(declared) > max_bytes:
            raise refuse(
                "image_url_too_big",
                kind=ImageTooLarge,
                url=shown,
                mib=f"{int(declared) / 2**20:.1f}",
                max_mib=f"{max_bytes / 2**20:.0f}",
            )
        return resp.status, None, _read_body(sock, resp, shown, timeout_s, deadline, max_bytes)
    except TimeoutError as exc:
        raise refuse("image_url_timeout", kind=ImageInputError, url=shown) from exc
    except ssl.SSLError as exc:
        raise refuse(
            "image_url_tls_failed", kind=ImageInputError, url=shown, reason=str(exc.reason)
        ) from exc
    except (http.client.InvalidURL, ValueError) as exc:  # e.g. control characters in the path
        raise refuse("image_url_invalid", kind=UnsafeURL, url=shown, reason=str(exc)) from exc
    except (OSError, http.client.HTTPException) as exc:
        reason = str(exc) or type(exc).__name__
        raise refuse("image_url_failed", kind=ImageInputError, url=shown, reason=reason) from exc
    finally:
        conn.close()


def _read_body(
    sock: socket.socket | None,
    resp: http.client.HTTPResponse,
    shown: str,
    timeout_s: float,
    deadline: float,
    max_bytes: int,
) -> bytes:
    """Stream the body, stopping at the byte cap or the overall deadline."""
    chunks: list[bytes] = []
    size = 0
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError
        if sock is not None:
            sock.settimeout(min(timeout_s, left))
        chunk = resp.read1(_CHUNK)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > max_bytes:
            raise refuse(
                "image_url_sends_too_much",
                kind=ImageTooLarge,
                url=shown,
                max_mib=f"{max_bytes / 2**20:.0f}",
            )
        chunks.append(chunk)
