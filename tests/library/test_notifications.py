"""A new version tells those who downloaded an earlier one: in the app and in one daily e-mail,
in their language, once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from amparo.library.digest import library_digest_send
from amparo.library.models import Notification
from amparo.library.services import document_download_record, document_version_publish
from amparo.library.tasks import send_library_digest
from tests.library.conftest import upload


@pytest.fixture
def document(make_document):
    return make_document(title_en="Declaration checklist", title_es="Lista para la declaración")


def publish(document, personas, text="v2"):
    return document_version_publish(
        document=document,
        actor=personas.coordinator,
        file=upload("checklist.txt", text),
        notes="What changed.",
    )


@pytest.fixture
def downloaded(client, personas, document):
    """The attorney (through the page) and the mentor downloaded version 1."""
    first = document.versions.get()
    client.force_login(personas.attorney)
    assert client.get(reverse("library:version_download", args=[first.pk])).status_code == 200
    document_download_record(version=first, user=personas.mentor)
    return first


def test_publishing_notifies_only_those_who_downloaded_an_earlier_version(
    personas, document, downloaded
):
    version = publish(document, personas)
    recipients = set(Notification.objects.values_list("user_id", flat=True))
    assert recipients == {personas.attorney.pk, personas.mentor.pk}
    notification = Notification.objects.get(user=personas.attorney)
    assert notification.version == version
    assert notification.link == reverse("library:document_detail", args=[document.pk])
    assert "Version 2" in notification.message
    assert "Declaration checklist" in notification.message


def test_publishing_does_not_notify_the_publisher_or_those_who_lost_access(
    personas, document, downloaded
):
    document_download_record(version=downloaded, user=personas.coordinator)
    profile = personas.attorney.attorney_profile
    profile.verification_status = "suspended"
    profile.save()
    publish(document, personas)
    assert set(Notification.objects.values_list("user_id", flat=True)) == {personas.mentor.pk}


def test_someone_who_downloaded_the_latest_is_told_about_the_next_only(
    personas, document, downloaded
):
    second = publish(document, personas)
    document_download_record(version=second, user=personas.other_attorney)
    publish(document, personas, text="v3")
    assert Notification.objects.filter(user=personas.other_attorney).count() == 1
    assert Notification.objects.filter(user=personas.attorney).count() == 2


def test_no_download_no_notification(personas, document):
    publish(document, personas)
    assert not Notification.objects.exists()


def test_notification_shows_in_the_app_with_an_unread_count(client, personas, document, downloaded):
    publish(document, personas)
    client.force_login(personas.attorney)
    html = client.get(reverse("dashboard")).content.decode()
    assert 'class="badge text-bg-danger">1<' in html
    page = client.get(reverse("library:notifications")).content.decode()
    assert "Version 2 of “Declaration checklist” is published" in page


def test_opening_the_document_reads_its_notification(client, personas, document, downloaded):
    publish(document, personas)
    client.force_login(personas.attorney)
    html = client.get(reverse("library:document_detail", args=[document.pk])).content.decode()
    assert "newer version than the one you downloaded" in html
    assert not Notification.objects.filter(user=personas.attorney, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=personas.mentor, read_at__isnull=True).exists()


def test_mark_all_as_read(client, personas, document, downloaded):
    publish(document, personas)
    client.force_login(personas.mentor)
    response = client.post(reverse("library:notifications"))
    assert response.status_code == 302
    assert not Notification.objects.filter(user=personas.mentor, read_at__isnull=True).exists()


def test_digest_emails_each_person_once_in_their_language(
    personas, document, downloaded, mailoutbox
):
    personas.mentor.language = "es"
    personas.mentor.save()
    publish(document, personas)
    assert library_digest_send() == 2
    by_recipient = {message.to[0]: message for message in mailoutbox}
    assert set(by_recipient) == {personas.attorney.email, personas.mentor.email}
    english = by_recipient[personas.attorney.email]
    assert "Declaration checklist" in english.body
    assert f"/library/{document.pk}/" in english.body
    # Language-independent fact: the Spanish reader gets the Spanish title.
    spanish = by_recipient[personas.mentor.email]
    assert "Lista para la declaración" in spanish.body
    assert "Declaration checklist" not in spanish.body
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()

    mailoutbox.clear()
    assert library_digest_send() == 0
    assert mailoutbox == []


def test_digest_groups_several_notifications_in_one_email(personas, make_document, mailoutbox):
    documents = [make_document(title_en=f"Sample {n}") for n in range(3)]
    for doc in documents:
        document_download_record(version=doc.versions.get(), user=personas.attorney)
        publish(doc, personas)
    assert library_digest_send() == 1
    (message,) = mailoutbox
    assert all(f"Sample {n}" in message.body for n in range(3))
    assert "3 library documents" in message.subject


def test_digest_skips_what_was_read_in_the_app(client, personas, document, downloaded, mailoutbox):
    publish(document, personas)
    client.force_login(personas.attorney)
    client.get(reverse("library:document_detail", args=[document.pk]))
    assert library_digest_send() == 1
    assert [m.to for m in mailoutbox] == [[personas.mentor.email]]


def test_digest_releases_notifications_when_sending_fails(
    personas, document, downloaded, monkeypatch, mailoutbox
):
    publish(document, personas)

    def broken(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("amparo.library.digest.send_mail", broken)
    assert library_digest_send() == 0
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 2
    monkeypatch.undo()
    assert library_digest_send() == 2


def test_digest_task_runs_daily_at_minute_40_of_the_digest_hour(settings):
    hour = settings.AMPARO_DIGEST_HOUR_UTC
    task = send_library_digest.task_class()
    assert task.validate_datetime(dt.datetime(2026, 1, 5, hour, 40))
    assert not task.validate_datetime(dt.datetime(2026, 1, 5, hour, 30))
    assert not task.validate_datetime(dt.datetime(2026, 1, 5, (hour + 1) % 24, 40))
