"""Create (or promote) a staff account in the Editor or Press officer group."""

import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

ROLES = {"editor": "Editor", "press-officer": "Press officer"}
MAX_ATTEMPTS = 5


class Command(BaseCommand):
    help = (
        "Create a staff account with an editorial role (default: editor). The password is "
        "asked for, or read from NEWSROOM_PASSWORD with --no-input."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument("--role", choices=sorted(ROLES), default="editor")
        parser.add_argument("--no-input", action="store_true", help="Read NEWSROOM_PASSWORD.")

    def handle(self, *args, username: str, email: str, role: str, no_input: bool, **options):
        try:
            group = Group.objects.get(name=ROLES[role])
        except Group.DoesNotExist:
            raise CommandError(
                "The editorial groups are missing: run `manage.py migrate`."
            ) from None
        user_model = get_user_model()
        user = user_model.objects.filter(username=username).first()
        created = user is None
        if created:
            user = user_model(username=username, email=email, is_staff=True)
        password = self._password(no_input, user)  # asked before anything is written
        user.set_password(password)
        user.is_staff = True
        if email:
            user.email = email
        user.save()
        # One role at a time: making an editor a press officer takes publishing away.
        user.groups.remove(*Group.objects.filter(name__in=ROLES.values()).exclude(pk=group.pk))
        user.groups.add(group)
        verb = "Created" if created else "Updated"
        self.stdout.write(self.style.SUCCESS(f"{verb} {username} as {group.name}."))

    def _password(self, no_input: bool, user) -> str:
        """A password the validators accept: NEWSROOM_PASSWORD with --no-input (refused
        if weak), else typed twice, asked again after a mismatch or a weak one (at most
        MAX_ATTEMPTS times, so a script feeding it bad input does not loop forever)."""
        if no_input:
            password = os.environ.get("NEWSROOM_PASSWORD", "")
            if not password:
                raise CommandError("Set NEWSROOM_PASSWORD when using --no-input.")
            problems = self._weaknesses(password, user)
            if problems:
                raise CommandError(problems)
            return password
        for _attempt in range(MAX_ATTEMPTS):
            first = getpass.getpass("Password: ")
            if first != getpass.getpass("Password (again): "):
                self.stderr.write("The passwords did not match. Try again.")
                continue
            problems = self._weaknesses(first, user)
            if problems:
                self.stderr.write(f"{problems} Try again.")
                continue
            return first
        raise CommandError(f"No acceptable password after {MAX_ATTEMPTS} attempts.")

    @staticmethod
    def _weaknesses(password: str, user) -> str:
        try:
            validate_password(password, user)
        except ValidationError as error:
            return " ".join(error.messages)
        return ""
