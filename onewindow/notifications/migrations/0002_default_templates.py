"""The default Chinese message templates (see onewindow.notifications.defaults)."""

from django.db import migrations

from onewindow.notifications.defaults import DEFAULT_TEMPLATES, ensure_default_templates


def create_templates(apps, schema_editor):
    ensure_default_templates(apps.get_model("notifications", "MessageTemplate"))


def remove_templates(apps, schema_editor):
    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    MessageTemplate.objects.filter(code__in=[code for code, _, _ in DEFAULT_TEMPLATES]).delete()


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_message_templates_and_outbox")]

    operations = [migrations.RunPython(create_templates, remove_templates)]
