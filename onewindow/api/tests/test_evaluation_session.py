"""The public evaluation endpoint reads a staff session on the API's own middleware chain."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import RequestFactory

from onewindow.api.evaluations import _public_caller
from onewindow.core.errors import PermissionDenied

pytestmark = pytest.mark.django_db
PUBLIC = "/api/v1/public/evaluations"


def test_a_staff_session_is_refused_on_the_api_chain_too(client: Any, org: Any) -> None:
    """The API's own middleware chain reads no session (conf/wsgi.py): the endpoint reads the
    cookie itself, only to refuse."""
    client.force_login(org.user("clerk"))
    cookie = client.cookies["sessionid"].value
    request = RequestFactory().post(PUBLIC, HTTP_COOKIE=f"sessionid={cookie}")
    assert not hasattr(request, "user")
    with pytest.raises(PermissionDenied) as refused:
        _public_caller(request)
    assert refused.value.code == "staff_cannot_evaluate"
    anonymous = RequestFactory().post(PUBLIC, HTTP_COOKIE="sessionid=nonsense")
    assert _public_caller(anonymous) is None
