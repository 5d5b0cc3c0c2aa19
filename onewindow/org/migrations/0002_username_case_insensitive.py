# Usernames are unique whatever their case (issue 11, §1.9).

from typing import Any

import django.db.models.functions.text
from django.db import migrations, models

import onewindow.org.models


def refuse_case_duplicates(apps: Any, schema_editor: Any) -> None:
    """Stop with a clear message (instead of an IntegrityError) when two accounts differ only in
    case: rename one of them, then migrate again."""
    User = apps.get_model("org", "User")
    seen: dict[str, str] = {}
    clashes: list[str] = []
    for username in User.objects.values_list("username", flat=True).order_by("pk").iterator():
        key = username.lower()
        if key in seen:
            clashes.append(f"{seen[key]} / {username}")
        else:
            seen[key] = username
    if clashes:
        raise RuntimeError(
            "These accounts differ only in upper and lower case; rename one of each pair, then "
            "migrate again: " + ", ".join(clashes)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("org", "0001_organisation"),
    ]

    operations = [
        migrations.RunPython(refuse_case_duplicates, migrations.RunPython.noop, elidable=True),
        migrations.AlterModelManagers(
            name="user",
            managers=[
                ("objects", onewindow.org.models.StaffUserManager()),
            ],
        ),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("username"),
                name="org_user_username_ci_unique",
                violation_error_message=(
                    "An account with this username already exists (usernames ignore upper and lower case)."
                ),
            ),
        ),
    ]
