"""Issue 21: speakers and events public only by an editor's hand (`listed`), the publish
permissions for them, and the content version kept in the database."""

import time

from django.db import migrations, models
from django.db.models import Exists, OuterRef

EDITOR_PERMISSIONS = ["publish_speaker", "publish_event"]


def keep_what_was_public(apps, schema_editor):
    """Before, a speaker or event that no item named was public: an editor's decision is
    assumed for those, so nothing public today disappears. One named only by drafts or
    embargoed items stayed hidden and stays unlisted."""
    Speaker, Event = apps.get_model("articles", "Speaker"), apps.get_model("articles", "Event")
    Release, Speech = apps.get_model("articles", "Release"), apps.get_model("articles", "Speech")
    SpeechSpeaker = apps.get_model("articles", "SpeechSpeaker")
    Speaker.objects.exclude(
        Exists(Release.speakers.through.objects.filter(speaker=OuterRef("pk")))
        | Exists(SpeechSpeaker.objects.filter(speaker=OuterRef("pk")))
    ).update(listed=True)
    Event.objects.exclude(
        Exists(Release.events.through.objects.filter(event=OuterRef("pk")))
        | Exists(Speech.objects.filter(event=OuterRef("pk")))
    ).update(listed=True)


def grant_editor_permissions(apps, schema_editor):
    """Editors publish speakers and events; press officers do not."""
    from django.contrib.auth.management import create_permissions

    config = apps.get_app_config("articles")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    Group, Permission = apps.get_model("auth", "Group"), apps.get_model("auth", "Permission")
    editor, _ = Group.objects.get_or_create(name="Editor")
    editor.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="articles", codename__in=EDITOR_PERMISSIONS
        )
    )


def first_version(apps, schema_editor):
    """Start from the clock (milliseconds), not 1: a database restored or recreated beside
    a cache that still holds pages must not meet the keys of its old content."""
    apps.get_model("articles", "ContentVersion").objects.get_or_create(
        pk=1, defaults={"value": int(time.time() * 1000)}
    )


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0007_search_lead'),
        ('articles', '0003_roles'),
    ]

    operations = [
        migrations.CreateModel(
            name='ContentVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('value', models.BigIntegerField()),
            ],
        ),
        migrations.AlterModelOptions(
            name='event',
            options={'ordering': ['-start_on', 'name'], 'permissions': [('publish_event', 'Can publish events on their own')]},
        ),
        migrations.AlterModelOptions(
            name='speaker',
            options={'ordering': ['name'], 'permissions': [('publish_speaker', 'Can publish speakers on their own')]},
        ),
        migrations.AddField(
            model_name='event',
            name='listed',
            field=models.BooleanField(default=False, help_text='Shown on the public site even before a public item names it. Only editors can set this; a speaker or event named by a public release or speech is shown anyway.', verbose_name='published by an editor'),
        ),
        migrations.AddField(
            model_name='speaker',
            name='listed',
            field=models.BooleanField(default=False, help_text='Shown on the public site even before a public item names it. Only editors can set this; a speaker or event named by a public release or speech is shown anyway.', verbose_name='published by an editor'),
        ),
        migrations.RunPython(keep_what_was_public, migrations.RunPython.noop),
        migrations.RunPython(grant_editor_permissions, migrations.RunPython.noop),
        migrations.RunPython(first_version, migrations.RunPython.noop),
    ]
