"""Fetching an article page for the web app: http(s), public addresses only, bounded.

A URL from a visitor must not make the server reach into its own network (server-side
request forgery). So, for the URL and again for every redirect:

1. only ``http`` and ``https`` are taken;
2. the host name is resolved here, and the URL is refused unless every address it resolves
   to is public (not loopback, private, link-local, shared, reserved, multicast or
   unspecified; an IPv4-mapped IPv6 address is judged as the IPv4 address);
3. the connection goes to the address checked, not to a second lookup of the name (the
   name still goes in the ``Host`` header and, for https, in the TLS server name, so
   certificates are checked against it), so a name that resolves differently the second
   time cannot slip through;
4. proxies from the environment are ignored (a proxy would make the check meaningless).

The download stops at ``max_bytes`` and at ``timeout`` seconds in all; only HTML and plain
text are read. Every refusal is an ``InputError`` naming the URL, with a reason from
``errors``.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin

import httpx

from .. import __version__, errors
from ..errors import InputError

Resolver = Callable[[str, int], list[str]]
"""Returns the IP addresses of a host name (``socket.getaddrinfo`` in production)."""

MAX_REDIRECTS = 5
"""Redirects followed before giving up; news sites rarely chain more than two (http to
https, then a canonical path)."""

PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
"""Content types read; anything else (PDF, images, JSON) is refused."""

USER_AGENT = f"sourcetrace/{__version__} (+article sourcing analysis)"

_SCHEMES = ("http", "https")
_CHUNK = 64 * 1024


@dataclass(frozen=True, slots=True)
class Page:
    """A downloaded page.

    Attributes:
        url: the URL it was finally read from (after redirects).
        content_type: its media type, lower case, without parameters.
        body: its bytes, at most the size limit.
    """

    url: str
    content_type: str
    body: bytes

    @property
    def is_html(self) -> bool:
        """Whether the page is HTML (else plain text)."""
        return self.content_type != "text/plain"


def system_resolver(host: str, port: int) -> list[str]:
    """Return every address ``host`` resolves to, through the system resolver."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def is_public(address: str) -> bool:
    """Whether an IP address may be fetched from: a global unicast address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone ("fe80::1%eth0")
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    blocked = (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
    )
    return ip.is_global and not blocked


def check_url(url: str, resolve: Resolver = system_resolver) -> tuple[httpx.URL, str]:
    """Refuse a URL that is not http(s) or whose host is not public.

    Args:
        url: the URL to check.
        resolve: the resolver (tests pass a table).

    Returns:
        The parsed URL and the public address to connect to.

    Raises:
        InputError: the scheme, host or address is refused.
    """
    try:
        parsed = httpx.URL(url.strip())
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise InputError(url, errors.fetch_failed(f"invalid URL: {exc}")) from exc
    if parsed.scheme not in _SCHEMES:
        raise InputError(url, errors.URL_SCHEME)
    if not parsed.host:
        raise InputError(url, errors.URL_NO_HOST)
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        addresses = resolve(parsed.host, port)
    except (OSError, UnicodeError) as exc:
        raise InputError(url, errors.URL_UNRESOLVED) from exc
    if not addresses:
        raise InputError(url, errors.URL_UNRESOLVED)
    if not all(is_public(address) for address in addresses):
        raise InputError(url, errors.URL_NOT_PUBLIC)
    return parsed, addresses[0]


def fetch_page(
    url: str,
    *,
    max_bytes: int,
    timeout: float,
    resolve: Resolver = system_resolver,
    transport: httpx.BaseTransport | None = None,
) -> Page:
    """Download one page from a public http(s) address.

    Args:
        url: the page's URL.
        max_bytes: refuse a page larger than this.
        timeout: seconds the whole download may take, redirects included.
        resolve: the resolver (tests pass a table).
        transport: the HTTP transport (tests pass a mock one); None uses the network.

    Returns:
        The page.

    Raises:
        InputError: the URL, an address, a redirect, the size, the type or the download
            is refused or failed.
    """
    deadline = time.monotonic() + timeout
    with httpx.Client(
        timeout=timeout, follow_redirects=False, trust_env=False, transport=transport
    ) as client:
        for _ in range(MAX_REDIRECTS + 1):
            try:
                page_or_next = _get_once(client, url, max_bytes, deadline, resolve)
            except httpx.TimeoutException as exc:
                raise InputError(url, errors.FETCH_TIMEOUT) from exc
            except httpx.HTTPError as exc:
                raise InputError(url, errors.fetch_failed(type(exc).__name__)) from exc
            if isinstance(page_or_next, Page):
                return page_or_next
            url = page_or_next
    raise InputError(url, errors.TOO_MANY_REDIRECTS)


def _get_once(
    client: httpx.Client, url: str, max_bytes: int, deadline: float, resolve: Resolver
) -> Page | str:
    """One request to a checked address: the page, or the URL a redirect points to."""
    parsed, address = check_url(url, resolve)
    pinned = parsed.copy_with(host=address)
    host_header = parsed.host if parsed.port is None else f"{parsed.host}:{parsed.port}"
    extensions = {"sni_hostname": parsed.host} if parsed.scheme == "https" else {}
    headers = {"Host": host_header, "User-Agent": USER_AGENT, "Accept": ", ".join(PAGE_TYPES)}
    with client.stream("GET", pinned, headers=headers, extensions=extensions) as response:
        if response.is_redirect and "location" in response.headers:
            return urljoin(str(parsed), response.headers["location"])
        if response.status_code >= 400:
            raise InputError(url, errors.fetch_failed(f"HTTP {response.status_code}"))
        content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type not in PAGE_TYPES:
            raise InputError(url, errors.NOT_A_PAGE)
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise InputError(url, errors.too_large(max_bytes))
        body = bytearray()
        for chunk in response.iter_bytes(_CHUNK):
            body += chunk
            if len(body) > max_bytes:
                raise InputError(url, errors.too_large(max_bytes))
            if time.monotonic() > deadline:
                raise InputError(url, errors.FETCH_TIMEOUT)
        return Page(str(parsed), content_type, bytes(body))
