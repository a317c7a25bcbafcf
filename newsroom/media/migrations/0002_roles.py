"""The editorial roles in the media library: press officers upload and describe images
and documents and attach them; editors may also delete what nothing uses."""

from django.db import migrations

PRESS_OFFICER = {
    "media_library": [
        "add_image",
        "change_image",
        "view_image",
        "add_document",
        "change_document",
        "view_document",
    ],
    "articles": [
        "add_releasedownload",
        "change_releasedownload",
        "delete_releasedownload",
        "view_releasedownload",
        "view_releasefigure",
        "view_speechfigure",
    ],
}
EDITOR_EXTRA = {"media_library": ["delete_image", "delete_document"]}  # fmt: skip


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for label in ("articles", "media_library"):
        config = apps.get_app_config(label)
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
    Group, Permission = apps.get_model("auth", "Group"), apps.get_model("auth", "Permission")

    def permissions(spec):
        found = []
        for app_label, codenames in spec.items():
            found += Permission.objects.filter(
                content_type__app_label=app_label, codename__in=codenames
            )
        return found

    officer, _ = Group.objects.get_or_create(name="Press officer")
    officer.permissions.add(*permissions(PRESS_OFFICER))
    editor, _ = Group.objects.get_or_create(name="Editor")
    editor.permissions.add(*permissions(PRESS_OFFICER), *permissions(EDITOR_EXTRA))


class Migration(migrations.Migration):
    dependencies = [
        ("media_library", "0001_initial"),
        ("articles", "0013_media_links"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
