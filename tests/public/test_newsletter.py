"""The newsletter: double opt-in with a signed link, unsubscribe by link, duplicates, spam and
abuse, and the coordinators' audited CSV export."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
import time_machine
from django.core import signing
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from amparo.core.crypto import blind_index
from amparo.core.models import AuditEvent
from amparo.public import services
from amparo.public.models import NewsletterSubscriber
from tests.factories import NewsletterSubscriberFactory

NEWSLETTER = reverse("public:newsletter")
SENT = reverse("public:newsletter_sent")
EXPORT = reverse("public:subscriber_export")
START = dt.datetime(2026, 3, 2, 17, 0, tzinfo=dt.UTC)


def subscribe(client, email="lector@example.org", language="en", website="", **meta):
    data = {"email": email, "language": language, "website": website}
    return client.post(NEWSLETTER, data, **meta)


def link_in(message, kind):
    match = re.search(rf"https?://\S+(/newsletter/{kind}/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.fixture
def subscribed(client, db, mailoutbox, django_capture_on_commit_callbacks):
    """Subscribe and return the confirmation e-mail's link path."""

    def _subscribe(email="lector@example.org", language="en"):
        with django_capture_on_commit_callbacks(execute=True):
            response = subscribe(client, email, language)
        assert response.status_code == 302
        return link_in(mailoutbox[-1], "confirm")

    return _subscribe


# --- the page -----------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "es"])
def test_newsletter_page_in_each_language(client, db, language):
    response = client.get(NEWSLETTER, HTTP_ACCEPT_LANGUAGE=language)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}">' in html
    with translation.override(language):
        assert gettext("Subscribe to our newsletter") in html
    # The newsletter's language starts as the page's.
    assert re.search(rf'value="{language}"[^>]*checked', html)
    assert 'name="website"' in html  # the honeypot is there, hidden


# --- double opt-in ----------------------------------------------------------------------------


def test_subscribe_sends_a_confirmation_in_the_chosen_language_and_lists_nobody_yet(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = subscribe(client, " Lector@Example.org ", "es")
    assert response.status_code == 302
    assert response["Location"] == SENT
    subscriber = NewsletterSubscriber.objects.get()
    assert subscriber.email == "lector@example.org"
    assert subscriber.language == "es"
    assert subscriber.confirmed_at is None
    assert not subscriber.is_active
    assert [m.to for m in mailoutbox] == [["lector@example.org"]]
    with translation.override("es"):
        expected = gettext("Confirm your subscription to the %(program)s newsletter") % {
            "program": "Amparo"
        }
    assert mailoutbox[0].subject == expected
    assert "/newsletter/confirm/" in mailoutbox[0].body
    assert "/newsletter/unsubscribe/" in mailoutbox[0].body
    sent_page = client.get(SENT).content.decode()
    assert "Check your e-mail" in sent_page


def test_subscriber_email_is_encrypted_at_rest_and_found_by_blind_index(client, subscribed):
    subscribed("secret.reader@example.org")
    with connection.cursor() as cursor:
        cursor.execute("SELECT email, email_index FROM public_newslettersubscriber")
        stored_email, stored_index = cursor.fetchone()
    assert "secret.reader" not in stored_email
    assert stored_index == blind_index("secret.reader@example.org", purpose="newsletter_email")


def test_confirmation_link_shows_a_button_and_the_button_confirms(client, subscribed):
    path = subscribed()
    page = client.get(path)
    assert page.status_code == 200
    assert "Confirm my subscription" in page.content.decode()
    # Opening the link (as a mail scanner does) subscribes nobody.
    assert NewsletterSubscriber.objects.get().confirmed_at is None
    response = client.post(path)
    assert response.status_code == 200
    assert "You are subscribed" in response.content.decode()
    subscriber = NewsletterSubscriber.objects.get()
    assert subscriber.is_active
    assert subscriber.confirmation_nonce == ""


def test_confirmation_link_works_once(client, subscribed):
    path = subscribed()
    assert client.post(path).status_code == 200
    confirmed_at = NewsletterSubscriber.objects.get().confirmed_at
    for method in (client.post, client.get):
        again = method(path)
        assert again.status_code == 400
        assert "already used" in again.content.decode()
    assert NewsletterSubscriber.objects.get().confirmed_at == confirmed_at


def test_expired_confirmation_link_is_refused_cleanly(client, subscribed):
    with time_machine.travel(START, tick=False):
        path = subscribed()
    with time_machine.travel(START + dt.timedelta(days=7, minutes=1), tick=False):
        for method in (client.get, client.post):
            response = method(path)
            assert response.status_code == 400
            assert "expired" in response.content.decode()
    assert NewsletterSubscriber.objects.get().confirmed_at is None


def test_confirmation_link_works_until_it_expires(client, subscribed):
    with time_machine.travel(START, tick=False):
        path = subscribed()
    with time_machine.travel(START + dt.timedelta(days=6, hours=23), tick=False):
        assert client.post(path).status_code == 200
    assert NewsletterSubscriber.objects.get().is_active


def test_forged_confirmation_links_are_refused_cleanly(client, subscribed):
    path = subscribed()
    token = path.rstrip("/").rsplit("/", 1)[1]
    subscriber = NewsletterSubscriber.objects.get()
    forged = [
        "not-a-token",
        token[:-2] + ("AA" if not token.endswith("AA") else "BB"),  # signature altered
        # Right payload, wrong key: signed by someone who does not have the secret key.
        signing.dumps(
            {"s": subscriber.pk, "n": subscriber.confirmation_nonce},
            key="attacker-key",
            salt="amparo.public.newsletter.confirm",
        ),
        # A genuine unsubscribe token is not a confirmation token (separate salts).
        services.subscriber_unsubscribe_token(subscriber),
        # A signed payload of the wrong shape.
        signing.dumps(["x"], salt="amparo.public.newsletter.confirm"),
    ]
    for bad in forged:
        url = reverse("public:newsletter_confirm", args=[bad])
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 400, bad
            assert "not valid" in response.content.decode()
    assert NewsletterSubscriber.objects.get().confirmed_at is None


def test_link_refusal_in_spanish(client, db):
    url = reverse("public:newsletter_confirm", args=["not-a-token"])
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 400
    with translation.override("es"):
        expected = gettext(
            "This link is not valid. Copy the whole link from the e-mail, or subscribe again."
        )
    assert expected in response.content.decode()


# --- duplicates ---------------------------------------------------------------------------------


def test_the_same_address_twice_is_one_subscriber_and_one_email(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = subscribe(client, "lector@example.org")
        second = subscribe(client, "LECTOR@example.org ")
    assert first.status_code == second.status_code == 302
    assert second["Location"] == SENT
    assert NewsletterSubscriber.objects.count() == 1
    assert len(mailoutbox) == 1  # no flood of someone's mailbox


def test_a_pending_address_gets_a_new_link_after_a_while_and_both_links_work_once(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    with (
        time_machine.travel(START, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        subscribe(client)
    with time_machine.travel(START + dt.timedelta(minutes=20), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            subscribe(client, language="es")
        assert len(mailoutbox) == 2
        first, second = link_in(mailoutbox[0], "confirm"), link_in(mailoutbox[1], "confirm")
        assert NewsletterSubscriber.objects.get().language == "es"
        assert client.post(first).status_code == 200
        assert client.post(second).status_code == 400


def test_an_address_already_on_the_list_gets_the_same_answer_and_no_email(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    subscriber = NewsletterSubscriberFactory(email="fiel@example.org", language="es")
    with django_capture_on_commit_callbacks(execute=True):
        response = subscribe(client, "fiel@example.org", "en")
    assert response.status_code == 302
    assert response["Location"] == SENT
    assert mailoutbox == []
    subscriber.refresh_from_db()
    assert subscriber.is_active
    assert subscriber.language == "es"  # a stranger cannot change someone's subscription
    assert NewsletterSubscriber.objects.count() == 1


def test_subscribe_service_reports_the_outcome(db):
    assert (
        services.subscriber_subscribe(email="a@example.org", language="en")
        is services.SubscribeOutcome.CONFIRMATION_SENT
    )
    assert (
        services.subscriber_subscribe(email="A@example.org", language="en")
        is services.SubscribeOutcome.CONFIRMATION_RECENTLY_SENT
    )
    NewsletterSubscriberFactory(email="b@example.org")
    assert (
        services.subscriber_subscribe(email="b@example.org", language="en")
        is services.SubscribeOutcome.ALREADY_SUBSCRIBED
    )


# --- unsubscribe -------------------------------------------------------------------------------


def test_unsubscribe_by_link(client, db):
    subscriber = NewsletterSubscriberFactory()
    path = reverse(
        "public:newsletter_unsubscribe", args=[services.subscriber_unsubscribe_token(subscriber)]
    )
    page = client.get(path)
    assert page.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.is_active  # opening the link changes nothing
    response = client.post(path)
    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at is not None
    assert not subscriber.is_active
    # Again: harmless, and the page says so.
    assert client.post(path).status_code == 200
    assert "already unsubscribed" in client.get(path).content.decode()


def test_unsubscribe_link_from_the_confirmation_email_works(client, subscribed, mailoutbox):
    confirm = subscribed()
    unsubscribe = link_in(mailoutbox[-1], "unsubscribe")
    assert client.post(unsubscribe).status_code == 200
    # The pending confirmation dies with it: nobody is subscribed against their last word.
    assert client.post(confirm).status_code == 400
    subscriber = NewsletterSubscriber.objects.get()
    assert subscriber.confirmed_at is None
    assert subscriber.unsubscribed_at is not None


def test_forged_unsubscribe_links_are_refused_cleanly(client, db):
    subscriber = NewsletterSubscriberFactory()
    other = NewsletterSubscriberFactory()
    genuine = services.subscriber_unsubscribe_token(subscriber)
    forged = [
        "not-a-token",
        genuine[:-1] + ("A" if not genuine.endswith("A") else "B"),
        signing.Signer(key="attacker", salt="amparo.public.newsletter.unsubscribe").sign_object(
            {"s": other.pk, "e": other.email_index[:16]}
        ),
        # Signed for one subscriber, pointed at another.
        signing.Signer(salt="amparo.public.newsletter.unsubscribe").sign_object(
            {"s": other.pk, "e": subscriber.email_index[:16]}
        ),
    ]
    for bad in forged:
        url = reverse("public:newsletter_unsubscribe", args=[bad])
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 400, bad
    assert NewsletterSubscriber.objects.filter(unsubscribed_at__isnull=True).count() == 2


def test_subscribing_again_after_unsubscribing_needs_a_new_confirmation(
    client, subscribed, mailoutbox
):
    first_confirm = subscribed()
    assert client.post(first_confirm).status_code == 200
    subscriber = NewsletterSubscriber.objects.get()
    services.subscriber_unsubscribe(token=services.subscriber_unsubscribe_token(subscriber))
    second_confirm = subscribed()
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at is None
    assert subscriber.confirmed_at is None  # off the list until confirmed again
    assert client.post(first_confirm).status_code == 400  # the old link stays dead
    assert client.post(second_confirm).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.is_active
    assert NewsletterSubscriber.objects.count() == 1


# --- bad input, spam and abuse -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"email": "not-an-address", "language": "en"}, "email"),
        ({"email": "", "language": "en"}, "email"),
        ({"email": "a@example.org", "language": "fr"}, "language"),
        ({"email": "a" * 250 + "@example.org", "language": "en"}, "email"),
    ],
)
def test_bad_input_is_explained_and_saves_nothing(client, db, mailoutbox, data, field):
    response = client.post(NEWSLETTER, data)
    assert response.status_code == 422
    assert f'id="id_{field}_error"' in response.content.decode()
    assert NewsletterSubscriber.objects.count() == 0
    assert mailoutbox == []


def test_bad_input_is_explained_in_spanish(client, db):
    response = client.post(
        NEWSLETTER, {"email": "nope", "language": "es"}, HTTP_ACCEPT_LANGUAGE="es"
    )
    assert response.status_code == 422
    with translation.override("es"):
        expected = gettext("Enter a valid e-mail address, for example name@example.org.")
    assert expected in response.content.decode()


def test_honeypot_answers_like_a_success_and_saves_nothing(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = subscribe(client, website="http://spam.example")
    assert response.status_code == 302
    assert response["Location"] == SENT
    assert NewsletterSubscriber.objects.count() == 0
    assert mailoutbox == []


def test_rate_limit_per_address(client, db, mailoutbox):
    for n in range(5):
        assert subscribe(client, f"r{n}@example.org", REMOTE_ADDR="203.0.113.7").status_code == 302
    response = subscribe(client, "late@example.org", REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert "Too many submissions" in response.content.decode()
    assert not NewsletterSubscriber.objects.filter(
        email_index=services.subscriber_email_index("late@example.org")
    ).exists()
    # Another address is not affected.
    assert subscribe(client, "other@example.org", REMOTE_ADDR="198.51.100.4").status_code == 302


def test_rate_limit_counts_spam_and_errors_and_ends_with_the_window(client, db):
    with time_machine.travel(START, tick=False):
        for _ in range(3):
            subscribe(client, website="spam")
        for _ in range(2):
            client.post(NEWSLETTER, {"email": "bad", "language": "en"})
        assert subscribe(client).status_code == 429
    with time_machine.travel(START + dt.timedelta(hours=1, minutes=1), tick=False):
        assert subscribe(client).status_code == 302


def test_rate_limit_message_in_spanish(client, db):
    for _ in range(5):
        subscribe(client, website="spam")
    response = subscribe(client, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 429
    assert '<html lang="es">' in response.content.decode()


# --- the coordinators' export ------------------------------------------------------------------


def read_csv(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_export_lists_confirmed_subscribers_only_and_is_audited(client, personas):
    confirmed_at = timezone.now() - dt.timedelta(days=3)
    on_list = NewsletterSubscriberFactory(
        email="uno@example.org", language="es", confirmed_at=confirmed_at
    )
    NewsletterSubscriberFactory(email="=cmd|' /C calc'!A0@example.org")
    NewsletterSubscriberFactory(email="pending@example.org", confirmed_at=None)
    NewsletterSubscriberFactory(email="gone@example.org", unsubscribed_at=timezone.now())
    client.force_login(personas.coordinator)
    response = client.get(EXPORT)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    rows = read_csv(response)
    assert rows[0] == ["E-mail", "Language", "Confirmed", "Unsubscribe link"]
    by_email = {row[0]: row for row in rows[1:]}
    assert set(by_email) == {"uno@example.org", "'=cmd|' /C calc'!A0@example.org"}
    row = by_email["uno@example.org"]
    assert row[1] == "es"
    assert row[2] == timezone.localtime(confirmed_at).isoformat(timespec="seconds")
    # The unsubscribe link in the file works for that subscriber.
    path = re.sub(r"^https?://[^/]+", "", row[3])
    assert client.post(path).status_code == 200
    on_list.refresh_from_db()
    assert on_list.unsubscribed_at is not None
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert event.actor == personas.coordinator
    assert event.data == {"export": "newsletter_subscribers", "rows": 2}
    assert "uno@example.org" not in str(event.data)  # ids and counts only


@pytest.mark.parametrize(
    "persona",
    [
        "program_admin",
        "attorney",
        "unverified_attorney",
        "mentor",
        "partner",
    ],
)
def test_export_is_for_coordinators_only(client, personas, persona):
    NewsletterSubscriberFactory(email="uno@example.org")
    client.force_login(getattr(personas, persona))
    for url in (EXPORT, reverse("public:subscriber_list")):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "uno@example.org" not in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


def test_export_needs_sign_in(client, db):
    response = client.get(EXPORT)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_coordinator_sees_subscriber_counts(client, personas, django_assert_max_num_queries):
    NewsletterSubscriberFactory.create_batch(3)
    NewsletterSubscriberFactory(confirmed_at=None)
    NewsletterSubscriberFactory(unsubscribed_at=timezone.now())
    client.force_login(personas.coordinator)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("public:subscriber_list"))
    assert response.status_code == 200
    assert response.context["counts"] == {"active": 3, "pending": 1, "unsubscribed": 1}
    assert EXPORT in response.content.decode()
