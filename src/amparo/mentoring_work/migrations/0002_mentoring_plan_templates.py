"""Mentoring plan templates per case type: the drafts a mentor reviews (declaration, brief,
evidence, filings) timed from the first meeting or from the case's own dates, as the case plan's
milestones are (deadlines 0002). Relative timings are program settings, not law: program admins
edit them in the admin."""

from django.db import migrations

# (order, anchor, offset_days, owner, kind, title_en, title_es)
DEFENSIVE_ASYLUM = [
    (1, "first_meeting", 0, "both", "meeting", "First meeting: theory of the case and the mentoring plan", "Primera reunión: teoría del caso y plan de mentoría"),
    (2, "next_master_hearing", -10, "mentee", "filing", "Draft pleadings for the master calendar hearing, for review", "Borrador de los alegatos para la audiencia preliminar, para revisión"),
    (3, "next_individual_hearing", -90, "mentee", "declaration", "First draft of the client's declaration, for review", "Primer borrador de la declaración del cliente, para revisión"),
    (4, "next_individual_hearing", -60, "mentee", "declaration", "Final declaration, read back with an interpreter", "Declaración final, leída al cliente con intérprete"),
    (5, "next_individual_hearing", -50, "mentee", "evidence", "Evidence list and country-conditions index, for review", "Lista de pruebas e índice de informes sobre las condiciones del país, para revisión"),
    (6, "prehearing_filing_safe_target", -14, "mentee", "brief", "Draft pre-hearing brief, for review", "Borrador del escrito legal previo a la audiencia, para revisión"),
    (7, "prehearing_filing_safe_target", -7, "mentor", "brief", "Mentor's comments on the brief returned", "Comentarios del/de la mentor/a sobre el escrito legal enviados"),
    (8, "prehearing_filing_safe_target", 0, "mentee", "filing", "Pre-hearing filing made (brief, exhibits, witness list)", "Presentación previa a la audiencia hecha (escrito legal, pruebas, lista de testigos)"),
    (9, "next_individual_hearing", -14, "both", "meeting", "Mock hearing: direct examination and cross-examination practice", "Simulacro de audiencia: práctica del interrogatorio directo y del contrainterrogatorio"),
]
AFFIRMATIVE_ASYLUM = [
    (1, "first_meeting", 0, "both", "meeting", "First meeting: theory of the case and the mentoring plan", "Primera reunión: teoría del caso y plan de mentoría"),
    (2, "one_year_deadline", -75, "mentee", "declaration", "First draft of the client's declaration, for review", "Primer borrador de la declaración del cliente, para revisión"),
    (3, "one_year_deadline", -45, "mentee", "evidence", "Evidence list and country-conditions index, for review", "Lista de pruebas e índice de informes sobre las condiciones del país, para revisión"),
    (4, "one_year_deadline", -40, "mentee", "filing", "Draft I-589, for review", "Borrador del I-589, para revisión"),
    (5, "one_year_deadline", -30, "mentee", "filing", "I-589 filed with USCIS", "I-589 presentado ante USCIS"),
    (6, "", 0, "both", "meeting", "Asylum interview preparation", "Preparación para la entrevista de asilo"),
]
U_VISA = [
    (1, "first_meeting", 0, "both", "meeting", "First meeting: eligibility review and the mentoring plan", "Primera reunión: revisión de los requisitos y plan de mentoría"),
    (2, "first_meeting", 14, "mentee", "filing", "Draft Supplement B request to the certifying agency, for review", "Borrador de la solicitud del Suplemento B a la agencia del orden público, para revisión"),
    (3, "supplement_b_signed", 21, "mentee", "declaration", "First draft of the client's personal statement, for review", "Primer borrador de la declaración personal del cliente, para revisión"),
    (4, "supplement_b_signed", 45, "mentee", "evidence", "Evidence of the crime, the harm and the helpfulness, for review", "Pruebas del delito, del daño y de la colaboración, para revisión"),
    (5, "supplement_b_signed", 55, "mentee", "filing", "Draft I-918 package (I-192 if needed, Supplement A), for review", "Borrador del paquete del I-918 (I-192 si hace falta, Suplemento A), para revisión"),
    (6, "supplement_b_last_safe_receipt", -30, "mentee", "filing", "I-918 package filed", "Paquete del I-918 presentado"),
]
TEMPLATES = [
    ("defensive_asylum", "Defensive asylum mentoring plan", "Plan de mentoría de asilo defensivo", DEFENSIVE_ASYLUM),
    ("affirmative_asylum", "Affirmative asylum mentoring plan", "Plan de mentoría de asilo afirmativo", AFFIRMATIVE_ASYLUM),
    ("u_visa", "U visa mentoring plan", "Plan de mentoría de visa U", U_VISA),
]


def create_templates(apps, schema_editor):
    Template = apps.get_model("mentoring_work", "MentoringPlanTemplate")
    Step = apps.get_model("mentoring_work", "MentoringPlanTemplateStep")
    for case_type, name_en, name_es, steps in TEMPLATES:
        template, _ = Template.objects.get_or_create(
            case_type=case_type, defaults={"name_en": name_en, "name_es": name_es}
        )
        for order, anchor, offset, owner, kind, title_en, title_es in steps:
            Step.objects.get_or_create(
                template=template,
                order=order,
                defaults={
                    "anchor": anchor,
                    "offset_days": offset,
                    "owner": owner,
                    "kind": kind,
                    "title_en": title_en,
                    "title_es": title_es,
                },
            )


class Migration(migrations.Migration):
    dependencies = [("mentoring_work", "0001_plans_drafts_messages_time_pay_feedback")]

    operations = [migrations.RunPython(create_templates, migrations.RunPython.noop)]
