"""The workspace's part of the demo program."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from amparo.accounts.models import User
from amparo.workspace.models import ClientContact, HoursEntry, StatusRequestRecipient


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("demo_data", verbosity=0)


def test_demo_fills_the_demo_attorneys_workspaces(demo):
    attorney = User.objects.get(email="attorney@demo.amparo.org")
    assert ClientContact.objects.filter(case__attorney_of_record=attorney).exists()
    assert HoursEntry.objects.filter(attorney=attorney).exists()
    assert ClientContact.objects.filter(channel="in_person").exists()
    recipients = StatusRequestRecipient.objects.all()
    assert recipients.count() == 2
    assert recipients.filter(answered_at__isnull=False).count() == 1
