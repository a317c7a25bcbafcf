from django.core.management.base import BaseCommand

from newsroom.distribution.tasks import sweep


class Command(BaseCommand):
    help = (
        "Catch up on distribution work (announcements due, messages owed, the daily "
        "digest) and make sure the recurring sweep is scheduled. Safe to run at any time."
    )

    def handle(self, *args, **options) -> None:
        report = sweep.call()
        done = ", ".join(f"{value} {name}" for name, value in report.items())
        self.stdout.write(self.style.SUCCESS(f"Swept: {done}."))
