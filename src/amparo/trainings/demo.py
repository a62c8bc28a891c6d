"""Demo trainings for the demo_data command: the catalogue, progress for the two demo attorneys,
a certificate waiting for review, a live session next month, and the gates.

The demo attorney has completed the comprehensive training (so they can take the demo's
defensive asylum cases); the second demo attorney is part-way through it, so the gate shows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from amparo.trainings.domain.times import localize
from amparo.trainings.models import (
    Certificate,
    Choice,
    Course,
    CourseCompletion,
    Gate,
    LiveSession,
    Module,
    ModuleCompletion,
    Question,
    Registration,
)

# A one-page PDF that says it is a demo certificate (no real person, no real course provider).
_DEMO_PDF = b"""%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 396] /Contents 4 0 R
/Resources << /Font << /F1 5 0 R >> >> >> endobj
4 0 obj << /Length 88 >> stream
BT /F1 20 Tf 72 300 Td (Certificate of completion - DEMO) Tj 0 -40 Td (Daniel Whitfield) Tj ET
endstream endobj
5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj
trailer << /Root 1 0 R >>
%%EOF
"""

_ASYLUM_MODULES = [
    (
        "Asylum law in Immigration Court",
        "El asilo ante el tribunal de inmigración",
        "The elements of asylum, withholding of removal and protection under the Convention "
        "Against Torture; the one-year filing deadline and its exceptions; who carries the "
        "burden of proof.",
        "Los elementos del asilo, la suspensión de la deportación (withholding of removal) y la "
        "protección conforme a la Convención contra la Tortura; el plazo de un año para "
        "solicitar asilo y sus excepciones; a quién corresponde la carga de la prueba.",
    ),
    (
        "Working with your client",
        "El trabajo con su cliente",
        "Trauma-informed interviewing, working with interpreters, confidentiality (8 CFR 208.6), "
        "and meeting your client in person before the individual hearing.",
        "Entrevistas con enfoque en el trauma, el trabajo con intérpretes, la confidencialidad "
        "(8 CFR 208.6) y reunirse en persona con su cliente antes de la audiencia individual.",
    ),
    (
        "The application, the evidence and the hearing",
        "La solicitud, las pruebas y la audiencia",
        "Form I-589, the client's declaration, country-conditions evidence, the pre-hearing "
        "brief and the Immigration Court Practice Manual's filing deadlines.",
        "El Formulario I-589, la declaración personal, las pruebas sobre las condiciones del "
        "país, el escrito legal previo a la audiencia y los plazos del manual de práctica del "
        "tribunal de inmigración.",
    ),
]

_QUIZ = [
    (
        "How many days before an individual hearing are filings due under the Practice Manual?",
        "¿Cuántos días antes de una audiencia individual vence la presentación de escritos según "
        "el manual de práctica?",
        [
            ("15 days", "15 días", False),
            ("30 days", "30 días", True),
            ("60 days", "60 días", False),
        ],
    ),
    (
        "Who is the attorney of record on a mentored case?",
        "¿Quién es el/la abogado/a de representación en un caso con mentoría?",
        [
            ("The pro bono attorney", "El/la abogado/a voluntario/a", True),
            ("The mentor", "El/la mentor/a", False),
        ],
    ),
    (
        "May you share the client's asylum application with a third party without consent?",
        "¿Puede compartir la solicitud de asilo del cliente con terceros sin su consentimiento?",
        [
            ("Yes, if it helps the case", "Sí, si ayuda al caso", False),
            ("No: 8 CFR 208.6 protects it", "No: el 8 CFR 208.6 la protege", True),
        ],
    ),
]


def _module(
    course: Course, position: int, texts: tuple[str, str, str, str], **extra: Any
) -> Module:
    title_en, title_es, reading_en, reading_es = texts
    return Module.objects.create(
        course=course,
        position=position,
        title_en=title_en,
        title_es=title_es,
        reading_en=reading_en,
        reading_es=reading_es,
        **extra,
    )


def trainings_demo_seed(*, coordinator: Any, attorney: Any, attorney2: Any) -> dict[str, Any]:
    """Create the demo catalogue, progress, a pending certificate, a live session and gates."""
    now = timezone.now()
    today = timezone.localdate()

    asylum = Course.objects.create(
        kind=Course.Kind.PROGRAM,
        position=1,
        title_en="Comprehensive asylum training",
        title_es="Capacitación integral sobre asilo",
        description_en="The program's training on defensive asylum cases, step by step.",
        description_es="La capacitación del programa sobre casos de asilo defensivo, paso a paso.",
        valid_for_months=24,
    )
    asylum_modules = [
        _module(
            asylum,
            index,
            texts,
            video_url=f"https://example.org/demo-videos/asylum-{index}",
        )
        for index, texts in enumerate(_ASYLUM_MODULES, start=1)
    ]
    for q_index, (text_en, text_es, choices) in enumerate(_QUIZ, start=1):
        question = Question.objects.create(
            module=asylum_modules[-1], position=q_index, text_en=text_en, text_es=text_es
        )
        for c_index, (answer_en, answer_es, right) in enumerate(choices, start=1):
            Choice.objects.create(
                question=question,
                position=c_index,
                text_en=answer_en,
                text_es=answer_es,
                is_correct=right,
            )

    u_visa = Course.objects.create(
        kind=Course.Kind.PROGRAM,
        position=2,
        title_en="U visa: from certification to filing",
        title_es="Visa U: de la certificación a la presentación",
        description_en="The law-enforcement certification (Form I-918, Supplement B), the I-918 "
        "petition and the waiver of inadmissibility (I-192).",
        description_es="La certificación de la agencia del orden público (Formulario I-918, "
        "Suplemento B), la petición I-918 y el perdón de inadmisibilidad (I-192).",
    )
    _module(
        u_visa,
        1,
        (
            "Qualifying criminal activity and helpfulness",
            "Actividad delictiva que califica y colaboración",
            "What the certifying agency must say, and the six-month validity of the signature.",
            "Lo que debe decir la agencia certificadora y la validez de seis meses de la firma.",
        ),
    )
    _module(
        u_visa,
        2,
        (
            "Assembling the petition",
            "Cómo preparar la petición",
            "Forms I-918 and I-192, the personal declaration, and the evidence of harm.",
            "Los Formularios I-918 e I-192, la declaración personal y las pruebas del daño sufrido.",
        ),
    )

    intro = Course.objects.create(
        kind=Course.Kind.INTRO_VIDEO,
        position=3,
        title_en="Mentoring intro video",
        title_es="Video de introducción a la mentoría",
        description_en="Watch before your first meeting with your mentor.",
        description_es="Véalo antes de su primera reunión con su mentor/a.",
    )
    _module(
        intro,
        1,
        (
            "How mentoring works",
            "Cómo funciona la mentoría",
            "You are the attorney of record; your mentor guides. Answer e-mail within 2 business "
            "days and meet the deadlines you agree on in the mentoring plan.",
            "Usted es el/la abogado/a de representación; su mentor/a le orienta. Responda los "
            "correos en 2 días hábiles y cumpla las fechas acordadas en el plan de mentoría.",
        ),
        video_url="https://example.org/demo-videos/mentoring-intro",
    )

    excellence = Course.objects.create(
        kind=Course.Kind.EXTERNAL,
        position=4,
        title_en="Center of Excellence online training",
        title_es="Capacitación en línea Center of Excellence",
        description_en="An online asylum training taken on the provider's site; upload your "
        "certificate of completion here.",
        description_es="Una capacitación en línea sobre asilo en el sitio del proveedor; suba aquí "
        "su certificado de finalización.",
        external_url="https://example.org/center-of-excellence",
        valid_for_months=36,
    )

    live = Course.objects.create(
        kind=Course.Kind.LIVE,
        position=5,
        title_en="Preparing for the individual hearing (live)",
        title_es="Preparación para la audiencia individual (en vivo)",
        description_en="A live workshop with a mock direct examination.",
        description_es="Un taller en vivo con un interrogatorio directo simulado.",
    )
    next_month = today + dt.timedelta(days=30)
    session = LiveSession.objects.create(
        course=live,
        starts_at=localize(dt.datetime.combine(next_month, dt.time(10, 0)), settings.TIME_ZONE),
        ends_at=localize(dt.datetime.combine(next_month, dt.time(12, 30)), settings.TIME_ZONE),
        time_zone=settings.TIME_ZONE,
        location="Centro Amparo (demo), 3022 International Blvd, Oakland",
        video_url="https://example.org/demo-meeting/individual-hearing",
        capacity=12,
        created_by=coordinator,
    )
    Registration.objects.create(
        session=session, user=attorney2, status=Registration.Status.REGISTERED
    )

    # The demo attorney completed the comprehensive training two months ago.
    done_at = now - dt.timedelta(days=60)
    for index, module in enumerate(asylum_modules):
        ModuleCompletion.objects.create(
            user=attorney, module=module, completed_at=done_at + dt.timedelta(hours=index)
        )
    CourseCompletion.objects.create(
        user=attorney,
        course=asylum,
        completed_on=timezone.localdate(done_at),
        source=CourseCompletion.Source.MODULES,
        created_at=done_at + dt.timedelta(hours=len(asylum_modules)),
    )
    # The second demo attorney has done the first module only.
    ModuleCompletion.objects.create(
        user=attorney2, module=asylum_modules[0], completed_at=now - dt.timedelta(days=3)
    )

    certificate = Certificate(
        user=attorney,
        course=excellence,
        original_name="center-of-excellence-certificate.pdf",
        content_type="application/pdf",
        size=len(_DEMO_PDF),
        completed_on=today - dt.timedelta(days=10),
    )
    certificate.file.save(certificate.original_name, ContentFile(_DEMO_PDF), save=False)
    certificate.save()

    defensive = Gate.objects.create(action=Gate.Action.TAKE_DEFENSIVE_ASYLUM)
    defensive.required_courses.set([asylum])
    first_meeting = Gate.objects.create(
        action=Gate.Action.MENTOR_FIRST_MEETING,
        note="The mentee watches the intro video and completes the Center of Excellence "
        "training before the first meeting with the mentor.",
    )
    first_meeting.required_courses.set([intro, excellence])
    return {
        "courses": [asylum, u_visa, intro, excellence, live],
        "session": session,
        "certificate": certificate,
    }
