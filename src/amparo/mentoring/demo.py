"""Demo mentoring for the demo_data command: the program's requirements, the mentoring agreement
(version 1, English and Spanish), an active mentorship between the demo mentor and the demo
attorney with the agreement signed, a request from the demo attorney waiting for a match, and an
invitation waiting for the demo mentor's answer.

The demo cases were given mentors directly before the mentoring app existed; each of those gets
the request and mentorship it would have had, so that loads and capacities add up — except one
case of each partner organization, left without a mentor for the partner's staff to ask for one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from amparo.cases.models import Case, CaseType, Stage
from amparo.mentoring.eligibility import eligibility_evaluate
from amparo.mentoring.models import (
    AgreementSignature,
    EligibilityOverride,
    EligibilityRequirement,
    MentoringAgreement,
    MentoringRequest,
    Mentorship,
)
from amparo.mentoring.services import agreement_text_sha256, mentoring_request_eligibility_refresh
from amparo.people.models import MentorProfile, Organization

AGREEMENT_V1_EN = """\
Mentoring agreement

This agreement is between you, the pro bono attorney (the "mentee"), and the mentoring program, \
for the case named in your request. The program pairs you with an expert immigration attorney (the \
"mentor") who guides you on that case.

1. You are the attorney of record. You, not the mentor, represent the client and keep full \
responsibility for the case. You remain bound by the ethical obligations of your state bar, \
including competence, diligence, communication with your client and meeting every deadline.

2. Communication. You answer your mentor's e-mails and messages within 2 business days.

3. Deadlines. You meet the deadlines you and your mentor set in the mentoring plan for drafts of \
the declaration, the brief, the evidence and the other milestones of the case.

4. The mentor's role. Each mentor decides their role in the case. Mentors generally do not \
attend the final (individual) hearing.

5. Malpractice insurance. The program does not provide malpractice insurance. Ask your current \
provider whether immigration law can be added as a practice area for this case, or ask the \
organization that placed the case with you whether it can provide coverage.

6. Before the first meeting you complete the introductory video training and the online Center \
of Excellence training.

7. Confidentiality. Information about the client's asylum or U-visa claim is confidential \
(8 CFR 208.6; 8 U.S.C. 1367). You share it with your mentor only through the program's platform.

8. The mentoring lasts through the case. Tell the program at once if you withdraw from the case \
or the case ends.
"""

AGREEMENT_V1_ES = """\
Acuerdo de mentoría

Este acuerdo es entre usted, el/la abogado/a pro bono (la persona "mentorada"), y el programa de \
mentoría, para el caso indicado en su solicitud. El programa le asigna un/a abogado/a experto/a en \
inmigración (el/la "mentor/a") que le orienta en ese caso.

1. Usted es el/la abogado/a de representación. Usted, y no su mentor/a, representa al cliente y \
conserva toda la responsabilidad del caso. Sigue obligado/a por las normas éticas de su colegio \
de abogados estatal, incluidas la competencia, la diligencia, la comunicación con su cliente y el \
cumplimiento de todos los plazos.

2. Comunicación. Usted responde los correos y mensajes de su mentor/a en un plazo de 2 días \
hábiles.

3. Plazos. Usted cumple las fechas que fijen usted y su mentor/a en el plan de mentoría para los \
borradores de la declaración, el escrito legal, las pruebas y las demás etapas del caso.

4. El papel del/de la mentor/a. Cada mentor/a decide su papel en el caso. Por lo general, los \
mentores no asisten a la audiencia final (individual).

5. Seguro de responsabilidad profesional. El programa no ofrece seguro de responsabilidad \
profesional. Pregunte a su aseguradora actual si puede añadir el derecho de inmigración como área \
de práctica para este caso, o pregunte a la organización que le asignó el caso si puede \
ofrecerle cobertura.

6. Antes de la primera reunión usted completa la capacitación en video de introducción y la \
capacitación en línea Center of Excellence.

7. Confidencialidad. La información sobre la solicitud de asilo o de visa U del cliente es \
confidencial (8 CFR 208.6; 8 U.S.C. 1367). Usted la comparte con su mentor/a solo a través de la \
plataforma del programa.

8. La mentoría dura todo el caso. Avise al programa de inmediato si deja de representar al \
cliente o si el caso termina.
"""


def _requirements() -> None:
    from amparo.trainings.models import Course

    EligibilityRequirement.objects.create(kind=EligibilityRequirement.Kind.BAR_VERIFIED, position=1)
    EligibilityRequirement.objects.create(
        kind=EligibilityRequirement.Kind.ATTORNEY_OF_RECORD, position=2
    )
    EligibilityRequirement.objects.create(
        kind=EligibilityRequirement.Kind.CASE_TYPE_IN_SCOPE,
        case_types=[CaseType.DEFENSIVE_ASYLUM],
        position=3,
    )
    EligibilityRequirement.objects.create(
        kind=EligibilityRequirement.Kind.HEARING_AT_LEAST_DAYS, min_days=21, position=4
    )
    excellence = Course.objects.filter(title_en__icontains="Center of Excellence").first()
    if excellence is not None:
        EligibilityRequirement.objects.create(
            kind=EligibilityRequirement.Kind.TRAINING_COMPLETED, course=excellence, position=5
        )


def _pick(cases: list[Case], exclude: set[int]) -> Case | None:
    """A defensive asylum case first (the program's scope), else any."""
    left = [c for c in cases if c.pk not in exclude]
    defensive = [c for c in left if c.case_type == CaseType.DEFENSIVE_ASYLUM]
    chosen = defensive or left
    return chosen[0] if chosen else None


def _reasons(request: MentoringRequest, mentor: Any) -> tuple[float, list[dict[str, Any]]]:
    from amparo.mentoring.proposals import mentor_loads, request_mentor_fit

    load = mentor_loads(mentor_ids=[mentor.pk]).get(mentor.pk, 0)
    fit = request_mentor_fit(request=request, mentor=mentor, load=load)
    if fit is None or fit.pair is None:
        return 0.0, []
    return fit.pair.score, [
        {"factor": str(r.factor), "points": r.points, "en": r.en, "es": r.es}
        for r in fit.pair.reasons
    ]


def mentoring_demo_seed(
    *, program_admin: Any, attorney: Any, attorney2: Any, mentor: Any
) -> dict[str, Any]:
    now = timezone.now()
    _requirements()
    agreement = MentoringAgreement.objects.create(
        version=1,
        text_en=AGREEMENT_V1_EN,
        text_es=AGREEMENT_V1_ES,
        published_at=now - dt.timedelta(days=90),
    )
    # The demo mentor takes up to five mentees, so the invitation below fits beside their
    # current mentorships.
    MentorProfile.objects.filter(user=mentor).update(capacity=5)

    own_cases = list(
        Case.objects.filter(attorney_of_record=attorney, stage=Stage.PLACED).order_by("code")
    )
    active_case = _pick(own_cases, set())
    pending_case = _pick(own_cases, {active_case.pk} if active_case else set())
    result: dict[str, Any] = {"agreement": agreement}

    # Cases given a mentor directly by the demo data get the mentorship they would have had,
    # except one case of each partner organization, left for its staff to ask for a mentor.
    left_for_partner: set[int] = set()
    for case in (
        Case.objects.filter(stage=Stage.PLACED, mentor__isnull=False)
        .exclude(pk__in=[c.pk for c in (active_case, pending_case) if c is not None])
        .select_related("placing_organization", "mentor", "attorney_of_record")
        .order_by("code")
    ):
        organization = case.placing_organization
        if (
            organization.kind == Organization.Kind.PARTNER
            and organization.pk not in left_for_partner
        ):
            left_for_partner.add(organization.pk)
            Case.objects.filter(pk=case.pk).update(mentor=None, mentor_file_access=False)
            continue
        started = case.placed_at or now - dt.timedelta(days=20)
        if case.mentor is None or case.attorney_of_record is None:
            continue
        matched = MentoringRequest.objects.create(
            case=case,
            attorney=case.attorney_of_record,
            requested_by=program_admin,
            source=MentoringRequest.Source.STAFF,
            status=MentoringRequest.Status.MATCHED,
            eligibility_ok=True,
            eligibility_checked_at=started,
        )
        Mentorship.objects.create(
            request=matched,
            case=case,
            mentor=case.mentor,
            mentee=case.attorney_of_record,
            status=Mentorship.Status.ACTIVE,
            confirmed_by=program_admin,
            confirmed_at=started,
            responded_at=started,
            started_at=started,
        )

    if active_case is not None:
        started = now - dt.timedelta(days=14)
        Case.objects.filter(pk=active_case.pk).update(mentor=mentor, mentor_file_access=True)
        matched = MentoringRequest.objects.create(
            case=active_case,
            attorney=attorney,
            requested_by=attorney,
            help_wanted="Strategy for a particular social group claim; review of the declaration "
            "and the pre-hearing brief.",
            languages=["es"],
            status=MentoringRequest.Status.MATCHED,
            eligibility_ok=True,
            eligibility_checked_at=started - dt.timedelta(days=2),
        )
        score, reasons = _reasons(matched, mentor)
        mentorship = Mentorship.objects.create(
            request=matched,
            case=active_case,
            mentor=mentor,
            mentee=attorney,
            status=Mentorship.Status.ACTIVE,
            score=score,
            reasons=reasons,
            confirmed_by=program_admin,
            confirmed_at=started - dt.timedelta(days=1),
            responded_at=started,
            started_at=started,
        )
        text = agreement.text_en
        AgreementSignature.objects.create(
            agreement=agreement,
            mentee=attorney,
            mentorship=mentorship,
            request=matched,
            typed_name=attorney.full_name,
            language="en",
            sha256=agreement_text_sha256(text),
            signed_at=started + dt.timedelta(hours=3),
            ip_address="127.0.0.1",
            user_agent="Demo data",
        )
        result["mentorship"] = mentorship

    if pending_case is not None:
        Case.objects.filter(pk=pending_case.pk).update(mentor=None, mentor_file_access=False)
        pending_case.refresh_from_db()
        pending = MentoringRequest.objects.create(
            case=pending_case,
            attorney=attorney,
            requested_by=attorney,
            help_wanted="First asylum case before this court: preparing the direct examination "
            "and the country-conditions evidence.",
            languages=[],
        )
        mentoring_request_eligibility_refresh(request=pending)
        result["pending_request"] = pending

    invited_case = _pick(
        list(
            Case.objects.filter(
                attorney_of_record=attorney2, stage=Stage.PLACED, mentor__isnull=True
            ).order_by("code")
        ),
        set(),
    )
    if invited_case is not None:
        proposed = MentoringRequest.objects.create(
            case=invited_case,
            attorney=attorney2,
            requested_by=attorney2,
            help_wanted="Revisar la declaración y preparar la audiencia individual.",
            languages=["es"],
            status=MentoringRequest.Status.PROPOSED,
        )
        # What the second demo attorney has not done yet, the program accepted with a note.
        for item in eligibility_evaluate(request=proposed).missing:
            EligibilityOverride.objects.create(
                request=proposed,
                requirement=item.requirement,
                by=program_admin,
                note="Demo: the attorney completes it this month; the hearing cannot wait.",
            )
        mentoring_request_eligibility_refresh(request=proposed)
        score, reasons = _reasons(proposed, mentor)
        result["invitation"] = Mentorship.objects.create(
            request=proposed,
            case=invited_case,
            mentor=mentor,
            mentee=attorney2,
            status=Mentorship.Status.INVITED,
            score=score,
            reasons=reasons,
            confirmed_by=program_admin,
            confirmed_at=now - dt.timedelta(hours=5),
        )
    return result
