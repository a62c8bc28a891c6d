"""Searching and filtering the library; pagination and a fixed number of queries per page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from amparo.library.models import DocumentCaseType, Topic
from tests.factories import LibraryDocumentFactory, LibraryDocumentVersionFactory

LIST = reverse("library:document_list")


def titles(client, **query):
    response = client.get(LIST, query)
    assert response.status_code == 200
    return {document.title_en for document in response.context["page"].object_list}


@pytest.fixture
def shelf(personas):
    def doc(title_en, *, case_types=(), topics=(), **fields):
        document = LibraryDocumentFactory(
            title_en=title_en, created_by=personas.coordinator, **fields
        )
        for case_type in case_types:
            DocumentCaseType.objects.create(document=document, case_type=case_type)
        document.topics.set(Topic.objects.filter(code__in=topics))
        LibraryDocumentVersionFactory(document=document)
        return document

    doc(
        "PSG brief",
        title_es="Escrito sobre grupo social",
        description_en="Defines the social group of women who cannot leave a relationship.",
        kind="brief",
        case_types=["defensive_asylum"],
        topics=["particular-social-group", "nexus"],
    )
    doc(
        "Supplement B letter",
        title_es="Carta del Suplemento B",
        description_en="Asks the certifying agency to sign.",
        kind="template",
        case_types=["u_visa"],
        topics=["u-certification"],
    )
    doc(
        "Guatemala index",
        title_es="Índice de Guatemala",
        description_en="Reports on gang violence.",
        kind="country_conditions",
        country="GT",
        case_types=["defensive_asylum", "affirmative_asylum"],
        topics=["country-conditions"],
    )
    doc(
        "Lista visa U",
        title_es="Lista de documentos para la visa U",
        description_en="",
        description_es="Lo que lleva el paquete del formulario I-918.",
        language="es",
        case_types=["u_visa"],
    )


@pytest.fixture
def reader(client, personas):
    client.force_login(personas.attorney)
    return client


def test_search_by_title_in_either_language(reader, shelf):
    assert titles(reader, q="supplement") == {"Supplement B letter"}
    assert titles(reader, q="índice") == {"Guatemala index"}


def test_search_ignores_case_and_accents(reader, shelf):
    assert titles(reader, q="INDICE") == {"Guatemala index"}
    assert titles(reader, q="Guatemala Índice") == {"Guatemala index"}


def test_search_by_description_text_in_either_language(reader, shelf):
    assert titles(reader, q="gang violence") == {"Guatemala index"}
    assert titles(reader, q="paquete") == {"Lista visa U"}


def test_search_every_word_must_match(reader, shelf):
    assert titles(reader, q="brief women") == {"PSG brief"}
    assert titles(reader, q="brief gang") == set()


def test_search_by_tag_name(reader, shelf):
    assert titles(reader, q="nexus") == {"PSG brief"}
    assert titles(reader, q="certification") == {"Supplement B letter"}
    # A case type's name is a tag too.
    assert titles(reader, q="U visa") >= {"Supplement B letter", "Lista visa U"}


def test_filter_by_case_type_topic_country_language_and_kind(reader, shelf):
    assert titles(reader, case_type="u_visa") == {"Supplement B letter", "Lista visa U"}
    assert titles(reader, case_type="affirmative_asylum") == {"Guatemala index"}
    assert titles(reader, topic="nexus") == {"PSG brief"}
    assert titles(reader, country="gt") == {"Guatemala index"}
    assert titles(reader, language="es") == {"Lista visa U"}
    assert titles(reader, kind="template") == {"Supplement B letter"}
    assert titles(reader, case_type="u_visa", language="en") == {"Supplement B letter"}


def test_filter_with_unknown_values_is_ignored_not_an_error(reader, shelf):
    assert len(titles(reader, case_type="nope", kind="<script>", country="123")) == 4


def test_search_page_and_htmx_fragment(reader, shelf):
    page = reader.get(LIST, {"q": "brief"})
    fragment = reader.get(LIST, {"q": "brief"}, HTTP_HX_REQUEST="true")
    assert b"<html" in page.content
    assert b"<html" not in fragment.content
    assert b"PSG brief" in fragment.content


def test_list_is_paginated_and_keeps_the_filters(reader, personas):
    for index in range(25):
        LibraryDocumentVersionFactory(
            document=LibraryDocumentFactory(
                title_en=f"Checklist {index:02d}", created_by=personas.coordinator
            )
        )
    first = reader.get(LIST, {"kind": "checklist"})
    assert len(first.context["page"].object_list) == 20
    assert "kind=checklist&amp;page=2" in first.content.decode()
    second = reader.get(LIST, {"kind": "checklist", "page": 2})
    assert len(second.context["page"].object_list) == 5
    assert reader.get(LIST, {"page": "999"}).status_code == 200


def test_list_shows_the_latest_version_and_its_date(reader, personas):
    import datetime as dt

    from django.utils import timezone

    document = LibraryDocumentFactory(title_en="Versioned", created_by=personas.coordinator)
    LibraryDocumentVersionFactory(
        document=document, number=1, published_at=timezone.now() - dt.timedelta(days=40)
    )
    latest = LibraryDocumentVersionFactory(document=document, number=2)
    row = reader.get(LIST).context["page"].object_list[0]
    assert row.latest_number == 2
    assert row.latest_version_id == latest.pk
    assert row.updated_on == latest.published_at


def _count_queries(reader, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit):
        response = reader.get(LIST, {"case_type": "defensive_asylum"})
    assert response.status_code == 200
    return response


def test_list_query_count_does_not_grow_with_documents(
    reader, personas, django_assert_max_num_queries
):
    def add(count):
        for _ in range(count):
            document = LibraryDocumentFactory(created_by=personas.coordinator)
            DocumentCaseType.objects.create(document=document, case_type="defensive_asylum")
            document.topics.set(Topic.objects.all()[:3])
            LibraryDocumentVersionFactory(document=document)

    add(2)
    _count_queries(reader, django_assert_max_num_queries, 12)
    add(30)
    response = _count_queries(reader, django_assert_max_num_queries, 12)
    assert len(response.context["page"].object_list) == 20
