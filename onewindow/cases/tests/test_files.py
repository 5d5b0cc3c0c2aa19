"""Uploaded files: type whitelist, size limit, storage path."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from onewindow.cases import services
from onewindow.cases.models import MAX_FILE_SIZE, CaseFile
from onewindow.cases.tests.conftest import intake, item
from onewindow.core.errors import PermissionDenied, ValidationFailed


class BigFile(SimpleUploadedFile):
    @property
    def size(self) -> int:  # type: ignore[override]
        return MAX_FILE_SIZE + 1

    @size.setter
    def size(self, value: int) -> None:
        pass


@pytest.mark.django_db
def test_file_rules(cx: Any, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    case = intake(cx, item(cx))
    clerk = cx.user("clerk")
    row = services.case_file_add(
        case=case, actor=clerk, file=SimpleUploadedFile("申请书.pdf", b"%PDF-1.4 test")
    )
    assert row.file.name == f"cases/{case.number}/申请书.pdf"
    assert (tmp_path / row.file.name).exists() and row.size == 13
    with pytest.raises(ValidationFailed):
        services.case_file_add(case=case, actor=clerk, file=SimpleUploadedFile("virus.exe", b"MZ"))
    with pytest.raises(ValidationFailed):
        services.case_file_add(case=case, actor=clerk, file=SimpleUploadedFile("empty.pdf", b""))
    with pytest.raises(ValidationFailed):
        services.case_file_add(case=case, actor=clerk, file=BigFile("big.pdf", b"x"))
    with pytest.raises(PermissionDenied):
        services.case_file_add(case=case, actor=cx.user("auditor"), file=SimpleUploadedFile("a.pdf", b"x"))
    with pytest.raises(PermissionDenied):
        services.case_file_add(
            case=case, actor=cx.user("sw-reviewer"), file=SimpleUploadedFile("a.pdf", b"x")
        )
    assert CaseFile.objects.count() == 1
