"""Every library page renders in Spanish for a Spanish-speaking user. Until the lead's
translations land, each test checks lang="es" and a fact that does not depend on them: the
Spanish title or text of what is shown."""

from __future__ import annotations

import pytest
from django.urls import reverse

from amparo.library.services import (
    document_download_record,
    document_version_publish,
    strategy_note_create,
)
from tests.library.conftest import upload


@pytest.fixture
def spanish_coordinator(client, personas):
    personas.coordinator.language = "es"
    personas.coordinator.save()
    client.force_login(personas.coordinator)
    return client


@pytest.fixture
def content(personas, make_document):
    document = make_document(title_en="Declaration checklist", title_es="Lista para la declaración")
    document_download_record(version=document.versions.get(), user=personas.coordinator)
    document_download_record(version=document.versions.get(), user=personas.program_admin)
    document_version_publish(
        document=document,
        actor=personas.program_admin,
        file=upload("lista.txt", "v2"),
        notes="Se agregó la lectura con intérprete.",
    )
    note = strategy_note_create(
        actor=personas.coordinator,
        case_type="u_visa",
        title_en="What the U visa is",
        title_es="Qué es la visa U",
        body_en="An application filed with USCIS.",
        body_es="Una petición que se presenta ante USCIS.",
    )
    return document, note


def test_library_pages_render_in_spanish(spanish_coordinator, content):
    document, note = content
    pages = {
        reverse("library:notifications"): "Lista para la declaración",
        reverse("library:document_list"): "Lista para la declaración",
        reverse("library:document_detail", args=[document.pk]): "Se agregó la lectura",
        reverse("library:document_create"): 'name="title_es"',
        reverse("library:document_edit", args=[document.pk]): 'value="Lista para la declaración"',
        reverse("library:version_create", args=[document.pk]): "Lista para la declaración",
        reverse("library:strategy_notes"): "Una petición que se presenta ante USCIS.",
        reverse("library:strategy_note_create"): 'name="body_es"',
        reverse("library:strategy_note_edit", args=[note.pk]): "Qué es la visa U",
        reverse("library:strategy_note_history", args=[note.pk]): "Qué es la visa U",
    }
    for url, fact in pages.items():
        response = spanish_coordinator.get(url)
        html = response.content.decode()
        assert response.status_code == 200, url
        assert '<html lang="es">' in html, url
        assert fact in html, url


def test_spanish_attorney_sees_spanish_titles_in_the_list(client, personas, make_document):
    make_document(title_en="Declaration checklist", title_es="Lista para la declaración")
    personas.attorney.language = "es"
    personas.attorney.save()
    client.force_login(personas.attorney)
    html = client.get(reverse("library:document_list")).content.decode()
    assert '<html lang="es">' in html
    assert "Lista para la declaración" in html
    assert "Declaration checklist" not in html
