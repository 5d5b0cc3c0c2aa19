from __future__ import annotations

import pytest

from onewindow.org.checks import no_superusers
from onewindow.org.models import User


@pytest.mark.django_db
def test_no_superuser_no_error(org):
    assert no_superusers() == []


@pytest.mark.django_db
def test_an_active_superuser_is_an_error_with_a_hint():
    User.objects.create_superuser("root", password="x-very-long-password")
    messages = no_superusers()
    assert len(messages) == 1
    error = messages[0]
    assert error.id == "org.E001"
    assert error.is_serious()
    assert "root" in error.msg
    assert "create_admins" in error.hint


@pytest.mark.django_db
def test_an_inactive_superuser_is_tolerated():
    User.objects.create_superuser("root", password="x-very-long-password", is_active=False)
    assert no_superusers() == []


@pytest.mark.django_db
def test_the_check_is_registered():
    from django.core import checks

    User.objects.create_superuser("root", password="x-very-long-password")
    assert "org.E001" in {m.id for m in checks.run_checks(tags=["onewindow"])}
