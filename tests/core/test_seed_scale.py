"""seed_scale at a tiny size: the counts asked for, and data the pages can work with."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from amparo.accounts.models import Role, User
from amparo.cases.models import Case, Hearing, Placement, Stage
from amparo.conflicts.models import PartyNameToken
from amparo.conflicts.services.indexing import conflicts_reindex_all
from amparo.core.scale_seed import BENCH_ATTORNEY, BENCH_COORDINATOR, BENCH_MENTOR
from amparo.deadlines.models import CaseDeadline, Milestone
from amparo.intake.models import AdverseParty, Client, FamilyMember
from amparo.mentoring.models import Mentorship
from amparo.people.models import AttorneyProfile, MentorProfile

pytestmark = pytest.mark.django_db

CASES = 120


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    call_command(
        "seed_scale", cases=CASES, attorneys=30, mentors=6, coordinators=2, seed=5, verbosity=0
    )


def test_counts_follow_the_arguments(seeded):
    assert Case.objects.count() == CASES
    assert Client.objects.count() == CASES
    # Parties default to three per case: the client and two more (family or adverse).
    assert Client.objects.count() + FamilyMember.objects.count() + AdverseParty.objects.count() == (
        3 * CASES
    )
    assert AttorneyProfile.objects.count() == 30
    assert MentorProfile.objects.count() == 6
    assert User.objects.filter(role=Role.COORDINATOR).count() == 2
    assert set(Case.objects.values_list("stage", flat=True)) == {s.value for s in Stage}
    assert len(set(Case.objects.values_list("code", flat=True))) == CASES


def test_placed_cases_have_a_verified_attorney_and_a_placement(seeded):
    placed = Case.objects.filter(stage=Stage.PLACED)
    assert placed.exists()
    assert not placed.filter(attorney_of_record__isnull=True).exists()
    assert not placed.exclude(attorney_of_record__attorney_profile__verification_status="verified")
    assert Placement.objects.filter(case__stage=Stage.PLACED).count() == placed.count()
    assert Milestone.objects.filter(case__stage=Stage.PLACED).exists()
    mentorship = Mentorship.objects.select_related("case").first()
    assert mentorship is not None
    assert mentorship.case.mentor_id == mentorship.mentor_id
    assert mentorship.mentee_id == mentorship.case.attorney_of_record_id


def test_deadlines_and_hearings_come_from_the_engine(seeded):
    assert Hearing.objects.exists()
    assert CaseDeadline.objects.exists()
    # Every upcoming hearing of a case on the board is its next hearing on the card.
    hearing = Hearing.objects.filter(case__stage=Stage.READY).order_by("starts_at").first()
    if hearing is not None:
        assert hearing.case.next_hearing_on is not None
    assert Case.objects.filter(stage=Stage.READY, urgency__gt=0).exists()


def test_encrypted_names_and_blind_index_match_the_projects_own(seeded):
    client = Client.objects.first()
    assert client.given_names and client.family_names
    seeded_tokens = set(
        PartyNameToken.objects.values_list("party_type", "party_id", "token_hash", "client_id")
    )
    # Rebuilding the index with the conflicts app's own code gives the same rows.
    conflicts_reindex_all()
    rebuilt = set(
        PartyNameToken.objects.values_list("party_type", "party_id", "token_hash", "client_id")
    )
    assert seeded_tokens == rebuilt


def test_pages_open_for_the_bench_sign_ins(seeded, client):
    attorney = User.objects.get(email=BENCH_ATTORNEY)
    client.force_login(attorney)
    board = client.get(reverse("board:board"))
    assert board.status_code == 200
    published = Case.objects.filter(stage=Stage.READY).order_by("-urgency", "id").first()
    assert published.code in board.content.decode()
    own_case = Case.objects.filter(attorney_of_record=attorney, stage=Stage.PLACED).first()
    assert own_case is not None
    workspace = client.get(reverse("workspace:case", args=[own_case.code]))
    assert workspace.status_code == 200
    client.force_login(User.objects.get(email=BENCH_COORDINATOR))
    assert client.get(reverse("dashboard")).status_code == 200
    assert User.objects.filter(email=BENCH_MENTOR).exists()


def test_refuses_a_database_with_cases_unless_forced(seeded, settings):
    with pytest.raises(CommandError, match="already holds cases"):
        call_command("seed_scale", cases=5, verbosity=0)
    call_command("seed_scale", cases=5, attorneys=2, mentors=1, seed=6, force=True, verbosity=0)
    assert Case.objects.count() == CASES + 5


def test_refuses_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="known password"):
        call_command("seed_scale", cases=5, verbosity=0)
