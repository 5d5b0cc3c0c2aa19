"""The favicon: linked from the staff and portal pages, and served at /favicon.ico."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse


def test_favicon_ico_is_served_at_the_root(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO header
    assert "max-age" in response["Cache-Control"]
    assert client.post("/favicon.ico").status_code == 405


def test_the_vendored_icons_are_static_files():
    for name in ("web/img/favicon.svg", "web/img/favicon.ico"):
        assert finders.find(name), name


@pytest.mark.django_db
def test_staff_and_portal_pages_link_the_icon(client):
    for url in (reverse("web:login"), reverse("portal:home")):
        body = client.get(url).content.decode()
        assert 'rel="icon" href="/static/web/img/favicon.svg"' in body, url
