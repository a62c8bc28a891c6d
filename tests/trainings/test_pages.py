"""The catalogue, course and module pages by role, the module video, the admin, the demo."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from amparo.accounts.models import User
from amparo.trainings.models import Certificate, Course, Gate, LiveSession
from amparo.trainings.selectors import gate_check
from tests.factories import AttorneyProfileFactory, CourseFactory, ModuleFactory

pytestmark = pytest.mark.django_db

VIDEO_BYTES = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 32


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("attorney", 200),
        ("unverified_attorney", 200),
        ("mentor", 200),
        ("coordinator", 200),
        ("program_admin", 200),
        ("partner", 404),
    ],
)
def test_catalogue_by_role(client, personas, catalogue, persona, status):
    client.force_login(getattr(personas, persona))
    response = client.get(reverse("trainings:catalogue"))
    assert response.status_code == status
    if status == 200:
        assert catalogue.asylum.title_en in response.content.decode()


def test_catalogue_anonymous_goes_to_sign_in(client, db):
    response = client.get(reverse("trainings:catalogue"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_catalogue_shows_my_status_and_hides_inactive_courses(client, personas, catalogue):
    retired = CourseFactory(title_en="Retired course", active=False)
    client.force_login(personas.attorney)
    html = client.get(reverse("trainings:catalogue")).content.decode()
    assert "Not started" in html and retired.title_en not in html
    assert client.get(reverse("trainings:course", args=[retired.pk])).status_code == 404
    client.force_login(personas.coordinator)
    html = client.get(reverse("trainings:catalogue")).content.decode()
    assert retired.title_en in html and "Certificates to review" in html


def test_pending_attorney_sees_the_catalogue_but_takes_nothing(client, personas, catalogue):
    client.force_login(personas.unverified_attorney)
    html = client.get(reverse("trainings:catalogue")).content.decode()
    assert "once a coordinator verifies your bar standing" in html
    assert client.get(reverse("trainings:course", args=[catalogue.asylum.pk])).status_code == 404
    response = client.post(reverse("trainings:module_complete", args=[catalogue.modules[0].pk]))
    assert response.status_code == 404


def test_catalogue_query_count_does_not_grow_with_courses(
    client, personas, catalogue, django_assert_max_num_queries
):
    client.force_login(personas.attorney)
    with django_assert_max_num_queries(12) as few:
        assert client.get(reverse("trainings:catalogue")).status_code == 200
    for n in range(12):
        course = CourseFactory(kind=["program", "external", "live", "intro_video"][n % 4])
        if course.has_modules:
            ModuleFactory(course=course)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("trainings:catalogue"))
    assert response.content.decode().count('class="list-group-item"') == 15


@pytest.fixture
def video_module(catalogue):
    module = catalogue.modules[0]
    module.video_file.save("intro.mp4", ContentFile(VIDEO_BYTES), save=True)
    return module


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("attorney", True),
        ("mentor", True),
        ("coordinator", True),
        ("program_admin", True),
        ("unverified_attorney", False),
        ("partner", False),
    ],
)
def test_module_video_through_the_permission_check(
    client, personas, video_module, persona, allowed
):
    client.force_login(getattr(personas, persona))
    response = client.get(reverse("trainings:module_video", args=[video_module.pk]))
    if allowed:
        assert response.status_code == 200
        assert response["Content-Type"] == "video/mp4"
        assert b"".join(response.streaming_content) == VIDEO_BYTES
    else:
        assert response.status_code == 404


def test_module_page_embeds_the_private_video_and_links_the_external_one(
    client, personas, video_module
):
    video_module.video_url = "https://video.example.org/watch?v=1"
    video_module.save()
    client.force_login(personas.attorney)
    html = client.get(reverse("trainings:module", args=[video_module.pk])).content.decode()
    assert reverse("trainings:module_video", args=[video_module.pk]) in html
    assert "https://video.example.org/watch?v=1" in html
    # The storage's own address is never given out.
    assert "/no-public-media/" not in html


def test_module_video_anonymous_goes_to_sign_in(client, video_module):
    response = client.get(reverse("trainings:module_video", args=[video_module.pk]))
    assert response.status_code == 302


@pytest.mark.parametrize("persona", ["coordinator", "program_admin"])
def test_staff_manage_the_catalogue_in_the_admin(client, personas, catalogue, persona):
    user = getattr(personas, persona)
    User.objects.filter(pk=user.pk).update(is_staff=True)
    client.force_login(user)
    assert client.get(reverse("admin:trainings_course_changelist")).status_code == 200
    assert client.get(reverse("admin:trainings_gate_add")).status_code == 200
    change = client.get(reverse("admin:trainings_course_change", args=[catalogue.asylum.pk]))
    assert change.status_code == 200 and "Modules" in change.content.decode()


def test_admin_gate_requires_courses(client, personas, catalogue):
    User.objects.filter(pk=personas.coordinator.pk).update(is_staff=True)
    client.force_login(personas.coordinator)
    response = client.post(
        reverse("admin:trainings_gate_add"),
        {"action": "take_case:u_visa", "required_courses": [catalogue.asylum.pk], "note": ""},
    )
    assert response.status_code == 302
    assert not gate_check(user=personas.attorney, action="take_case:u_visa").ok


def test_admin_question_needs_a_right_answer(client, personas, catalogue):
    User.objects.filter(pk=personas.coordinator.pk).update(is_staff=True)
    client.force_login(personas.coordinator)
    data = {
        "module": catalogue.quiz_module.pk,
        "position": 9,
        "text_en": "A question?",
        "text_es": "",
        "choices-TOTAL_FORMS": "2",
        "choices-INITIAL_FORMS": "0",
        "choices-MIN_NUM_FORMS": "0",
        "choices-MAX_NUM_FORMS": "1000",
        "choices-0-position": "1",
        "choices-0-text_en": "Yes",
        "choices-1-position": "2",
        "choices-1-text_en": "No",
    }
    response = client.post(reverse("admin:trainings_question_add"), data)
    assert response.status_code == 200
    assert "Mark the right answer." in response.content.decode()


def test_attorneys_do_not_reach_the_admin(client, personas):
    User.objects.filter(pk=personas.attorney.pk).update(is_staff=True)
    client.force_login(personas.attorney)
    assert client.get(reverse("admin:trainings_course_changelist")).status_code == 403


def test_nav_has_trainings_for_attorneys_mentors_and_coordinators(client, personas):
    for persona in ("attorney", "mentor", "coordinator"):
        client.force_login(getattr(personas, persona))
        html = client.get(reverse("dashboard")).content.decode()
        assert f'href="{reverse("trainings:catalogue")}"' in html, persona
    client.force_login(personas.partner)
    html = client.get(reverse("dashboard")).content.decode()
    assert f'href="{reverse("trainings:catalogue")}"' not in html


def test_demo_seed_gives_the_demo_attorneys_their_progress(db, settings):
    settings.DEBUG = True
    call_command("demo_data", verbosity=0)
    attorney = User.objects.get(email="attorney@demo.amparo.org")
    attorney2 = User.objects.get(email="attorney2@demo.amparo.org")
    assert Course.objects.count() == 5
    assert set(Course.objects.values_list("kind", flat=True)) == {
        "program",
        "intro_video",
        "external",
        "live",
    }
    comprehensive = Course.objects.get(title_en="Comprehensive asylum training")
    assert comprehensive.modules.count() == 3
    assert comprehensive.modules.filter(questions__isnull=False).exists()
    assert gate_check(user=attorney, action="take_case:defensive_asylum").ok
    blocked = gate_check(user=attorney2, action="take_case:defensive_asylum")
    # Reasons come in the attorney's own language (attorney2 reads Spanish in the demo).
    expected = "1 de 3 módulos completados" if attorney2.language == "es" else "1 of 3 modules done"
    assert [why for _course, why in blocked.missing] == [expected]
    assert Certificate.objects.get(user=attorney).status == "pending"
    session = LiveSession.objects.get()
    assert 20 <= (session.starts_at - timezone.now()).days <= 40
    assert Gate.objects.filter(action="mentor_first_meeting").exists()
    # The demo attorney can still take the demo's defensive asylum cases.
    from amparo.cases.models import Case
    from amparo.cases.placement import attorney_eligibility

    case = Case.objects.filter(stage="ready", case_type="defensive_asylum").first()
    reasons = attorney_eligibility(attorney=attorney, case=case).reasons
    assert not any("training" in reason for reason in reasons)
    reasons2 = attorney_eligibility(attorney=attorney2, case=case).reasons
    assert any("Comprehensive asylum training" in reason for reason in reasons2)


def test_verified_attorney_factory_personas_are_learners(personas):
    from amparo.core.policy import can

    assert can(personas.attorney, "trainings.take_courses")
    assert can(personas.mentor, "trainings.take_courses")
    assert not can(personas.unverified_attorney, "trainings.take_courses")
    assert not can(personas.coordinator, "trainings.take_courses")
    profile = AttorneyProfileFactory(
        verification_status="suspended",
        verified_by=personas.coordinator,
        verified_at=timezone.now(),
    )
    assert not can(profile.user, "trainings.take_courses")
