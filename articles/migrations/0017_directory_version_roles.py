"""The editorial roles and the versions of speakers and events in other languages: press
officers write them, editors also delete them (publishing one takes the entry's
`publish_speaker` or `publish_event` permission, as listing the entry does)."""

from django.db import migrations

PRESS_OFFICER = [
    "add_speakerversion", "change_speakerversion", "view_speakerversion",
    "add_eventversion", "change_eventversion", "view_eventversion",
]  # fmt: skip
EDITOR_EXTRA = ["delete_speakerversion", "delete_eventversion"]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    config = apps.get_app_config("articles")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    Group, Permission = apps.get_model("auth", "Group"), apps.get_model("auth", "Permission")

    def permissions(codenames):
        return Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)

    officer, _ = Group.objects.get_or_create(name="Press officer")
    officer.permissions.add(*permissions(PRESS_OFFICER))
    editor, _ = Group.objects.get_or_create(name="Editor")
    editor.permissions.add(*permissions(PRESS_OFFICER + EDITOR_EXTRA))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0016_directory_versions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
