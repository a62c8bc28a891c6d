"""Request and response bodies of the API (they are its OpenAPI description).

Requests forbid unknown keys, so a misspelt field is an error rather than silently ignored.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict, StrictBool, field_validator

from amparo.cases.models import CaseType, Hearing, Stage
from amparo.intake.models import AdverseParty, FamilyMember

CASE_CODE_PATTERN = r"^[A-Za-z0-9-]{1,20}$"


# Text no person types: NUL (PostgreSQL refuses it) and lone UTF-16 surrogates (they cannot be
# encoded, encrypted or stored).
BAD_CHARACTERS = "amparo:bad-characters"


def _has_bad_characters(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value or any("\ud800" <= ch <= "\udfff" for ch in value)
    if isinstance(value, list):
        return any(_has_bad_characters(item) for item in value)
    return False


class StrictIn(Schema):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _printable(cls, value: Any) -> Any:
        if _has_bad_characters(value):
            raise ValueError(BAD_CHARACTERS)
        return value


# --- deadlines/compute -------------------------------------------------------------------------


class DeadlineComputeOut(Schema):
    """One element per input element, in order: the computed result, or (`error`, `errors`)
    what is wrong with that element. The same JSON as `manage.py compute_deadlines`."""

    model_config = ConfigDict(extra="allow")

    id: Any = Field(None, description="The input's id (null when it was not a JSON scalar).")
    as_of: str | None = None
    deadlines: list[dict[str, Any]] | None = None
    flags: list[dict[str, Any]] | None = None
    derivatives: list[dict[str, Any]] | None = None
    error: dict[str, Any] | None = None
    errors: list[dict[str, Any]] | None = None


# --- the board --------------------------------------------------------------------------------


class UrgencyFactorOut(Schema):
    factor: str
    points: int
    text: str


class BoardCardOut(Schema):
    code: str
    case_type: str
    case_type_label: str
    court: str
    detained: bool
    unaccompanied_child: bool
    age_band: str
    country: str
    languages: list[str]
    next_hearing_on: dt.date | None
    summary: str
    urgency: int
    factors: list[UrgencyFactorOut]


class BoardPageOut(Schema):
    results: list[BoardCardOut]
    next_cursor: str | None = Field(
        None, description="Pass it as `cursor` for the next page; null on the last page."
    )


# --- cases --------------------------------------------------------------------------------------


class ClientIn(StrictIn):
    given_names: str
    family_names: str
    a_number: str = ""
    date_of_birth: dt.date | None = None
    country_of_nationality: str = Field(description="Two-letter country code, e.g. GT.")
    languages: list[str] = Field(description="Language codes, e.g. es, quc, mam.")
    phone: str = ""
    address: str = ""
    do_not_contact_at_home: bool = False


class HearingIn(StrictIn):
    kind: Hearing.Kind
    starts_at: dt.datetime = Field(
        description="With its UTC offset; without one, the program's time zone is assumed."
    )
    ruling_requested: bool = False


class FamilyMemberIn(StrictIn):
    relationship: FamilyMember.Relationship
    given_names: str
    family_names: str
    date_of_birth: dt.date | None = None
    a_number: str = ""
    married: bool = False
    is_derivative: bool = False


class AdversePartyIn(StrictIn):
    kind: AdverseParty.Kind
    name: str
    is_organization: bool = False


class CaseIn(StrictIn):
    client: ClientIn
    case_type: CaseType
    court: str | None = Field(None, description="The immigration court's EOIR code, e.g. SFR.")
    detained: bool = False
    detention_facility: str | None = Field(
        None, description="The detention facility's name, as the program lists it."
    )
    is_unaccompanied_child: bool = False
    last_arrival: dt.date | None = None
    supplement_b_signed: dt.date | None = None
    hearings: list[HearingIn] = Field(default_factory=list, max_length=10)
    family: list[FamilyMemberIn] = Field(default_factory=list, max_length=20)
    adverse_parties: list[AdversePartyIn] = Field(default_factory=list, max_length=10)


class CaseCreatedOut(Schema):
    id: str = Field(description="The case code, e.g. AMP-26-0042: the id in every other call.")
    stage: Stage


class HearingOut(Schema):
    kind: str
    starts_at: dt.datetime


class DeadlineOut(Schema):
    case: str
    rule: str
    label: str
    date: dt.date
    safe_target: dt.date | None
    source: str
    citation: str
    explanation: str
    done: bool


class MentoringStatusOut(Schema):
    request_id: int | None
    request_status: str | None
    mentorship_status: str | None
    mentor: str | None


class ClientOut(Schema):
    full_name: str
    a_number: str
    date_of_birth: dt.date | None
    country_of_nationality: str


class CaseOut(Schema):
    id: str
    case_type: str
    stage: str
    court: str | None
    attorney_of_record: str | None = Field(
        description="Only for those allowed to see the case file (and the case's mentor)."
    )
    next_hearing: HearingOut | None = Field(
        description="Only for those allowed to see the case file, and the case's mentor."
    )
    deadlines: list[DeadlineOut] | None = Field(
        description="Only for those allowed to see the case file, and the case's mentor."
    )
    mentoring: MentoringStatusOut | None
    client: ClientOut | None = Field(
        description="Only with ?include=client, and only for those allowed to see the case file; "
        "each such read is written to the audit log."
    )


class PartiesOut(Schema):
    id: str
    names: list[str]
    attest_within_hours: int


class TakeIn(StrictIn):
    # Strictly true or false: an attestation is never inferred from "yes" or 1.
    no_conflict_attested: StrictBool = Field(
        description="true: you checked the names from POST /cases/{id}/parties and have no "
        "conflict of interest."
    )


class TakeOut(Schema):
    id: str
    status: Literal["placed", "requested"]
    message: str


# --- mentorship requests ------------------------------------------------------------------------


class MentorshipRequestIn(StrictIn):
    case: str = Field(pattern=CASE_CODE_PATTERN, description="The case code, e.g. AMP-26-0042.")
    help_wanted: str = Field(description="What help the attorney wants. Never the client's name.")
    languages: list[str] = Field(
        default_factory=list, description="Languages the mentor must speak besides English."
    )


class StepOut(Schema):
    number: int
    title: str
    state: Literal["done", "current", "waiting", "blocked", "later"]
    detail: str


class EligibilityItemOut(Schema):
    label: str
    met: bool
    overridden: bool
    found: str
    how_to_fix: str


class MentorshipRequestOut(Schema):
    id: int
    case: str
    status: str
    status_label: str
    source: str
    created_at: dt.datetime
    eligibility_ok: bool | None
    eligibility: list[EligibilityItemOut]
    mentorship_status: str | None
    mentor: str | None
    steps: list[StepOut]


# --- me ---------------------------------------------------------------------------------------


class DeadlinePageOut(Schema):
    results: list[DeadlineOut]
    next_cursor: str | None = None
