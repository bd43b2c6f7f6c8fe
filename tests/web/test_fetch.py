"""URL fetching: http(s) and public addresses only, after every redirect; size and type limits.

Nothing here touches the network: a table stands in for DNS and a mock transport for the web.
"""

from __future__ import annotations

import httpx
import pytest

from sourcetrace import errors
from sourcetrace.errors import InputError
from sourcetrace.web.fetch import fetch_page, is_public

PUBLIC_IP = "93.184.216.34"
DNS = {
    "news.example": [PUBLIC_IP],
    "intranet.example": ["10.0.0.5"],
    "mixed.example": [PUBLIC_IP, "127.0.0.1"],
}


def resolve(host: str, port: int) -> list[str]:
    if host in DNS:
        return DNS[host]
    if host.replace(".", "").isdigit() or ":" in host:
        return [host]
    raise OSError("no such host")


def transport(routes: dict[str, httpx.Response], seen: list[httpx.Request]) -> httpx.MockTransport:
    """Answers by the Host header and path; records every request."""

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return routes[request.headers["host"] + request.url.path]

    return httpx.MockTransport(handle)


def fetch(
    url: str, routes: dict[str, httpx.Response], max_bytes: int = 10_000
) -> list[httpx.Request]:
    seen: list[httpx.Request] = []
    fetch_page(
        url, max_bytes=max_bytes, timeout=5, resolve=resolve, transport=transport(routes, seen)
    )
    return seen


@pytest.mark.parametrize(
    ("address", "public"),
    [
        (PUBLIC_IP, True),
        ("2606:4700::1111", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("240.0.0.1", False),
        ("::1", False),
        ("fe80::1%eth0", False),
        ("fc00::1", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:93.184.216.34", True),
    ],
)
def test_only_global_unicast_addresses_are_public(address: str, public: bool) -> None:
    assert is_public(address) is public


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://news.example/a", errors.URL_SCHEME),
        ("file:///etc/passwd", errors.URL_SCHEME),
        ("http://127.0.0.1:8000/", errors.URL_NOT_PUBLIC),
        ("http://[::1]/", errors.URL_NOT_PUBLIC),
        ("http://169.254.169.254/latest/meta-data", errors.URL_NOT_PUBLIC),
        ("http://intranet.example/", errors.URL_NOT_PUBLIC),
        ("http://mixed.example/", errors.URL_NOT_PUBLIC),
        ("http://nowhere.example/", errors.URL_UNRESOLVED),
    ],
)
def test_refused_urls_are_never_requested(url: str, reason: str) -> None:
    seen: list[httpx.Request] = []
    with pytest.raises(InputError) as refused:
        fetch_page(url, max_bytes=1000, timeout=5, resolve=resolve, transport=transport({}, seen))
    assert refused.value.reason == reason
    assert seen == []


@pytest.mark.parametrize(
    "location",
    [
        "http://127.0.0.1/admin",
        "http://intranet.example/",
        "http://[::1]:8080/",
        "file:///etc/passwd",
    ],
)
def test_a_redirect_to_a_private_address_is_refused(location: str) -> None:
    routes = {"news.example/story": httpx.Response(302, headers={"location": location})}
    with pytest.raises(InputError) as refused:
        fetch("http://news.example/story", routes)
    assert refused.value.reason in (errors.URL_NOT_PUBLIC, errors.URL_SCHEME)


def test_the_connection_goes_to_the_checked_address_with_the_name_as_host() -> None:
    page = httpx.Response(200, headers={"content-type": "text/html"}, text="<p>hello</p>")
    seen = fetch("http://news.example/story", {"news.example/story": page})
    assert [(r.url.host, r.headers["host"]) for r in seen] == [(PUBLIC_IP, "news.example")]


def test_redirects_are_followed_to_a_public_page() -> None:
    routes = {
        "news.example/old": httpx.Response(301, headers={"location": "/new"}),
        "news.example/new": httpx.Response(200, headers={"content-type": "text/plain"}, text="hi"),
    }
    seen: list[httpx.Request] = []
    page = fetch_page(
        "http://news.example/old",
        max_bytes=100,
        timeout=5,
        resolve=resolve,
        transport=transport(routes, seen),
    )
    assert (page.url, page.body, page.is_html) == ("http://news.example/new", b"hi", False)


@pytest.mark.parametrize(
    ("response", "reason_start"),
    [
        (
            httpx.Response(200, headers={"content-type": "text/html"}, content=b"x" * 5000),
            "larger than",
        ),
        (
            httpx.Response(200, headers={"content-type": "application/pdf"}, content=b"%PDF"),
            errors.NOT_A_PAGE,
        ),
        (
            httpx.Response(404, headers={"content-type": "text/html"}),
            errors.fetch_failed("HTTP 404"),
        ),
        (httpx.Response(302, headers={"location": "/loop"}), errors.TOO_MANY_REDIRECTS),
    ],
)
def test_bad_downloads_are_refused_with_a_reason(
    response: httpx.Response, reason_start: str
) -> None:
    routes = {"news.example/loop": response}
    with pytest.raises(InputError) as refused:
        fetch("http://news.example/loop", routes, max_bytes=1000)
    assert refused.value.reason.startswith(reason_start)
