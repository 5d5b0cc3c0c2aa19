"""The first version of each evaluation template (codes.DEFAULT_TEMPLATES), and triggers
refusing UPDATE and DELETE of rectification events (core.append_only, ADR 0024)."""

from django.db import migrations
from django.utils import timezone

from onewindow.core.append_only import append_only_triggers

DEFAULT_TEMPLATES = {
    "offline": (("overall", "整体满意度"), ("efficiency", "服务效率"), ("skill", "服务水平"), ("attitude", "服务态度")),
    "online": (
        ("overall", "整体满意度"),
        ("efficiency", "办事效率"),
        ("guide_accuracy", "办事指南精确度"),
        ("convenience", "办事便捷度"),
        ("usability", "平台操作性"),
    ),
}


def create_templates(apps, schema_editor):  # type: ignore[no-untyped-def]
    template = apps.get_model("feedback", "EvaluationTemplate")
    for kind, indicators in DEFAULT_TEMPLATES.items():
        template.objects.get_or_create(
            kind=kind,
            version=1,
            defaults={
                "indicators": [{"code": code, "label": label} for code, label in indicators],
                "active": True,
                "created_at": timezone.now(),
            },
        )


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial"), ("core", "0004_audit_append_only_triggers")]

    operations = [
        migrations.RunPython(create_templates, migrations.RunPython.noop),
        append_only_triggers("feedback_rectificationevent"),
    ]
