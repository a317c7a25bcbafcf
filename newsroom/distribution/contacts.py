"""CSV import of contacts: every bad row is reported by its line, and nothing is imported
unless every row is right."""

import csv
import io

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from newsroom.distribution.models import Contact, DistributionList

COLUMNS = ["name", "email", "outlet", "language", "accreditation"]
REQUIRED = {"name", "email"}
MAX_ROWS = 10_000


class ImportRefused(Exception):
    """The file was not imported; `errors` are (line, message) pairs."""

    def __init__(self, errors: list[tuple[int, str]]):
        super().__init__(f"{len(errors)} problem(s)")
        self.errors = errors


def parse(data: bytes) -> list[dict]:
    """The rows of a UTF-8 CSV file with a header line, checked; ImportRefused otherwise."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused([(0, "The file is not UTF-8 text (save it as “CSV UTF-8”).")]) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = REQUIRED - set(header)
    if missing:
        raise ImportRefused(
            [(1, f"The header line needs the columns {', '.join(sorted(missing))}.")]
        )
    unknown = set(header) - set(COLUMNS)
    if unknown:
        raise ImportRefused([(1, f"Unknown columns: {', '.join(sorted(unknown))}.")])
    reader.fieldnames = header
    rows, errors, seen = [], [], {}
    limits = {field.name: field.max_length for field in Contact._meta.fields if field.max_length}
    try:
        for row in reader:
            line = reader.line_num
            if len(rows) >= MAX_ROWS:
                errors.append((line, f"At most {MAX_ROWS} rows in one file."))
                break
            if None in row:
                errors.append((line, "More values than columns."))
                continue
            values = {name: (row.get(name) or "").strip() for name in COLUMNS}
            if not any(values.values()):
                continue  # a blank line
            problems = []
            if not values["name"]:
                problems.append("the name is empty")
            try:
                validate_email(values["email"])
            except ValidationError:
                problems.append(f"“{values['email']}” is not an email address")
            values["email"] = values["email"].lower()
            if values["email"] in seen:
                problems.append(f"the address is already on line {seen[values['email']]}")
            seen.setdefault(values["email"], line)
            for name, value in values.items():
                if len(value) > limits[name]:
                    problems.append(f"{name} is longer than {limits[name]} characters")
            if problems:
                errors.append((line, "; ".join(problems).capitalize() + "."))
            rows.append(values)
    except csv.Error as error:
        errors.append((reader.line_num, f"Not readable as CSV: {error}."))
    if errors:
        raise ImportRefused(errors)
    if not rows:
        raise ImportRefused([(1, "The file has no contacts.")])
    return rows


@transaction.atomic
def import_contacts(rows: list[dict], add_to: DistributionList | None = None) -> tuple[int, int]:
    """Create or update contacts by email (all or nothing); (created, updated)."""
    created = updated = 0
    for values in rows:
        contact, was_created = Contact.objects.update_or_create(
            email__iexact=values["email"],
            defaults={k: v for k, v in values.items() if k != "email"},
            create_defaults=values,
        )
        created += was_created
        updated += not was_created
        if add_to is not None:
            add_to.contacts.add(contact)
    return created, updated
