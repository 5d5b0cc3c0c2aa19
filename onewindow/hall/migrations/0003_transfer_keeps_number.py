"""A ticket transferred to another business type keeps its number and sequence: the sequence is
no longer unique per (business, date); the number stays unique per (center, date)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('hall', '0002_ticket_event_triggers'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='ticket',
            name='hall_ticket_sequence_unique',
        ),
    ]
