"""The topics library documents start with (staff add more in the admin). Spanish names follow
docs/spanish-glossary.md."""

from django.db import migrations

TOPICS = [
    ("particular-social-group", "Particular social group", "Grupo social determinado"),
    ("political-opinion", "Political opinion", "Opinión política"),
    ("nexus", "Nexus", "Nexo causal"),
    ("one-year-bar", "One-year filing deadline", "Plazo de un año para solicitar asilo"),
    ("credibility-corroboration", "Credibility and corroboration", "Credibilidad y pruebas de apoyo"),
    ("country-conditions", "Country conditions", "Condiciones del país"),
    ("withholding", "Withholding of removal", "Suspensión de la deportación (withholding of removal)"),
    ("cat", "Convention Against Torture (CAT)", "Convención contra la Tortura (CAT)"),
    ("unaccompanied-children", "Unaccompanied children", "Menores no acompañados/as"),
    ("gender-based-violence", "Gender-based and domestic violence", "Violencia de género y doméstica"),
    ("expert-declarations", "Expert declarations", "Declaraciones de peritos"),
    ("u-certification", "U certification (Supplement B)", "Certificación U (Suplemento B)"),
    ("substantial-harm", "Substantial harm", "Daño sustancial"),
    ("waivers", "Waivers (I-192)", "Perdones (I-192)"),
    ("derivatives", "Family members (derivatives)", "Familiares derivados/as"),
    ("work-permit", "Work permit (EAD)", "Permiso de trabajo (EAD)"),
]


def create_topics(apps, schema_editor):
    Topic = apps.get_model("library", "Topic")
    for code, name_en, name_es in TOPICS:
        Topic.objects.get_or_create(code=code, defaults={"name_en": name_en, "name_es": name_es})


class Migration(migrations.Migration):
    dependencies = [("library", "0001_library_documents_notifications_strategy_notes")]

    operations = [migrations.RunPython(create_topics, migrations.RunPython.noop)]
