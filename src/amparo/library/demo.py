"""Demo data for the library: a handful of fictional sample documents (one with two versions,
downloaded by the demo attorney before the second one, so a notification is waiting) and the
strategy notes, written from the two first programs' own descriptions of what their training
and mentoring cover (a Bay Area pro bono project for asylum and U visa cases, and a national
mentoring program for defensive asylum cases). Called by `manage.py demo_data`; nothing here is
a real client's data.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from amparo.cases.models import CaseType
from amparo.deadlines.models import MilestoneTemplateItem
from amparo.library.models import Document, DocumentDownload, DocumentKind, Topic
from amparo.library.services import (
    document_create,
    document_version_publish,
    strategy_note_create,
)


def tiny_pdf(lines: list[str]) -> bytes:
    """A valid one-page PDF showing `lines` in Helvetica (no PDF library needed)."""

    def escape(text: str) -> bytes:
        raw = text.encode("cp1252", errors="replace")
        return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")

    text = (
        b"BT /F1 11 Tf 14 TL 56 760 Td "
        + b" ".join(b"(" + escape(line) + b") Tj T*" for line in lines)
        + b" ET"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(text)).encode() + b" >>\nstream\n" + text + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


DECLARATION_CHECKLIST_V1 = """ASYLUM DECLARATION CHECKLIST (sample, no client data)

[ ] Interview the client with an interpreter in their best language
[ ] Chronology: home, harm, threats, flight, journey, arrival
[ ] Each harm: who, what, when, where, why (the protected ground)
[ ] Reasons the government could not or would not protect
[ ] Draft, review with the client, final
"""

DECLARATION_CHECKLIST_V2 = """ASYLUM DECLARATION CHECKLIST (sample, no client data)
Version 2

[ ] Check the one-year filing deadline first (arrival date, unaccompanied-child status)
[ ] Interview the client with an interpreter in their best language
[ ] Chronology: home, harm, threats, flight, journey, arrival
[ ] Each harm: who, what, when, where, why (the protected ground)
[ ] Reasons the government could not or would not protect
[ ] Draft, review with the client, final
[ ] Read the final declaration back to the client with an interpreter; note the interpreter's
    certificate of translation
"""

SUPPLEMENT_B_LETTER = """[Letterhead of the program]

[Date]

[Name of the certifying official]
[Agency]
[Address]

Re: Request for Form I-918, Supplement B, U Nonimmigrant Status Certification
    Police report number: [number]

Dear [Name of the certifying official]:

Our office represents the victim of the qualifying criminal activity described in the report
above. The victim has been, is being or is likely to be helpful in the investigation or
prosecution of that crime. We ask that your agency complete and sign the enclosed Form I-918,
Supplement B.

[Describe the crime, the victim's helpfulness and the enclosed records.]

Sincerely,
[Attorney's name], attorney for the victim
"""

U_VISA_DOCUMENTS_ES = """LISTA DE DOCUMENTOS PARA LA PETICIÓN DE VISA U (ejemplo, sin datos de clientes)

[ ] Formulario I-918 firmado
[ ] Certificación de la agencia del orden público (Formulario I-918, Suplemento B), firmada hace
    menos de seis meses
[ ] Declaración personal del cliente
[ ] Pruebas: informes policiales, expedientes médicos, órdenes de protección
[ ] Formulario I-192 (perdón), si hace falta
[ ] Formulario I-918, Suplemento A, por cada familiar derivado/a
[ ] Formulario I-765 (permiso de trabajo) y G-28
"""


def _file(name: str, content: bytes | str) -> ContentFile[bytes]:
    data = content.encode("utf-8") if isinstance(content, str) else content
    return ContentFile(data, name=name)


def _topics(*codes: str) -> list[Topic]:
    return list(Topic.objects.filter(code__in=codes))


def _documents(*, coordinator: Any, attorney: Any) -> list[Document]:
    checklist = document_create(
        actor=coordinator,
        kind=DocumentKind.CHECKLIST,
        title_en="Asylum declaration checklist",
        title_es="Lista de verificación para la declaración de asilo",
        description_en=(
            "Steps for preparing the client's declaration, from the first interview with an "
            "interpreter to the final read-back."
        ),
        description_es=(
            "Pasos para preparar la declaración del cliente, desde la primera entrevista con "
            "intérprete hasta la lectura final."
        ),
        language="en",
        case_types=[CaseType.DEFENSIVE_ASYLUM, CaseType.AFFIRMATIVE_ASYLUM],
        topics=_topics("credibility-corroboration", "one-year-bar"),
        file=_file("declaration-checklist.txt", DECLARATION_CHECKLIST_V1),
        notes="First version.",
    )
    brief = document_create(
        actor=coordinator,
        kind=DocumentKind.BRIEF,
        title_en="Sample pre-hearing brief: particular social group and nexus",
        title_es="Escrito legal de ejemplo previo a la audiencia: grupo social determinado y nexo",
        description_en=(
            "A redacted pre-hearing brief for a woman fleeing domestic violence: how to define "
            "the particular social group and show nexus."
        ),
        description_es=(
            "Escrito legal redactado para una mujer que huyó de la violencia doméstica: cómo "
            "definir el grupo social determinado y demostrar el nexo causal."
        ),
        language="en",
        case_types=[CaseType.DEFENSIVE_ASYLUM],
        topics=_topics("particular-social-group", "nexus", "gender-based-violence"),
        file=_file(
            "psg-brief.pdf",
            tiny_pdf(
                [
                    "SAMPLE PRE-HEARING BRIEF (redacted; fictional facts)",
                    "I. The respondent is a member of a particular social group.",
                    "II. The persecution was on account of that membership (nexus).",
                    "III. The government was unable or unwilling to protect her.",
                ]
            ),
        ),
    )
    country = document_create(
        actor=coordinator,
        kind=DocumentKind.COUNTRY_CONDITIONS,
        title_en="Country-conditions index: Guatemala",
        title_es="Índice de informes sobre las condiciones del país: Guatemala",
        description_en="An index of public reports on gang violence and violence against women.",
        description_es="Índice de informes públicos sobre violencia de pandillas y contra las mujeres.",
        language="en",
        country="GT",
        case_types=[CaseType.DEFENSIVE_ASYLUM, CaseType.AFFIRMATIVE_ASYLUM],
        topics=_topics("country-conditions", "gender-based-violence"),
        file=_file(
            "guatemala-index.pdf",
            tiny_pdf(
                [
                    "COUNTRY-CONDITIONS INDEX: GUATEMALA (sample)",
                    "Tab A: U.S. Department of State, Country Report on Human Rights Practices",
                    "Tab B: UNHCR eligibility guidelines",
                    "Tab C: reports on gang violence and violence against women",
                ]
            ),
        ),
    )
    letter = document_create(
        actor=coordinator,
        kind=DocumentKind.TEMPLATE,
        title_en="Supplement B request letter to a certifying agency",
        title_es="Carta para solicitar el Suplemento B a la agencia del orden público",
        description_en="A letter template asking the certifying agency to sign Form I-918, Supplement B.",
        description_es=(
            "Modelo de carta para pedir a la agencia del orden público que firme el Formulario "
            "I-918, Suplemento B."
        ),
        language="en",
        case_types=[CaseType.U_VISA],
        topics=_topics("u-certification"),
        file=_file("supplement-b-request.txt", SUPPLEMENT_B_LETTER),
    )
    u_list = document_create(
        actor=coordinator,
        kind=DocumentKind.CHECKLIST,
        title_en="U visa petition: documents checklist",
        title_es="Lista de documentos para la petición de visa U",
        description_en="What goes in the I-918 package, in Spanish for the client.",
        description_es="Lo que lleva el paquete del I-918, en español para el cliente.",
        language="es",
        case_types=[CaseType.U_VISA],
        topics=_topics("u-certification", "waivers", "derivatives"),
        file=_file("lista-visa-u.txt", U_VISA_DOCUMENTS_ES),
    )

    # The checklist's first version came out a month ago; the demo attorney downloaded it; the
    # second version, published now, tells them so.
    month_ago = timezone.now() - dt.timedelta(days=30)
    first = checklist.versions.get(number=1)
    type(first).objects.filter(pk=first.pk).update(published_at=month_ago)
    DocumentDownload.objects.create(
        user=attorney, version=first, downloaded_at=month_ago + dt.timedelta(days=3)
    )
    document_version_publish(
        document=checklist,
        actor=coordinator,
        file=_file("declaration-checklist.txt", DECLARATION_CHECKLIST_V2),
        notes=("Added the one-year filing deadline check and the read-back with an interpreter."),
    )
    return [checklist, brief, country, letter, u_list]


def _item(case_type: str, order: int) -> MilestoneTemplateItem | None:
    return MilestoneTemplateItem.objects.filter(template__case_type=case_type, order=order).first()


OWNERSHIP_EN = (
    "You, the pro bono attorney, are the attorney of record on this case, not your mentor. The "
    "biggest issue programs like ours see is volunteers not taking ownership of and "
    "responsibility for their cases.\n\n"
    "You are bound by the ethical obligations of your state bar: competence, diligence, "
    "communication and meeting deadlines. The program also asks you to answer e-mails within 2 "
    "business days and to meet the deadlines you and your mentor set for drafts of briefing and "
    "other milestones."
)
OWNERSHIP_ES = (
    "Usted, como abogado/a voluntario/a (pro bono), es el/la abogado/a de representación en este "
    "caso, no su mentor/a. El mayor problema que vemos en programas como el nuestro es que la "
    "persona voluntaria no se hace cargo del caso ni asume la responsabilidad.\n\n"
    "Usted tiene las obligaciones éticas del colegio de abogados de su estado: competencia, "
    "diligencia, comunicación y cumplimiento de los plazos. El programa también le pide responder "
    "los correos electrónicos en un plazo de 2 días hábiles y cumplir las fechas límite que usted "
    "y su mentor/a fijen para los borradores de escritos legales y otras etapas clave."
)
PROGRAM_EN = (
    "The program carefully screens each case before placing it, gives you a detailed training on "
    "the specific steps and procedures, provides updated sample materials and briefing (see the "
    "library), discusses strategy and case development with you, and guides and mentors you "
    "throughout the representation."
)
PROGRAM_ES = (
    "El programa hace una evaluación inicial cuidadosa de cada caso antes de asignarlo, le da una "
    "capacitación detallada sobre los pasos y procedimientos específicos, le ofrece materiales de "
    "ejemplo y escritos legales actualizados (vea la biblioteca), habla con usted sobre la "
    "estrategia y el desarrollo del caso, y le orienta y acompaña con mentoría durante toda la "
    "representación."
)
MALPRACTICE_EN = (
    "The program cannot provide malpractice insurance. Call your current provider to see whether "
    "you can add immigration law as a practice area for this limited purpose, or ask the "
    "organization that placed the case whether it can cover it."
)
MALPRACTICE_ES = (
    "El programa no puede ofrecer un seguro de responsabilidad profesional. Llame a su "
    "aseguradora para saber si puede agregar el derecho de inmigración como área de práctica para "
    "este fin limitado, o pregunte a la organización que le asignó el caso si puede cubrirlo."
)


def _strategy_notes(*, coordinator: Any) -> int:
    notes: list[dict[str, Any]] = []
    for case_type in (CaseType.DEFENSIVE_ASYLUM, CaseType.AFFIRMATIVE_ASYLUM):
        notes += [
            {
                "case_type": case_type,
                "order": 1,
                "title_en": "Owning the case",
                "title_es": "Hacerse cargo del caso",
                "body_en": OWNERSHIP_EN,
                "body_es": OWNERSHIP_ES,
            },
            {
                "case_type": case_type,
                "order": 2,
                "title_en": "What the program does with you",
                "title_es": "Lo que el programa hace con usted",
                "body_en": PROGRAM_EN,
                "body_es": PROGRAM_ES,
            },
            {
                "case_type": case_type,
                "order": 3,
                "title_en": "Malpractice coverage",
                "title_es": "Seguro de responsabilidad profesional",
                "body_en": MALPRACTICE_EN,
                "body_es": MALPRACTICE_ES,
            },
        ]
    notes += [
        {
            "case_type": CaseType.DEFENSIVE_ASYLUM,
            "milestone_item": _item(CaseType.DEFENSIVE_ASYLUM, 8),
            "title_en": "Meeting and talking with your client",
            "title_es": "Reunirse y comunicarse con su cliente",
            "body_en": (
                "We highly recommend that you meet your client in person at least once before the "
                "individual hearing.\n\n"
                "How you prepare the case with your client depends on where you both are. If your "
                "client is across the border in Mexico, most can be reached via WhatsApp. If your "
                "client is detained, phone calls or visits at the detention facility are usually "
                "the best option."
            ),
            "body_es": (
                "Le recomendamos mucho reunirse en persona con su cliente al menos una vez antes "
                "de la audiencia individual.\n\n"
                "La forma de preparar el caso con su cliente depende de dónde se encuentren. Si su "
                "cliente está al otro lado de la frontera, en México, casi siempre se le puede "
                "contactar por WhatsApp. Si su cliente está detenido/a, lo mejor suele ser llamar "
                "por teléfono o visitarle en el centro de detención."
            ),
        },
        {
            "case_type": CaseType.DEFENSIVE_ASYLUM,
            "milestone_item": _item(CaseType.DEFENSIVE_ASYLUM, 13),
            "title_en": "Your mentor and the hearing",
            "title_es": "Su mentor/a y la audiencia",
            "body_en": (
                "Each mentor decides their role in the case, but generally mentors will not be "
                "present at the final hearing: the mock hearing is where you rehearse it together."
            ),
            "body_es": (
                "Cada mentor/a decide su papel en el caso, pero en general no estará presente en "
                "la audiencia final: el simulacro de audiencia es el momento de ensayarla juntos."
            ),
        },
        {
            "case_type": CaseType.U_VISA,
            "order": 1,
            "title_en": "What the U visa is",
            "title_es": "Qué es la visa U",
            "body_en": (
                "The U visa is for immigrants who have been victims of a violent crime and who "
                "have cooperated with law enforcement. It is an application filed with U.S. "
                "Citizenship and Immigration Services (USCIS) and does not require an appearance "
                "before the Immigration Court."
            ),
            "body_es": (
                "La visa U es para inmigrantes que han sido víctimas de un delito violento y que "
                "han colaborado con la agencia del orden público. Es una petición que se presenta "
                "ante el Servicio de Ciudadanía e Inmigración de los Estados Unidos (USCIS) y no "
                "exige comparecer ante el tribunal de inmigración."
            ),
        },
        {
            "case_type": CaseType.U_VISA,
            "order": 2,
            "title_en": "Working with survivors",
            "title_es": "Trabajar con sobrevivientes",
            "body_en": (
                "Undocumented survivors of violent crime often remain isolated and do not seek "
                "the legal services they qualify for, because of language barriers, limited "
                "education and fear that contact with the authorities could lead to deportation.\n\n"
                "Offer bilingual, culturally sensitive help: work with an interpreter in the "
                "client's language and explain each step. Without an attorney, most survivors "
                "would not apply for a U visa despite being eligible."
            ),
            "body_es": (
                "Muchas personas sobrevivientes de delitos violentos que no tienen documentos "
                "viven aisladas y no buscan los servicios legales a los que tienen derecho, por "
                "barreras de idioma, poca escolaridad y miedo a que el contacto con las "
                "autoridades lleve a su deportación.\n\n"
                "Ofrezca una atención bilingüe y sensible a su cultura: trabaje con un/a "
                "intérprete en el idioma del cliente y explique cada paso. Sin un/a abogado/a, "
                "la mayoría de estas personas no pediría la visa U aunque cumpla los requisitos."
            ),
        },
        {
            "case_type": CaseType.U_VISA,
            "milestone_item": _item(CaseType.U_VISA, 2),
            "title_en": "Asking for the certification",
            "title_es": "Pedir la certificación",
            "body_en": (
                "The certifying agency's Form I-918, Supplement B is the proof that your client "
                "has been helpful to law enforcement. Ask for it early (see the letter template "
                "in the library): the I-918 must reach USCIS within six months of the date the "
                "Supplement B was signed."
            ),
            "body_es": (
                "El Formulario I-918, Suplemento B, firmado por la agencia del orden público, es "
                "la prueba de que su cliente colaboró con las autoridades. Pídalo pronto (vea el "
                "modelo de carta en la biblioteca): el I-918 debe llegar a USCIS dentro de los "
                "seis meses siguientes a la fecha de firma del Suplemento B."
            ),
        },
    ]
    for note in notes:
        strategy_note_create(actor=coordinator, **note)
    return len(notes)


def library_demo_seed(*, coordinator: Any, attorney: Any) -> None:
    """Sample documents (one in two versions, with a notification waiting for `attorney`) and
    the strategy notes for asylum and U visa cases."""
    _documents(coordinator=coordinator, attorney=attorney)
    _strategy_notes(coordinator=coordinator)
