"""Readers' "Last updated" (`revised_at`) moves only for substantive changes.

Existing items: the newest public update or correction note if there is one; else what
readers were shown until now (`updated_at` more than five minutes after publication), so
no page loses a "Last updated" it had.
"""

from datetime import timedelta

from django.db import migrations, models

from articles.search import fts5

GRACE = timedelta(minutes=5)
SUBSTANTIVE = ("substantive", "correction")


def fill(apps, schema_editor):
    for name in ("Release", "Speech"):
        model = apps.get_model("articles", name)
        history = apps.get_model("articles", f"Historical{name}")
        for item in model.objects.filter(status__in=("published", "withdrawn", "removed")):
            note = (
                history.objects.filter(id=item.pk, change_kind__in=SUBSTANTIVE)
                .order_by("-history_date")
                .values_list("history_date", flat=True)
                .first()
            )
            moment = note or (
                item.updated_at if item.updated_at > item.published_at + GRACE else None
            )
            if moment:
                model.objects.filter(pk=item.pk).update(revised_at=moment)


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0010_change_notes_and_withdrawals'),
    ]

    operations = [
        migrations.RunPython(fts5.detach, fts5.reattach, elidable=False),
        migrations.AddField(
            model_name='release',
            name='revised_at',
            field=models.DateTimeField(blank=True, help_text='When readers were last told of a substantive change (an update or a correction): set by saving one with its public note, never by a minor change.', null=True, verbose_name='last updated for readers'),
        ),
        migrations.AddField(
            model_name='speech',
            name='revised_at',
            field=models.DateTimeField(blank=True, help_text='When readers were last told of a substantive change (an update or a correction): set by saving one with its public note, never by a minor change.', null=True, verbose_name='last updated for readers'),
        ),
        migrations.RunPython(fts5.reattach, fts5.detach, elidable=False),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
