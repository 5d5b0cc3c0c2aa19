from __future__ import annotations

import ipaddress
from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from onewindow.core import context

_Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[_Network, ...]:
    # Cached by the setting's value (not per process state): parsing the list on every request
    # would be wasted work, and a changed setting (tests) is a new key.
    return tuple(ipaddress.ip_network(proxy.strip(), strict=False) for proxy in proxies if proxy.strip())


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "203.0.113.7:51234"
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address, networks: tuple[_Network, ...]) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return any(address.version == network.version and address in network for network in networks)


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, unless that peer is one of settings.TRUSTED_PROXIES;
    then the right-most address of the proxy header (TRUSTED_PROXY_HEADER, X-Forwarded-For)
    that is not a trusted proxy. A header sent by any other peer is ignored (it could be
    forged), and a malformed one falls back to the nearest valid address."""
    remote = (request.META.get("REMOTE_ADDR") or "").strip()
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))
    peer = _address(remote)
    if not networks or peer is None or not _trusted(peer, networks):
        return remote[:45]
    header = "HTTP_" + str(getattr(settings, "TRUSTED_PROXY_HEADER", "X-Forwarded-For")).upper().replace(
        "-", "_"
    )
    found = peer
    for part in reversed(str(request.META.get(header) or "").split(",")):
        address = _address(part)
        if address is None:
            break  # a malformed hop: trust nothing further left
        found = address
        if not _trusted(address, networks):
            break
    return str(found)[:45]


class RequestContextMiddleware:
    """Records the acting user and address so that audit entries say who and from where."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        authenticated = bool(user and user.is_authenticated)
        token = context.set_current(
            context.RequestContext(
                user_id=user.pk if authenticated and user else None,
                username=user.get_username() if authenticated and user else "",
                ip=client_ip(request),
                channel="web",
            )
        )
        try:
            return self.get_response(request)
        finally:
            context.reset(token)
