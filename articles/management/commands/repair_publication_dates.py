"""Give back their first publication date to items republished with a new one.

Before issue 21, withdrawing a release ("Back to draft") and publishing it again gave it
the day of the republication: it jumped to the top of lists, feeds and the sitemap as
news. Each item's revisions show such a republication (`lost_publication_date()`: public,
then withdrawn, then published again dated at that moment) and the date it was first
public; this command lists the public items it happened to and, with `--apply`, restores
that date (the repair is itself a revision, and the item shows as updated). A re-release
scheduled for later, or a date an editor corrected, is left alone.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from articles.admin import local_time
from articles.models import Release, Speech
from articles.revisions import lost_publication_date


class Command(BaseCommand):
    help = (
        "List public releases and speeches that a republication (withdrawn, then published "
        "again) dated anew, read from their revisions; --apply restores the first date."
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
                first = lost_publication_date(item)
                if first is None:
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
