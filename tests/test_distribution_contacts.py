"""Contacts and lists in the admin; the CSV import refuses a file with any bad row,
naming each by its line."""

from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from newsroom.distribution.models import Contact, DistributionList

pytestmark = pytest.mark.django_db

URL = "/admin/distribution/contact/import/"


def upload(client, text: str | bytes, **extra):
    data = text.encode() if isinstance(text, str) else text
    return client.post(URL, {"file": SimpleUploadedFile("contacts.csv", data, "text/csv"),
                             **extra})  # fmt: skip


def test_a_good_file_imports_every_contact_into_a_list(editor_client):
    press = DistributionList.objects.create(name="Accredited press")
    Contact.objects.create(name="Old Name", email="anna@paper.example")
    response = upload(editor_client, (
        "name,email,outlet,language,accreditation\n"
        "Anna Reporter,ANNA@paper.example,Paper,en,NATO-2026-001\n"
        "Ben Wire,ben@wire.example,Wire,fr,\n"
        "\n"
        "“Chloé” Ünal,chloe@tv.example,TV,de,NATO-2026-003\n"
    ), add_to=press.pk)  # fmt: skip
    assert response.status_code == HTTPStatus.FOUND
    assert Contact.objects.count() == 3
    anna = Contact.objects.get(email="anna@paper.example")
    assert anna.name == "Anna Reporter" and anna.accreditation == "NATO-2026-001"
    assert press.contacts.count() == 3
    assert "“Chloé” Ünal" in editor_client.get("/admin/distribution/contact/").content.decode()


def test_a_file_with_bad_rows_imports_nothing_and_names_each_line(editor_client):
    response = upload(editor_client, (
        "name,email,outlet\n"
        "Anna Reporter,anna@paper.example,Paper\n"
        ",nobody@example.org,\n"
        "Ben Wire,not-an-address,Wire\n"
        "Anna Again,anna@paper.example,Other\n"
        "Too,many@example.org,values,here\n"
    ))  # fmt: skip
    assert response.status_code == HTTPStatus.BAD_REQUEST
    body = response.content.decode()
    assert "Nothing was imported" in body
    assert "Line 3: The name is empty." in body
    assert "Line 4: “not-an-address” is not an email address." in body
    assert "Line 5: The address is already on line 2." in body
    assert "Line 6: More values than columns." in body
    assert not Contact.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe\x00bad", "not UTF-8"),
        ("email\nx@example.org\n", "needs the columns name"),
        ("name,email,phone\nA,a@example.org,1\n", "Unknown columns: phone"),
        ("name,email\n", "no contacts"),
    ],
)
def test_files_that_are_not_contact_lists_are_refused(editor_client, content, message):
    response = upload(editor_client, content)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert message in response.content.decode()
    assert not Contact.objects.exists()


def test_the_contact_list_offers_the_import_and_lists_show_their_size(editor_client):
    page = editor_client.get("/admin/distribution/contact/").content.decode()
    assert URL in page
    press = DistributionList.objects.create(name="Accredited press")
    press.contacts.add(Contact.objects.create(name="A", email="a@example.org"))
    lists = editor_client.get("/admin/distribution/distributionlist/").content.decode()
    assert "Accredited press" in lists
    assert editor_client.get(URL).status_code == HTTPStatus.OK


def test_a_press_officer_may_import_contacts(officer_client):
    assert officer_client.get(URL).status_code == HTTPStatus.OK
