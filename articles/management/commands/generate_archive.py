"""`manage.py generate_archive`: a deterministic synthetic archive for scale tests."""

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from articles.generator import ArchiveExists, generate

MAX_ITEMS = 5_000_000
MAX_IMAGES = 5_000


class Command(BaseCommand):
    help = (
        "Fill the database with a deterministic synthetic archive (releases, speeches, "
        "~300 tags, ~500 speakers, ~2,000 events over 25 years) for benchmarks and scale "
        "tests. Generated slugs start with 'gen-'; a second run needs --replace, which "
        "deletes the previous generated archive (and nothing else) first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--releases", type=int, help="How many releases to generate.")
        parser.add_argument("--speeches", type=int, help="How many speeches to generate.")
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same archive.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete the previously generated archive (slugs starting with 'gen-') first.",
        )
        parser.add_argument(
            "--images",
            type=int,
            default=0,
            metavar="N",
            help="Also draw N distinct pictures (a few hundred: about a second each) and give "
            "every generated release and speech one of them as its lead image.",
        )

    # --- entry point ---------------------------------------------------------------

    def handle(
        self, *args, releases, speeches, seed, replace, images=0, verbosity=1, **options
    ) -> None:
        releases, speeches = self.validate(releases, speeches)
        if not 0 <= images <= MAX_IMAGES:
            raise CommandError(f"--images must be between 0 and {MAX_IMAGES}, not {images}.")
        self.verbose = verbosity > 0
        self.started = time.monotonic()
        try:
            made = generate(
                releases=releases,
                speeches=speeches,
                seed=seed,
                replace=replace,
                progress_callback=self.generation_progress_callback,
            )
        except ArchiveExists as exists:
            found = ", ".join(f"{n:,} {name}" for name, n in exists.counts.items() if n)
            raise CommandError(
                f"A generated archive is already loaded ({found}). Run again with "
                "--replace to delete it and generate a new one."
            ) from None
        self.say(
            self.style.SUCCESS(
                f"Generated {made.releases:,} releases and {made.speeches:,} speeches "
                f"({made.drafts:,} drafts, {made.in_review:,} in review, "
                f"{made.embargoed:,} embargoed), {made.speakers:,} speakers, "
                f"{made.events:,} events, {made.tags:,} tags "
                f"({made.created_tags:,} new) and {made.tag_links:,} item tags "
                f"in {self.since(self.started)} (seed {seed})."
            )
        )
        if images:
            from articles.generator.images import attach_images
            from articles.generator.tuning import refresh_statistics

            started = time.monotonic()
            attached = attach_images(count=images, seed=seed)
            # Every item's row was just rewritten: fresh statistics again, and on
            # PostgreSQL a VACUUM, or deep pages fetch every skipped row from the heap
            # (page 2,000 of the releases: 19 ms of SQL instead of 5).
            refresh_statistics()
            self.say(
                self.style.SUCCESS(
                    f"Drew {images:,} pictures and gave {attached:,} items a lead image "
                    f"in {self.since(started)}."
                )
            )

    def generation_progress_callback(self, action: str, count: int = 0) -> None:
        if action == "delete_success":
            self.say(f"Deleted the previous generated archive ({self.since(self.started)}).")
        elif action == "insert_start":
            self.progress = Progress(self, count)
        elif action == "insert_progress":
            self.progress.advance(count)
        elif action == "insert_success":
            self.progress.finish()

    def validate(self, releases: int | None, speeches: int | None) -> tuple[int, int]:
        if releases is None and speeches is None:
            raise CommandError("Give --releases N and/or --speeches N: how many to generate.")
        for name, value in (("--releases", releases), ("--speeches", speeches)):
            if value is not None and value < 0:
                raise CommandError(f"{name} must be zero or more, not {value}.")
            if value is not None and value > MAX_ITEMS:
                raise CommandError(f"{name} must be at most {MAX_ITEMS:,}, not {value:,}.")
        releases, speeches = releases or 0, speeches or 0
        if releases + speeches == 0:
            raise CommandError("Nothing to generate: give --releases or --speeches above 0.")
        return releases, speeches

    def say(self, message: str) -> None:
        if self.verbose:
            self.stdout.write(message)

    @staticmethod
    def since(started: float) -> str:
        return f"{time.monotonic() - started:.1f} s"


class Progress:
    """A text progress bar on the command's stdout (a line per 10% when not a terminal)."""

    WIDTH = 30

    def __init__(self, command: Command, total: int):
        self.command, self.total, self.done = command, total, 0
        self.started = time.monotonic()
        self.tty = command.stdout.isatty()
        self.shown_tenths = -1

    def advance(self, count: int) -> None:
        self.done += count
        if not self.command.verbose or not self.total:
            return
        share = self.done / self.total
        filled = int(self.WIDTH * share)
        bar = "#" * filled + "." * (self.WIDTH - filled)
        elapsed = self.command.since(self.started)
        line = f"[{bar}] {share:4.0%}  {self.done:,}/{self.total:,} items  {elapsed}"
        if self.tty:
            self.command.stdout.write(f"\r{line}", ending="")
            self.command.stdout.flush()
        elif int(share * 10) > self.shown_tenths:
            self.shown_tenths = int(share * 10)
            self.command.stdout.write(line)

    def finish(self) -> None:
        if self.command.verbose and self.tty and self.total:
            self.command.stdout.write("")
