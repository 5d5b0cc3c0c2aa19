"""Create the three separate administrator accounts of a production install (三员分立).

    python manage.py create_admins --system-admin sysadmin --security-admin secadmin --auditor auditor
    python manage.py create_admins --password-file /root/admins.txt   # three lines, in that order

Use this instead of `createsuperuser`: a superuser holds every right, which the separation of
the system, security and audit administrators forbids (system check org.E001).
"""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from onewindow.core.errors import DomainError
from onewindow.org.models import User
from onewindow.org.selectors import center_by_code
from onewindow.org.services import org_sync_roles, user_create

ADMINS = (
    ("system_admin", "system_admin", "System administrator (系统管理员)"),
    ("security_admin", "security_admin", "Security administrator (安全管理员)"),
    ("auditor", "auditor", "Audit administrator (审计管理员)"),
)


class Command(BaseCommand):
    help = (
        "Create the system, security and audit administrator accounts (三员分立), each with its own "
        "password. Never use createsuperuser."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--system-admin", default="sysadmin", help="Username of the system administrator."
        )
        parser.add_argument(
            "--security-admin", default="secadmin", help="Username of the security administrator."
        )
        parser.add_argument("--auditor", default="auditor", help="Username of the audit administrator.")
        parser.add_argument(
            "--center",
            default="",
            help="Code of the center they administer. Unset: deployment-level administrators (every center).",
        )
        parser.add_argument(
            "--password-file",
            default="",
            help="A file with three lines: the passwords of the system, security and audit administrators, "
            "in that order. Unset: the passwords are asked for.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        usernames = [
            options["system_admin"].strip(),
            options["security_admin"].strip(),
            options["auditor"].strip(),
        ]
        if len(set(usernames)) != 3 or not all(usernames):
            raise CommandError("The three administrators need three different usernames.")
        taken = sorted(User.objects.filter(username__in=usernames).values_list("username", flat=True))
        if taken:
            raise CommandError(f"These usernames exist already: {', '.join(taken)}.")
        center = None
        if options["center"]:
            center = center_by_code(options["center"])
            if center is None:
                raise CommandError(f"There is no center with the code {options['center']!r}.")
        passwords = self._passwords(options["password_file"], usernames)
        if len(set(passwords)) != 3:
            raise CommandError(
                "Each administrator needs a different password: they are three different people."
            )

        org_sync_roles()
        try:
            with transaction.atomic():
                for (role, _code, label), username, password in zip(
                    ADMINS, usernames, passwords, strict=True
                ):
                    user_create(
                        username=username,
                        password=password,
                        full_name=label,
                        center=center,
                        roles=[role],
                        data_scope=User.Scope.CENTER,
                        actor=None,
                    )
        except DomainError as exc:
            details = exc.details if isinstance(exc.details, dict) else {}
            lines = [f"  {field}: {' '.join(str(m) for m in msgs)}" for field, msgs in details.items()]
            raise CommandError("\n".join([exc.message, *lines])) from exc
        for (_role, _code, label), username in zip(ADMINS, usernames, strict=True):
            self.stdout.write(f"created {username}: {label}")
        self.stdout.write(
            self.style.SUCCESS("The three administrators exist. Give each password to its own person.")
        )

    def _passwords(self, password_file: str, usernames: list[str]) -> list[str]:
        if password_file:
            try:
                lines = [
                    line.rstrip("\r\n")
                    for line in Path(password_file).read_text(encoding="utf-8").splitlines()
                ]
            except OSError as exc:
                raise CommandError(f"Cannot read the password file: {exc}") from exc
            lines = [line for line in lines if line.strip()]
            if len(lines) != 3:
                raise CommandError(
                    "The password file must have exactly three non-empty lines: the system, security and "
                    "audit administrators' passwords, in that order."
                )
            return lines
        passwords = []
        for (_role, _code, label), username in zip(ADMINS, usernames, strict=True):
            first = getpass.getpass(f"Password for {username} ({label}): ")
            second = getpass.getpass(f"Password for {username} (again): ")
            if first != second:
                raise CommandError(f"The two passwords for {username} differ.")
            passwords.append(first)
        return passwords
