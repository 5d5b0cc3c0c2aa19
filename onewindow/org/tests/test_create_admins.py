from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from onewindow.core.models import AuditEntry
from onewindow.org.models import Center, User

STRONG = ["Blue-harbor-2026!x", "Green-field-2026!y", "Red-canyon-2026!z"]  # no username inside


def write(tmp_path, lines):
    path = tmp_path / "passwords.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


@pytest.mark.django_db
def test_creates_three_separate_administrators(tmp_path):
    out = io.StringIO()
    call_command(
        "create_admins",
        "--system-admin=sys",
        "--security-admin=sec",
        "--auditor=aud",
        f"--password-file={write(tmp_path, STRONG)}",
        stdout=out,
    )
    users = {u.username: u for u in User.objects.filter(username__in=["sys", "sec", "aud"])}
    assert set(users) == {"sys", "sec", "aud"}
    assert [g.name for g in users["sys"].groups.all()] == ["system_admin"]
    assert [g.name for g in users["sec"].groups.all()] == ["security_admin"]
    assert [g.name for g in users["aud"].groups.all()] == ["auditor"]
    for user, password in zip((users["sys"], users["sec"], users["aud"]), STRONG, strict=True):
        assert user.is_staff and user.is_active and not user.is_superuser
        assert user.check_password(password)
        assert user.center is None
    assert users["sec"].has_perm("org.manage_accounts")
    assert not users["sec"].has_perm("core.view_auditentry")
    assert users["aud"].has_perm("core.view_auditentry")
    assert not users["aud"].has_perm("org.manage_accounts")
    assert AuditEntry.objects.filter(action="user.create").count() == 3
    assert "The three administrators exist" in out.getvalue()


@pytest.mark.django_db
def test_center_option(tmp_path):
    center = Center.objects.create(code="SZ", name="市中心", level="city")
    call_command(
        "create_admins", "--center=sz", f"--password-file={write(tmp_path, STRONG)}", stdout=io.StringIO()
    )
    assert set(User.objects.values_list("center__code", flat=True)) == {"SZ"}
    assert center.staff.count() == 3
    with pytest.raises(CommandError, match="no center"):
        call_command(
            "create_admins", "--center=NOPE", "--system-admin=a", "--security-admin=b", "--auditor=c"
        )


@pytest.mark.django_db
def test_prompts_for_passwords(monkeypatch):
    answers = iter([STRONG[0], STRONG[0], STRONG[1], STRONG[1], STRONG[2], STRONG[2]])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    call_command("create_admins", stdout=io.StringIO())
    assert set(User.objects.values_list("username", flat=True)) == {"sysadmin", "secadmin", "auditor"}


@pytest.mark.django_db
def test_prompt_mismatch_creates_nothing(monkeypatch):
    answers = iter([STRONG[0], "typo"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    with pytest.raises(CommandError, match="differ"):
        call_command("create_admins")
    assert not User.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (STRONG[:2], "exactly three"),
        ([STRONG[0], STRONG[0], STRONG[2]], "different password"),
    ],
)
def test_bad_password_files(tmp_path, lines, message):
    with pytest.raises(CommandError, match=message):
        call_command("create_admins", f"--password-file={write(tmp_path, lines)}")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_a_weak_password_creates_nothing_and_says_why(tmp_path):
    with pytest.raises(CommandError) as info:
        call_command(
            "create_admins", f"--password-file={write(tmp_path, [STRONG[0], STRONG[1], 'password'])}"
        )
    assert "password" in str(info.value)
    assert not User.objects.exists()  # the first two were rolled back too


@pytest.mark.django_db
def test_existing_or_repeated_usernames_are_refused(tmp_path):
    User.objects.create_user("sysadmin", password="whatever-123")
    with pytest.raises(CommandError, match="exist already"):
        call_command("create_admins", f"--password-file={write(tmp_path, STRONG)}")
    with pytest.raises(CommandError, match="three different usernames"):
        call_command("create_admins", "--system-admin=x", "--security-admin=x", "--auditor=y")
