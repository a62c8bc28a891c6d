"""The demo program includes the library: sample documents, a second version waiting as a
notification for the demo attorney, and the strategy notes."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from amparo.library.models import Document, Notification, StrategyNote


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("demo_data", verbosity=0)


def test_demo_library_has_documents_versions_and_a_notification(demo):
    assert Document.objects.count() == 5
    checklist = Document.objects.get(title_en="Asylum declaration checklist")
    assert list(checklist.versions.values_list("number", flat=True)) == [2, 1]
    first = checklist.versions.get(number=1)
    assert first.downloads.get().user.email == "attorney@demo.amparo.org"
    notification = Notification.objects.get()
    assert notification.user.email == "attorney@demo.amparo.org"
    assert notification.read_at is None
    assert set(Document.objects.values_list("versions__file_type", flat=True)) == {"txt", "pdf"}


def test_demo_library_strategy_notes_cover_asylum_and_u_visa(demo):
    assert set(StrategyNote.objects.values_list("case_type", flat=True)) == {
        "defensive_asylum",
        "affirmative_asylum",
        "u_visa",
    }
    tied = StrategyNote.objects.filter(milestone_item__isnull=False)
    assert tied.count() == 3
    assert all(n.milestone_item.template.case_type == n.case_type for n in tied)
    assert all(n.revisions.count() == 1 and n.body_es for n in StrategyNote.objects.all())
