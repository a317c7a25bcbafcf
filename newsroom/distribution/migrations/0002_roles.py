from django.db import migrations

PRESS_OFFICER = [
    f"{action}_{model}"
    for action in ("view", "add", "change")
    for model in ("contact", "distributionlist")
] + ["view_advancecopy"]


def grant(apps, schema_editor):
    """Editors run the distribution desk (contacts, lists, advance copies, the alert
    records); press officers keep contacts and lists and see who got what."""
    from django.contrib.auth.management import create_permissions

    config = apps.get_app_config("distribution")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    Group, Permission = apps.get_model("auth", "Group"), apps.get_model("auth", "Permission")
    ours = Permission.objects.filter(content_type__app_label="distribution")
    editor, _ = Group.objects.get_or_create(name="Editor")
    editor.permissions.add(*ours)
    officer, _ = Group.objects.get_or_create(name="Press officer")
    officer.permissions.add(*ours.filter(codename__in=PRESS_OFFICER))


class Migration(migrations.Migration):
    dependencies = [
        ("distribution", "0001_initial"),
        ("articles", "0003_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
