"""Issue 18: public change notes on revisions, withdrawal and removal of public items."""

from django.db import migrations, models

from articles.search import fts5


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0009_search_everywhere'),
    ]

    operations = [
        # SQLite rebuilds articles_release/articles_speech here: the search view and
        # triggers that name them step aside (0009 made them; this migration followed it).
        migrations.RunPython(fts5.detach, fts5.reattach, elidable=False),
        migrations.AddField(
            model_name='historicalrelease',
            name='change_kind',
            field=models.CharField(blank=True, choices=[('minor', 'Minor change'), ('substantive', 'Update'), ('correction', 'Correction')], default='', max_length=20),
        ),
        migrations.AddField(
            model_name='historicalrelease',
            name='change_note',
            field=models.TextField(blank=True, default=''),
        ),
        migrations.AddField(
            model_name='historicalrelease',
            name='withdrawal_note',
            field=models.TextField(blank=True, help_text='Why the item was withdrawn or removed, shown to the public.', verbose_name='withdrawal notice'),
        ),
        migrations.AddField(
            model_name='historicalrelease',
            name='withdrawn_at',
            field=models.DateTimeField(blank=True, help_text='When an editor withdrew or removed the item (set by those actions).', null=True, verbose_name='withdrawn at'),
        ),
        migrations.AddField(
            model_name='historicalspeech',
            name='change_kind',
            field=models.CharField(blank=True, choices=[('minor', 'Minor change'), ('substantive', 'Update'), ('correction', 'Correction')], default='', max_length=20),
        ),
        migrations.AddField(
            model_name='historicalspeech',
            name='change_note',
            field=models.TextField(blank=True, default=''),
        ),
        migrations.AddField(
            model_name='historicalspeech',
            name='withdrawal_note',
            field=models.TextField(blank=True, help_text='Why the item was withdrawn or removed, shown to the public.', verbose_name='withdrawal notice'),
        ),
        migrations.AddField(
            model_name='historicalspeech',
            name='withdrawn_at',
            field=models.DateTimeField(blank=True, help_text='When an editor withdrew or removed the item (set by those actions).', null=True, verbose_name='withdrawn at'),
        ),
        migrations.AddField(
            model_name='release',
            name='withdrawal_note',
            field=models.TextField(blank=True, help_text='Why the item was withdrawn or removed, shown to the public.', verbose_name='withdrawal notice'),
        ),
        migrations.AddField(
            model_name='release',
            name='withdrawn_at',
            field=models.DateTimeField(blank=True, help_text='When an editor withdrew or removed the item (set by those actions).', null=True, verbose_name='withdrawn at'),
        ),
        migrations.AddField(
            model_name='speech',
            name='withdrawal_note',
            field=models.TextField(blank=True, help_text='Why the item was withdrawn or removed, shown to the public.', verbose_name='withdrawal notice'),
        ),
        migrations.AddField(
            model_name='speech',
            name='withdrawn_at',
            field=models.DateTimeField(blank=True, help_text='When an editor withdrew or removed the item (set by those actions).', null=True, verbose_name='withdrawn at'),
        ),
        migrations.AlterField(
            model_name='historicalrelease',
            name='status',
            field=models.CharField(choices=[('draft', 'Draft'), ('review', 'In review'), ('published', 'Published'), ('withdrawn', 'Withdrawn'), ('removed', 'Removed')], default='draft', help_text='Only published items can be seen by the public, and only from their time.', max_length=20),
        ),
        migrations.AlterField(
            model_name='historicalspeech',
            name='status',
            field=models.CharField(choices=[('draft', 'Draft'), ('review', 'In review'), ('published', 'Published'), ('withdrawn', 'Withdrawn'), ('removed', 'Removed')], default='draft', help_text='Only published items can be seen by the public, and only from their time.', max_length=20),
        ),
        migrations.AlterField(
            model_name='release',
            name='status',
            field=models.CharField(choices=[('draft', 'Draft'), ('review', 'In review'), ('published', 'Published'), ('withdrawn', 'Withdrawn'), ('removed', 'Removed')], default='draft', help_text='Only published items can be seen by the public, and only from their time.', max_length=20),
        ),
        migrations.AlterField(
            model_name='speech',
            name='status',
            field=models.CharField(choices=[('draft', 'Draft'), ('review', 'In review'), ('published', 'Published'), ('withdrawn', 'Withdrawn'), ('removed', 'Removed')], default='draft', help_text='Only published items can be seen by the public, and only from their time.', max_length=20),
        ),
        migrations.RunPython(fts5.reattach, fts5.detach, elidable=False),
    ]
