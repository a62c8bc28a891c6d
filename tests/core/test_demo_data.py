from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from amparo.accounts.models import User
from amparo.cases.models import Case, Hearing, Stage
from amparo.intake.models import Client, FamilyMember
from amparo.people.models import AttorneyProfile, MentorProfile, Organization

DEMO_EMAILS = [
    "coordinator@demo.amparo.org",
    "attorney@demo.amparo.org",
    "attorney2@demo.amparo.org",
    "mentor@demo.amparo.org",
    "admin@demo.amparo.org",
    "partner@demo.amparo.org",
]


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("demo_data", verbosity=0)


def test_demo_data_builds_the_whole_program(demo):
    assert Organization.objects.filter(kind="operator").count() == 1
    assert Organization.objects.filter(kind="partner").count() == 2
    assert Organization.objects.filter(kind="law_firm").count() == 3
    assert AttorneyProfile.objects.count() == 25
    statuses = set(AttorneyProfile.objects.values_list("verification_status", flat=True))
    assert statuses == {"verified", "pending", "declined", "suspended"}
    assert MentorProfile.objects.count() == 6
    assert Client.objects.count() == 60
    assert FamilyMember.objects.exists()
    assert Case.objects.count() == 40
    assert set(Case.objects.values_list("stage", flat=True)) == {s.value for s in Stage}
    assert set(Case.objects.values_list("case_type", flat=True)) == {
        "defensive_asylum",
        "affirmative_asylum",
        "u_visa",
    }
    assert Case.objects.filter(detained=True).exists()
    assert Case.objects.values("court").distinct().count() >= 3
    assert Hearing.objects.count() >= 20
    assert Case.objects.exclude(summary_es="").count() == 40


def test_demo_data_sign_ins_work_with_the_demo_password(demo, client):
    for email in DEMO_EMAILS:
        user = User.objects.get(email=email)
        assert user.check_password("amparo-demo")
        assert user.is_demo
    assert {u.role for u in User.objects.filter(email__in=DEMO_EMAILS)} == {
        "coordinator",
        "attorney",
        "mentor",
        "program_admin",
        "partner",
    }


def test_demo_data_every_role_reaches_its_dashboard(demo, client, settings):
    settings.AMPARO_DEMO_SKIPS_2FA = True
    for email in DEMO_EMAILS:
        client.post("/accounts/login/", {"login": email, "password": "amparo-demo"})
        response = client.get("/dashboard/")
        assert response.status_code == 200, email
        client.post("/accounts/logout/")


def test_demo_data_demo_attorneys_have_cases_with_upcoming_hearings(demo):
    for email in ["attorney@demo.amparo.org", "attorney2@demo.amparo.org"]:
        cases = Case.objects.filter(attorney_of_record__email=email, stage=Stage.PLACED)
        assert cases.exists()
    assert Case.objects.filter(mentor__email="mentor@demo.amparo.org").exists()


def test_demo_data_personal_data_is_encrypted(demo):
    client = Client.objects.exclude(a_number="").first()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT family_names, a_number FROM intake_client WHERE id = %s", [client.pk]
        )
        raw = cursor.fetchone()
    assert client.family_names not in raw[0]
    assert client.a_number not in raw[1]


def test_demo_data_refuses_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG"):
        call_command("demo_data")
    assert not User.objects.exists()


def test_demo_data_if_empty_leaves_a_used_database_alone(demo):
    call_command("demo_data", "--if-empty", verbosity=0)
    assert Case.objects.count() == 40


def test_demo_data_gives_reports_something_to_show(demo):
    from amparo.cases.models import Case, Hearing, Placement, Stage

    closed = Case.objects.filter(stage=Stage.CLOSED)
    assert closed.exists() and not closed.filter(outcome_date__isnull=True).exists()
    placed = Case.objects.filter(stage=Stage.PLACED)
    assert (
        Placement.objects.filter(case__in=placed, ended_at__isnull=True).count() == placed.count()
    )
    assert Case.objects.filter(stage=Stage.READY, on_public_urgent_page=True).exists()
    # Courts sit on weekdays.
    assert all(h.starts_at.weekday() < 5 for h in Hearing.objects.all())
