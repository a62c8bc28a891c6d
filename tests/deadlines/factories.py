"""factory_boy factories for stored deadlines and milestones."""

from __future__ import annotations

import datetime

import factory

from amparo.deadlines.models import Anchor, CaseDeadline, DeadlineSource, Milestone
from tests.factories import CaseFactory


class CaseDeadlineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseDeadline

    case = factory.SubFactory(CaseFactory)
    rule = "ICPM_PREHEARING"
    source = DeadlineSource.RULE
    date = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=10))
    citation = "Immigration Court Practice Manual ch. 3.1(b)"


class CustomDeadlineFactory(CaseDeadlineFactory):
    rule = "CUSTOM"
    source = DeadlineSource.CUSTOM
    title = "Send the declaration to the interpreter"
    citation = ""


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    case = factory.SubFactory(CaseFactory)
    order = factory.Sequence(lambda n: n + 1)
    title_en = "Draft the declaration"
    title_es = "Redactar la declaración"
    anchor = Anchor.PLACEMENT
    due_date = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=5))
    status = Milestone.Status.TO_DO
