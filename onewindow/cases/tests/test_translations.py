"""The cases catalog is translated into Simplified Chinese."""

from __future__ import annotations

from django.utils import translation

from onewindow.cases.models import Case, Status


def test_labels_and_messages_in_chinese() -> None:
    with translation.override("zh-hans"):
        assert str(Status.ACCEPTED.label) == "已受理"
        assert str(Status.SUSPENDED.label) == "特别程序"
        assert str(Case._meta.verbose_name) == "办件"
        assert translation.gettext("No such case.") == "办件不存在。"
