"""Give back their first publication date to items republished with a new one.

Before issue 21, withdrawing a release ("Back to draft") and publishing it again gave it
the day of the republication: it jumped to the top of lists, feeds and the sitemap as
news. Each item's revisions say when it was first public; this command lists the
published items whose publication time is later than that and, with `--apply`, restores
it (the repair is itself a revision, and the item shows as updated).
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from articles.admin import local_time
from articles.models import Release, Speech
from articles.revisions import first_public_time


class Command(BaseCommand):
    help = (
        "List public releases and speeches whose publication time is later than the "
        "first time they were public (read from their revisions); --apply restores it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--apply", action="store_true", help="Restore the dates (default: only list them)."
        )
        parser.add_argument(
            "--slug", action="append", default=[], help="Only this item (repeatable)."
        )

    def handle(self, *args, apply: bool, slug: list[str], **options):
        found = 0
        for model in (Release, Speech):
            # Public ones only: an embargoed item was scheduled on purpose.
            items = model.objects.public().order_by("pk")
            if slug:
                items = items.filter(slug__in=slug)
            for item in items.iterator():
                first = first_public_time(item)
                if first is None or first >= item.published_at:
                    continue
                found += 1
                line = (
                    f"{model._meta.verbose_name} “{item.slug}”: published "
                    f"{local_time(item.published_at)}, first public {local_time(first)}"
                )
                if apply:
                    with transaction.atomic():
                        item.published_at = first
                        item._change_reason = (
                            f"Publication date restored to {local_time(first)} from history"
                        )[:100]
                        item.save()
                    line += " — restored"
                self.stdout.write(line)
        if not found:
            self.stdout.write("No item has lost its first publication date.")
        elif not apply:
            self.stdout.write(f"{found} item(s) to repair: run again with --apply.")
