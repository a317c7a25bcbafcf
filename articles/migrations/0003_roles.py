"""The two editorial roles as groups: Press officer and Editor."""

from django.db import migrations

PRESS_OFFICER = {
    "articles": [
        "add_release", "change_release", "view_release",
        "add_speech", "change_speech", "view_speech",
        "add_speechspeaker", "change_speechspeaker", "delete_speechspeaker", "view_speechspeaker",
        "add_speaker", "change_speaker", "view_speaker",
        "add_event", "change_event", "view_event",
        "view_historicalrelease", "view_historicalspeech",
    ],
    "taggit": ["add_tag", "change_tag", "view_tag"],
}
EDITOR_EXTRA = {
    "articles": [
        "publish_release", "publish_speech",
        "delete_release", "delete_speech", "delete_speaker", "delete_event",
    ],
    "taggit": ["delete_tag"],
}  # fmt: skip


def create_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for label in ("articles", "taggit"):
        config = apps.get_app_config(label)
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def permissions(spec):
        found = []
        for app_label, codenames in spec.items():
            found += Permission.objects.filter(
                content_type__app_label=app_label, codename__in=codenames
            )
        return found

    press_officer, _ = Group.objects.get_or_create(name="Press officer")
    press_officer.permissions.set(permissions(PRESS_OFFICER))
    editor, _ = Group.objects.get_or_create(name="Editor")
    editor.permissions.set(permissions(PRESS_OFFICER) + permissions(EDITOR_EXTRA))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Press officer", "Editor"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_revisions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
