"""A first everyday-wording table for the catalog search (`catalog.synonym_defaults`);
administrators edit it in the admin."""

from django.db import migrations

from onewindow.catalog.synonym_defaults import DEFAULT_SYNONYMS as SYNONYMS


def seed(apps, schema_editor):
    SearchSynonym = apps.get_model("catalog", "SearchSynonym")
    for phrase, targets in SYNONYMS.items():
        SearchSynonym.objects.get_or_create(phrase=phrase, defaults={"targets": "\n".join(targets)})


def unseed(apps, schema_editor):
    SearchSynonym = apps.get_model("catalog", "SearchSynonym")
    for phrase, targets in SYNONYMS.items():
        SearchSynonym.objects.filter(phrase=phrase, targets="\n".join(targets)).delete()


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_search_index")]

    operations = [migrations.RunPython(seed, unseed)]
