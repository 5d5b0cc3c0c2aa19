"""The shared case links (onewindow.cases.links) are the staff pages' own URLs."""

from __future__ import annotations

from django.urls import reverse

from onewindow.cases.links import staff_notice_path


def test_the_notice_link_is_the_staff_notice_url() -> None:
    for case_number, notice_number in (("110100-2026-000001", "SL-2026-000001"), ("R20260301ABC", "N1")):
        assert staff_notice_path(case_number, notice_number) == reverse(
            "web:case_notice", args=[case_number, notice_number]
        )
