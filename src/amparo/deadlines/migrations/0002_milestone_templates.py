"""Milestone templates per case type, from practice guidance (docs/deadline-rules.md section 9).
Relative timings are program settings, not law: coordinators edit them in the admin."""

from django.db import migrations

# (order, anchor, offset_days, owner, title_en, title_es)
DEFENSIVE_ASYLUM = [
    (1, "placement", 0, "attorney", "Accept the placement: conflict check and engagement letter", "Aceptar la asignación: verificación de conflictos de intereses y carta de compromiso"),
    (2, "placement", 3, "attorney", "File Form EOIR-28 (entry of appearance) in ECAS", "Presentar el Formulario EOIR-28 (aviso de comparecencia como representante) en ECAS"),
    (3, "placement", 7, "attorney", "Check the one-year filing deadline (arrival date, unaccompanied-child status, exceptions)", "Revisar el plazo de un año para solicitar asilo (fecha de llegada, condición de menor no acompañado/a, excepciones)"),
    (4, "next_master_hearing", -7, "attorney", "Prepare written pleadings for the master calendar hearing", "Preparar los alegatos escritos para la audiencia preliminar"),
    (5, "one_year_deadline", -30, "attorney", "File the I-589 with the court, send the copy to USCIS and attend biometrics", "Presentar el I-589 ante el tribunal, enviar la copia a USCIS y acudir a la cita de servicios biométricos"),
    (6, "ead_earliest_filing", 0, "attorney", "File the I-765 work-permit application (c)(8)", "Presentar la solicitud de permiso de trabajo I-765 (c)(8)"),
    (7, "next_individual_hearing", -120, "attorney", "Request expert declarations (medical, psychological, country expert)", "Solicitar declaraciones de peritos (médicas, psicológicas, expertos en el país)"),
    (8, "next_individual_hearing", -60, "attorney", "Client declaration: draft, final, read back with an interpreter", "Declaración del cliente: borrador, versión final y lectura con intérprete"),
    (9, "next_individual_hearing", -45, "attorney", "Corroborating evidence and certified translations", "Pruebas de apoyo y traducciones certificadas"),
    (10, "next_individual_hearing", -45, "attorney", "Country-conditions index", "Índice de informes sobre las condiciones del país"),
    (11, "next_individual_hearing", -40, "attorney", "Final expert declarations", "Declaraciones finales de peritos"),
    (12, "prehearing_filing_safe_target", 0, "attorney", "File the pre-hearing brief, witness list, exhibits and any amended I-589", "Presentar el escrito legal previo a la audiencia, la lista de testigos, las pruebas y el I-589 enmendado, si lo hay"),
    (13, "next_individual_hearing", -14, "mentor", "Mock hearing with the mentor", "Simulacro de audiencia con el/la mentor/a"),
    (14, "next_individual_hearing", 0, "attorney", "Individual hearing", "Audiencia individual"),
]
AFFIRMATIVE_ASYLUM = [
    (1, "placement", 0, "attorney", "Accept the placement: conflict check and engagement letter", "Aceptar la asignación: verificación de conflictos de intereses y carta de compromiso"),
    (2, "placement", 7, "attorney", "Check the one-year filing deadline (arrival date, exceptions)", "Revisar el plazo de un año para solicitar asilo (fecha de llegada, excepciones)"),
    (3, "one_year_deadline", -60, "attorney", "Client declaration: draft, final, read back with an interpreter", "Declaración del cliente: borrador, versión final y lectura con intérprete"),
    (4, "one_year_deadline", -45, "attorney", "Corroborating evidence and certified translations", "Pruebas de apoyo y traducciones certificadas"),
    (5, "one_year_deadline", -30, "attorney", "File the I-589 with USCIS (keep proof of mailing)", "Presentar el I-589 ante USCIS (guardar el comprobante de envío)"),
    (6, "", 0, "attorney", "Biometrics appointment", "Cita de servicios biométricos (huellas y fotografía)"),
    (7, "ead_earliest_filing", 0, "attorney", "File the I-765 work-permit application (c)(8)", "Presentar la solicitud de permiso de trabajo I-765 (c)(8)"),
    (8, "", 0, "mentor", "Prepare the client for the asylum interview", "Preparar al cliente para la entrevista de asilo"),
]
U_VISA = [
    (1, "placement", 14, "attorney", "Intake: qualifying crime, substantial harm, helpfulness, admissibility, family members and their ages", "Entrevista inicial: actividad delictiva que califica, daño sustancial, colaboración, admisibilidad, familiares y sus edades"),
    (2, "placement", 14, "attorney", "Request the Supplement B from the certifying agency", "Solicitar el Suplemento B a la agencia del orden público"),
    (3, "", 0, "attorney", "Supplement B received: record the signature date", "Suplemento B recibido: registrar la fecha de firma"),
    (4, "supplement_b_signed", 30, "attorney", "Client's personal statement", "Declaración personal del cliente"),
    (5, "supplement_b_signed", 45, "attorney", "Evidence: police reports, medical records, protective orders, proof of helpfulness", "Pruebas: informes policiales, expedientes médicos, órdenes de protección, prueba de colaboración"),
    (6, "supplement_b_signed", 60, "attorney", "I-192 waiver if needed, I-918 Supplement A for each family member, I-765, G-28", "Perdón I-192 si hace falta, Suplemento A del I-918 para cada familiar, I-765, G-28"),
    (7, "supplement_b_signed", 90, "attorney", "File the I-918 package (\"Attn: 1367\", safe mailing address), never after the last safe receipt date", "Presentar el paquete del I-918 (\"Attn: 1367\", dirección postal segura), nunca después de la última fecha segura de recepción"),
    (8, "", 0, "attorney", "Receipt notice and biometrics appointment", "Aviso de recibo y cita de servicios biométricos"),
    (9, "uscis_response_due", -7, "attorney", "Answer the request for evidence (RFE)", "Responder a la Solicitud de Evidencia (RFE)"),
]
TEMPLATES = [
    ("defensive_asylum", "Defensive asylum plan", "Plan de asilo defensivo", DEFENSIVE_ASYLUM),
    ("affirmative_asylum", "Affirmative asylum plan", "Plan de asilo afirmativo", AFFIRMATIVE_ASYLUM),
    ("u_visa", "U visa plan", "Plan de visa U", U_VISA),
]


def create_templates(apps, schema_editor):
    Template = apps.get_model("deadlines", "MilestoneTemplate")
    Item = apps.get_model("deadlines", "MilestoneTemplateItem")
    for case_type, name_en, name_es, items in TEMPLATES:
        template, _ = Template.objects.get_or_create(
            case_type=case_type, defaults={"name_en": name_en, "name_es": name_es}
        )
        for order, anchor, offset, owner, title_en, title_es in items:
            Item.objects.get_or_create(
                template=template,
                order=order,
                defaults={
                    "anchor": anchor,
                    "offset_days": offset,
                    "owner_role": owner,
                    "title_en": title_en,
                    "title_es": title_es,
                },
            )


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0001_deadlines_flags_milestones_feeds")]

    operations = [migrations.RunPython(create_templates, migrations.RunPython.noop)]
