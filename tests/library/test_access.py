"""Who reaches the library, and how files leave it: only through the permission-checked view,
as an attachment, with each download recorded."""

from __future__ import annotations

import pytest
from django.urls import reverse

from amparo.library.models import DocumentDownload
from tests.factories import LibraryDocumentVersionFactory

READERS = ["coordinator", "program_admin", "attorney", "other_attorney", "mentor"]
OUTSIDERS = ["unverified_attorney", "partner", "other_partner"]


@pytest.fixture
def version(personas):
    return LibraryDocumentVersionFactory(document__created_by=personas.coordinator)


@pytest.mark.parametrize("persona", READERS)
def test_download_readers_get_the_file_as_an_attachment(client, personas, version, persona):
    user = getattr(personas, persona)
    client.force_login(user)
    response = client.get(reverse("library:version_download", args=[version.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "text/plain"
    assert b"".join(response.streaming_content) == b"Sample text, no client data.\n"
    assert DocumentDownload.objects.filter(user=user, version=version).count() == 1


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_download_outsiders_get_404_and_nothing_is_recorded(client, personas, version, persona):
    client.force_login(getattr(personas, persona))
    response = client.get(reverse("library:version_download", args=[version.pk]))
    assert response.status_code == 404
    assert not DocumentDownload.objects.exists()


def test_download_anonymous_is_sent_to_sign_in(client, personas, version):
    response = client.get(reverse("library:version_download", args=[version.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not DocumentDownload.objects.exists()


def test_download_mentor_without_two_factor_is_refused(client, personas, version):
    from tests.factories import UserFactory

    mentor = UserFactory(role="mentor")
    client.force_login(mentor)
    response = client.get(reverse("library:version_download", args=[version.pk]))
    assert response.status_code in (302, 404)
    assert not DocumentDownload.objects.exists()


def test_download_file_has_no_public_url(client, personas, version):
    client.force_login(personas.coordinator)
    assert client.get(version.file.url).status_code == 404


def test_download_missing_file_is_404_not_500(client, personas, version):
    version.file.storage.delete(version.file.name)
    client.force_login(personas.attorney)
    assert client.get(reverse("library:version_download", args=[version.pk])).status_code == 404
    assert not DocumentDownload.objects.exists()


def test_download_unknown_version_is_404(client, personas):
    client.force_login(personas.attorney)
    assert client.get(reverse("library:version_download", args=[999999])).status_code == 404


@pytest.mark.parametrize(
    ("persona", "status"),
    [(p, 200) for p in READERS] + [(p, 404) for p in OUTSIDERS],
)
def test_library_pages_by_role(client, personas, version, persona, status):
    client.force_login(getattr(personas, persona))
    for url in (
        reverse("library:document_list"),
        reverse("library:document_detail", args=[version.document.pk]),
        reverse("library:notifications"),
        reverse("library:strategy_notes"),
    ):
        assert client.get(url).status_code == status, url


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("coordinator", 200),
        ("program_admin", 200),
        ("attorney", 404),
        ("mentor", 404),
        ("unverified_attorney", 404),
        ("partner", 404),
    ],
)
def test_library_upload_and_edit_pages_are_for_staff(client, personas, version, persona, status):
    client.force_login(getattr(personas, persona))
    document = version.document
    for url in (
        reverse("library:document_create"),
        reverse("library:document_edit", args=[document.pk]),
        reverse("library:version_create", args=[document.pk]),
    ):
        assert client.get(url).status_code == status, url


def test_library_pages_send_anonymous_to_sign_in(client, db):
    for name in ("document_list", "document_create", "notifications", "strategy_notes"):
        response = client.get(reverse(f"library:{name}"))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("persona", "shown"),
    [
        ("coordinator", True),
        ("program_admin", True),
        ("attorney", True),
        ("mentor", True),
        ("unverified_attorney", False),
        ("partner", False),
    ],
)
def test_library_navigation_item_and_notifications_link(client, personas, persona, shown):
    client.force_login(getattr(personas, persona))
    html = client.get(reverse("dashboard")).content.decode()
    assert (f'href="{reverse("library:document_list")}"' in html) is shown
    assert (f'href="{reverse("library:notifications")}"' in html) is shown
