"""A case submitted through the API goes through the intake's own forms (amparo.intake.forms),
so it meets exactly the checks of the web intake, in the caller's language, with each problem
named by its path in the JSON body; then through the intake's service, in one transaction.

The web form takes one hearing; the API takes several: each is checked by the same form (its
date against the arrival, its kind) and added with the deadlines service's `hearing_add`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from amparo.api.schemas import CaseIn, HearingIn
from amparo.cases.models import Case
from amparo.courts.models import DetentionFacility, ImmigrationCourt
from amparo.intake.forms import AdversePartyForm, FamilyMemberForm, IntakeCaseForm

CLIENT_FIELDS = (
    "given_names",
    "family_names",
    "a_number",
    "date_of_birth",
    "country_of_nationality",
    "languages",
    "phone",
    "address",
    "do_not_contact_at_home",
)
CASE_FIELDS = (
    "case_type",
    "court",
    "detained",
    "detention_facility",
    "is_unaccompanied_child",
    "last_arrival",
    "supplement_b_signed",
)


@dataclass
class Submission:
    client: dict[str, Any] = field(default_factory=dict)
    case: dict[str, Any] = field(default_factory=dict)
    hearings: list[dict[str, Any]] = field(default_factory=list)
    family: list[dict[str, Any]] = field(default_factory=list)
    adverse_parties: list[dict[str, Any]] = field(default_factory=list)


def _case_form_path(name: str, hearing_index: int) -> str:
    if name in CLIENT_FIELDS:
        return f"client.{name}"
    if name == "hearing_kind":
        return f"hearings[{hearing_index}].kind"
    if name == "hearing_at":
        return f"hearings[{hearing_index}].starts_at"
    if name == "__all__":
        return "body"
    return name


def _add(errors: dict[str, list[str]], path: str, messages: list[str]) -> None:
    bucket = errors.setdefault(path, [])
    bucket += [m for m in messages if m not in bucket]


def _lookup(payload: CaseIn, errors: dict[str, list[str]]) -> tuple[int | None, int | None]:
    """The court by its EOIR code and the facility by its name (the ids the forms take)."""
    court_id = facility_id = None
    if payload.court:
        court_id = (
            ImmigrationCourt.objects.filter(code__iexact=payload.court.strip()[:8])
            .values_list("pk", flat=True)
            .first()
        )
        if court_id is None:
            _add(errors, "court", [_("No immigration court has this EOIR code.")])
    if payload.detention_facility:
        facility_id = (
            DetentionFacility.objects.filter(name__iexact=payload.detention_facility.strip()[:160])
            .values_list("pk", flat=True)
            .first()
        )
        if facility_id is None:
            _add(errors, "detention_facility", [_("No detention facility has this name.")])
    return court_id, facility_id


# The deadline engine counts in these years (deadlines/domain/contract.py); a date far outside
# them cannot be a real fact of a case and would overflow the date arithmetic.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100


def _out_of_range(payload: CaseIn) -> dict[str, list[str]]:
    dates: list[tuple[str, Any]] = [
        ("client.date_of_birth", payload.client.date_of_birth),
        ("last_arrival", payload.last_arrival),
        ("supplement_b_signed", payload.supplement_b_signed),
    ]
    dates += [(f"hearings[{i}].starts_at", h.starts_at) for i, h in enumerate(payload.hearings)]
    dates += [(f"family[{i}].date_of_birth", m.date_of_birth) for i, m in enumerate(payload.family)]
    message = _("Enter a date between %(first)s and %(last)s.") % {
        "first": EARLIEST_YEAR,
        "last": LATEST_YEAR,
    }
    return {
        path: [message]
        for path, value in dates
        if value is not None and not EARLIEST_YEAR <= value.year <= LATEST_YEAR
    }


def case_submission_validate(payload: CaseIn) -> tuple[Submission | None, dict[str, list[str]]]:
    """The cleaned submission, or every problem by field path (then the submission is None)."""
    errors = _out_of_range(payload)
    if errors:
        return None, errors
    court_id, facility_id = _lookup(payload, errors)
    client = payload.client
    base: dict[str, Any] = {
        **{name: getattr(client, name) for name in CLIENT_FIELDS},
        "case_type": payload.case_type.value,
        "court": court_id,
        "detained": payload.detained,
        "detention_facility": facility_id,
        "is_unaccompanied_child": payload.is_unaccompanied_child,
        "last_arrival": payload.last_arrival,
        "supplement_b_signed": payload.supplement_b_signed,
    }
    if payload.detention_facility and facility_id is None:
        # Already reported by name: do not let the form say the facility is missing too.
        base["detention_facility"] = None
        base["detained"] = False
    submission = Submission()
    hearings: list[HearingIn | None] = list(payload.hearings) or [None]
    for index, hearing in enumerate(hearings):
        data = dict(base)
        if hearing is not None:
            data.update(hearing_kind=hearing.kind.value, hearing_at=hearing.starts_at)
        form = IntakeCaseForm(data=data)
        if not form.is_valid():
            for name, messages in form.errors.items():
                # The client's and the case's fields are the same in every hearing's check.
                if index and name not in ("hearing_kind", "hearing_at"):
                    continue
                _add(errors, _case_form_path(name, index), [str(m) for m in messages])
            continue
        if index == 0:
            submission.client = {name: form.cleaned_data[name] for name in CLIENT_FIELDS}
            submission.case = {name: form.cleaned_data[name] for name in CASE_FIELDS}
        if hearing is not None:
            submission.hearings.append(
                {
                    "kind": form.cleaned_data["hearing_kind"],
                    "starts_at": form.cleaned_data["hearing_at"],
                    "ruling_requested": hearing.ruling_requested,
                }
            )
    for index, member in enumerate(payload.family):
        data = member.model_dump()
        data["relationship"] = member.relationship.value
        family_form = FamilyMemberForm(data=data)
        if family_form.is_valid():
            submission.family.append(family_form.cleaned_data)
        for name, messages in family_form.errors.items():
            path = f"family[{index}]" + ("" if name == "__all__" else f".{name}")
            _add(errors, path, [str(m) for m in messages])
    for index, party in enumerate(payload.adverse_parties):
        data = party.model_dump()
        data["kind"] = party.kind.value
        party_form = AdversePartyForm(data=data)
        if party_form.is_valid():
            submission.adverse_parties.append(party_form.cleaned_data)
        for name, messages in party_form.errors.items():
            path = f"adverse_parties[{index}]" + ("" if name == "__all__" else f".{name}")
            _add(errors, path, [str(m) for m in messages])
    if errors:
        return None, errors
    return submission, {}


def case_submission_record(*, actor: Any, submission: Submission) -> Case:
    """Record the case as the web intake does (client, family, adverse parties, case, first
    hearing, deadlines, conflict check), then its other hearings, all or nothing."""
    from amparo.deadlines.services import hearing_add
    from amparo.intake.services import intake_case_record

    hearings: list[dict[str, Any] | None] = list(submission.hearings) or [None]
    first, *others = hearings
    with transaction.atomic():
        case: Case = intake_case_record(
            actor=actor,
            client_data=submission.client,
            case_data=submission.case,
            family=submission.family,
            adverse_parties=submission.adverse_parties,
            hearing=first,
        )
        for hearing in others:
            if hearing is not None:
                hearing_add(case=case, actor=actor, **hearing)
    return case
