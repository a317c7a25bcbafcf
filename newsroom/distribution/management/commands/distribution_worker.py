from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Run the background worker of the configured task backend (NEWSROOM_TASKS): "
        "`db_worker` for the database, `rqworker --with-scheduler` for RQ, after one sweep."
    )

    def handle(self, *args, **options) -> None:
        call_command("distribution_sweep", stdout=self.stdout)
        backend = settings.NEWSROOM_TASKS
        if backend == "database":
            call_command("db_worker", queue_name="*", reload=False)
        elif backend == "rq":
            call_command("rqworker", "default", with_scheduler=True)
        else:
            raise CommandError(f"NEWSROOM_TASKS={backend} runs tasks in the request: no worker.")
