"""Writes of the volunteer network: sign-up, verification of bar standing, the attorney's profile.

PRODUCT.md point 1: a coordinator verifies bar standing (who, when, how) before the attorney can
take a case. Every write validates first and raises ValidationError with messages in the current
language, so the HTML form, the API and a management command report the same errors.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import get_connection, send_mail
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from amparo.accounts.models import Role, User
from amparo.core.audit import audit_record
from amparo.core.models import AuditEvent
from amparo.courts.models import ImmigrationCourt
from amparo.people.models import (
    AttorneyProfile,
    BarAdmission,
    Interest,
    Jurisdiction,
    Language,
    Organization,
    VerificationMethod,
)

FIRST_ADMISSION_YEAR = 1940
CAPACITY_MIN = 1
CAPACITY_MAX = 10
SITE_LANGUAGES = ("en", "es")

ATTORNEY_DECLINED = AuditEvent.Action.ATTORNEY_DECLINED
ATTORNEY_SUSPENDED = AuditEvent.Action.ATTORNEY_SUSPENDED


@dataclass(frozen=True)
class BarAdmissionData:
    state: str
    bar_number: str
    year_admitted: int


def bar_number_normalize(value: str) -> str:
    """Bar numbers compare without spaces and case: 'ca 123 456' and 'CA123456' are one number."""
    return "".join(value.split()).upper()


def email_normalize(value: str) -> str:
    return value.strip().lower()


def email_is_taken(*, email: str) -> bool:
    return User.objects.filter(email__iexact=email_normalize(email)).exists()


def bar_number_is_claimed(*, state: str, bar_number: str) -> bool:
    return BarAdmission.objects.filter(
        state=state, bar_number__iexact=bar_number_normalize(bar_number)
    ).exists()


def firm_name_conflict(*, name: str) -> bool:
    """True when the name belongs to an organization of the program that is not a law firm."""
    name = " ".join(name.split())
    return bool(
        name
        and Organization.objects.filter(name__iexact=name)
        .exclude(kind=Organization.Kind.LAW_FIRM)
        .exists()
    )


def admission_year_error(*, year: int) -> str | None:
    if year < FIRST_ADMISSION_YEAR:
        return _("Enter a year from %(first)s on.") % {"first": FIRST_ADMISSION_YEAR}
    if year > timezone.localdate().year:
        return _("The year of admission cannot be in the future.")
    return None


def _admissions_errors(admissions: Sequence[BarAdmissionData]) -> list[str]:
    if not admissions:
        return [_("Add at least one bar admission.")]
    errors: list[str] = []
    seen: set[tuple[str, str]] = set()
    for admission in admissions:
        number = bar_number_normalize(admission.bar_number)
        key = (admission.state, number)
        if admission.state not in Jurisdiction.values or not number:
            errors.append(_("Each bar admission needs a state and a bar number."))
        elif key in seen:
            errors.append(_("The same bar admission is entered twice."))
        elif bar_number_is_claimed(state=admission.state, bar_number=number):
            errors.append(
                _("Bar number %(number)s in %(state)s is already registered to another attorney.")
                % {"number": number, "state": admission.state}
            )
        year_error = admission_year_error(year=admission.year_admitted)
        if year_error:
            errors.append(year_error)
        seen.add(key)
    return errors


def _law_firm_get_or_create(*, name: str) -> Organization | None:
    name = " ".join(name.split())
    if not name:
        return None
    firm = Organization.objects.filter(name__iexact=name, kind=Organization.Kind.LAW_FIRM).first()
    if firm is not None:
        return firm
    try:
        with transaction.atomic():
            return Organization.objects.create(name=name, kind=Organization.Kind.LAW_FIRM)
    except IntegrityError:
        # Another sign-up created the same firm a moment ago.
        return Organization.objects.get(name=name, kind=Organization.Kind.LAW_FIRM)


def attorney_signup(
    *,
    full_name: str,
    email: str,
    phone: str,
    admissions: Sequence[BarAdmissionData],
    firm_name: str,
    languages: Sequence[str],
    experience: str,
    interests: Sequence[str],
    capacity: int,
    malpractice_coverage: bool,
    declared_conflicts: str,
    consent: bool,
    language: str,
) -> AttorneyProfile:
    """Create a pending volunteer attorney: user (no password until verified), profile and bar
    admissions in one transaction; the coordinators hear of it once it commits."""
    email = email_normalize(email)
    errors: dict[str, list[str]] = {}
    if not full_name.strip():
        errors["full_name"] = [_("Enter your full name.")]
    if email_is_taken(email=email):
        errors["email"] = [_("An account with this e-mail already exists.")]
    if admission_errors := _admissions_errors(admissions):
        errors["admissions"] = admission_errors
    if firm_name_conflict(name=firm_name):
        errors["firm_name"] = [_("This name belongs to an organization that is not a law firm.")]
    if not set(languages) <= set(Language.values):
        errors["languages"] = [_("Choose languages from the list.")]
    if not set(interests) <= set(Interest.values):
        errors["interests"] = [_("Choose interests from the list.")]
    if experience not in AttorneyProfile.Experience.values:
        errors["experience"] = [_("Choose your immigration experience from the list.")]
    if not CAPACITY_MIN <= capacity <= CAPACITY_MAX:
        errors["capacity"] = [
            _("Capacity is between %(min)s and %(max)s active cases.")
            % {"min": CAPACITY_MIN, "max": CAPACITY_MAX}
        ]
    if not consent:
        errors["consent"] = [_("Your consent is needed to sign up.")]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            profile = _attorney_create(
                full_name=full_name.strip(),
                email=email,
                phone=phone.strip(),
                admissions=admissions,
                firm=_law_firm_get_or_create(name=firm_name),
                languages=list(languages),
                experience=experience,
                interests=list(interests),
                capacity=capacity,
                malpractice_coverage=malpractice_coverage,
                declared_conflicts=declared_conflicts.strip(),
                language=language if language in SITE_LANGUAGES else "en",
            )
            transaction.on_commit(
                lambda: _email_coordinators_new_volunteer(profile_id=profile.pk), robust=True
            )
    except IntegrityError as exc:
        # A concurrent sign-up took the e-mail or a bar number between the checks and the insert.
        if email_is_taken(email=email):
            raise ValidationError(
                {"email": [_("An account with this e-mail already exists.")]}
            ) from exc
        raise ValidationError({"admissions": _admissions_errors(admissions)}) from exc
    return profile


def _attorney_create(
    *,
    full_name: str,
    email: str,
    phone: str,
    admissions: Sequence[BarAdmissionData],
    firm: Organization | None,
    languages: list[str],
    experience: str,
    interests: list[str],
    capacity: int,
    malpractice_coverage: bool,
    declared_conflicts: str,
    language: str,
) -> AttorneyProfile:
    user = User(email=email, full_name=full_name, role=Role.ATTORNEY, language=language)
    # No password until a coordinator verifies bar standing: the approval e-mail sets one.
    user.set_unusable_password()
    user.save()
    profile = AttorneyProfile.objects.create(
        user=user,
        firm=firm,
        phone=phone,
        languages=languages,
        experience=experience,
        interests=interests,
        capacity=capacity,
        malpractice_coverage=malpractice_coverage,
        declared_conflicts=declared_conflicts,
        consented_at=timezone.now(),
    )
    _declared_conflicts_index(profile)
    BarAdmission.objects.bulk_create(
        BarAdmission(
            attorney=profile,
            state=admission.state,
            bar_number=bar_number_normalize(admission.bar_number),
            year_admitted=admission.year_admitted,
        )
        for admission in admissions
    )
    return profile


def _profile_lock(profile: AttorneyProfile) -> AttorneyProfile:
    """The profile row, locked until the transaction ends: two coordinators cannot both decide."""
    return AttorneyProfile.objects.select_for_update().select_related("user").get(pk=profile.pk)


@transaction.atomic
def attorney_verify(
    *,
    profile: AttorneyProfile,
    actor: Any,
    method: str,
    note: str,
    admissions_in_good_standing: dict[int, bool],
    request: HttpRequest | None = None,
) -> AttorneyProfile:
    """Record how bar standing was checked and approve the attorney (pending, or suspended and
    reinstated). Refuses unless at least one admission is in good standing."""
    profile = _profile_lock(profile)
    if profile.verification_status not in (
        AttorneyProfile.Verification.PENDING,
        AttorneyProfile.Verification.SUSPENDED,
    ):
        raise ValidationError(_("Only a pending or suspended attorney can be verified."))
    note = note.strip()
    if method not in VerificationMethod.values:
        raise ValidationError({"method": [_("Choose how you verified bar standing.")]})
    if method == VerificationMethod.OTHER and not note:
        raise ValidationError({"note": [_("Describe how you verified bar standing.")]})
    admissions = list(profile.bar_admissions.all())
    if {admission.pk for admission in admissions} != set(admissions_in_good_standing):
        raise ValidationError(_("Say for each bar admission whether it is in good standing."))
    if not any(admissions_in_good_standing.values()):
        raise ValidationError(
            _(
                "No bar admission is in good standing, so the attorney cannot be verified. "
                "Decline instead and give the reason."
            )
        )
    now = timezone.now()
    for admission in admissions:
        admission.in_good_standing = admissions_in_good_standing[admission.pk]
        admission.verified_at = now
    BarAdmission.objects.bulk_update(admissions, ["in_good_standing", "verified_at"])
    profile.verification_status = AttorneyProfile.Verification.VERIFIED
    profile.verified_by = actor
    profile.verified_at = now
    profile.verification_method = method
    profile.verification_note = note
    profile.status_reason = ""
    profile.save(
        update_fields=[
            "verification_status",
            "verified_by",
            "verified_at",
            "verification_method",
            "verification_note",
            "status_reason",
            "updated_at",
        ]
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.ATTORNEY_VERIFIED,
        target=profile,
        request=request,
        data={
            "method": method,
            "in_good_standing": {
                str(pk): value for pk, value in admissions_in_good_standing.items()
            },
        },
    )
    transaction.on_commit(lambda: _email_attorney_approved(profile_id=profile.pk), robust=True)
    return profile


@transaction.atomic
def attorney_decline(
    *, profile: AttorneyProfile, actor: Any, reason: str, request: HttpRequest | None = None
) -> AttorneyProfile:
    """Decline a pending volunteer with the reason they receive; the account is closed."""
    profile = _profile_lock(profile)
    if profile.verification_status != AttorneyProfile.Verification.PENDING:
        raise ValidationError(_("Only a pending attorney can be declined."))
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": [_("Give the reason for declining; the volunteer receives it.")]}
        )
    profile.verification_status = AttorneyProfile.Verification.DECLINED
    profile.status_reason = reason
    profile.save(update_fields=["verification_status", "status_reason", "updated_at"])
    # A declined volunteer cannot sign in, not even through "forgot your password".
    User.objects.filter(pk=profile.user_id).update(is_active=False)
    audit_record(actor=actor, action=ATTORNEY_DECLINED, target=profile, request=request)
    transaction.on_commit(lambda: _email_attorney_decision(profile_id=profile.pk), robust=True)
    return profile


@transaction.atomic
def attorney_suspend(
    *, profile: AttorneyProfile, actor: Any, reason: str, request: HttpRequest | None = None
) -> AttorneyProfile:
    """Suspend a verified attorney: they keep their account but can take no new case."""
    profile = _profile_lock(profile)
    if profile.verification_status != AttorneyProfile.Verification.VERIFIED:
        raise ValidationError(_("Only a verified attorney can be suspended."))
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": [_("Give the reason for the suspension; the attorney receives it.")]}
        )
    profile.verification_status = AttorneyProfile.Verification.SUSPENDED
    profile.status_reason = reason
    profile.save(update_fields=["verification_status", "status_reason", "updated_at"])
    audit_record(actor=actor, action=ATTORNEY_SUSPENDED, target=profile, request=request)
    transaction.on_commit(lambda: _email_attorney_decision(profile_id=profile.pk), robust=True)
    return profile


@transaction.atomic
def attorney_profile_update(
    *,
    profile: AttorneyProfile,
    actor: Any,
    phone: str,
    languages: Sequence[str],
    interests: Sequence[str],
    capacity: int,
    declared_conflicts: str,
    board_digest: str,
    courts: Iterable[ImmigrationCourt] | None = None,
) -> AttorneyProfile:
    """What the attorney keeps up to date themself (bar admissions are not among it).

    `courts` are where they can appear (none: any court); None leaves them as they are."""
    errors: dict[str, list[str]] = {}
    if not set(languages) <= set(Language.values):
        errors["languages"] = [_("Choose languages from the list.")]
    if not set(interests) <= set(Interest.values):
        errors["interests"] = [_("Choose interests from the list.")]
    if not CAPACITY_MIN <= capacity <= CAPACITY_MAX:
        errors["capacity"] = [
            _("Capacity is between %(min)s and %(max)s active cases.")
            % {"min": CAPACITY_MIN, "max": CAPACITY_MAX}
        ]
    if board_digest not in AttorneyProfile.BoardDigest.values:
        errors["board_digest"] = [_("Choose how often to receive new board cases.")]
    court_ids = None if courts is None else {court.pk for court in courts}
    if court_ids and (
        ImmigrationCourt.objects.filter(pk__in=court_ids, active=True).count() != len(court_ids)
    ):
        errors["courts"] = [_("Choose courts from the list.")]
    if errors:
        raise ValidationError(errors)
    profile.phone = phone.strip()
    profile.languages = list(languages)
    profile.interests = list(interests)
    profile.capacity = capacity
    profile.declared_conflicts = declared_conflicts.strip()
    profile.board_digest = board_digest
    profile.save(
        update_fields=[
            "phone",
            "languages",
            "interests",
            "capacity",
            "declared_conflicts",
            "board_digest",
            "updated_at",
        ]
    )
    if court_ids is not None:
        profile.courts.set(court_ids)
    _declared_conflicts_index(profile)
    return profile


def _declared_conflicts_index(profile: AttorneyProfile) -> None:
    """Keep the conflict check's index of the attorney's declared conflicts current, so every
    later intake is checked against them."""
    from amparo.conflicts.services import attorney_declared_conflicts_index

    attorney_declared_conflicts_index(profile=profile)


# --- E-mail, sent once the transaction commits -------------------------------------------------


def _absolute(path: str) -> str:
    return settings.AMPARO_SITE_URL.rstrip("/") + path


def _email_coordinators_new_volunteer(*, profile_id: int) -> None:
    """Each coordinator, in their language: who signed up (a volunteer, never a client)."""
    profile = (
        AttorneyProfile.objects.select_related("user", "firm")
        .prefetch_related("bar_admissions")
        .get(pk=profile_id)
    )
    context = {
        "profile": profile,
        "admissions": list(profile.bar_admissions.all()),
        "queue_url": _absolute(reverse("people:verification_queue")),
        "detail_url": _absolute(reverse("people:attorney_detail", args=[profile.pk])),
    }
    connection = get_connection()
    for coordinator in User.objects.filter(role=Role.COORDINATOR, is_active=True):
        with translation.override(coordinator.language):
            subject = _("New volunteer attorney to verify: %(name)s") % {
                "name": profile.user.full_name
            }
            body = render_to_string(
                "people/email/coordinator_new_volunteer.txt", {**context, "to": coordinator}
            )
        send_mail(subject, body, None, [coordinator.email], connection=connection)


def attorney_set_password_url(*, user: Any) -> str:
    """A one-time link to allauth's 'set a new password' page (valid PASSWORD_RESET_TIMEOUT;
    used once, since setting the password changes the hash the token is made from)."""
    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    return _absolute(path)


def _email_attorney_approved(*, profile_id: int) -> None:
    profile = AttorneyProfile.objects.select_related("user").get(pk=profile_id)
    user = profile.user
    context = {
        "user": user,
        "set_password_url": attorney_set_password_url(user=user),
        "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        "reset_url": _absolute(reverse("account_reset_password")),
        "sign_in_url": _absolute(reverse("account_login")),
        "profile_url": _absolute(reverse("people:my_profile")),
    }
    with translation.override(user.language):
        subject = _("You are verified as a volunteer attorney")
        body = render_to_string("people/email/attorney_approved.txt", context)
    send_mail(subject, body, None, [user.email])


def _email_attorney_decision(*, profile_id: int) -> None:
    """The declined or suspended attorney hears the reason, in their language."""
    profile = AttorneyProfile.objects.select_related("user").get(pk=profile_id)
    user = profile.user
    declined = profile.verification_status == AttorneyProfile.Verification.DECLINED
    with translation.override(user.language):
        if declined:
            subject = _("Your volunteer application")
        else:
            subject = _("Your volunteer status is suspended")
        body = render_to_string(
            "people/email/attorney_declined.txt"
            if declined
            else "people/email/attorney_suspended.txt",
            {"user": user, "reason": profile.status_reason},
        )
    send_mail(subject, body, None, [user.email])
