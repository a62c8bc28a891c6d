"""Board pages read in two steps (the page's ids, then those cases): same order, same pager,
the same queries on the last page as on the first, and the court filter's choices."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from amparo.cases.board import BoardFilters, board_case_list, board_page
from amparo.cases.models import Stage
from amparo.cases.selectors import court_list_for_board
from amparo.courts.models import ImmigrationCourt
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_on_board(personas):
    courts = list(ImmigrationCourt.objects.order_by("id")[:2])
    org = personas.ready_case.placing_organization
    for n in range(45):
        CaseFactory(
            stage=Stage.READY,
            placing_organization=org,
            urgency=n % 7 * 10,
            court=courts[n % 2],
            summary_en=f"Board case {n}",
        )
    return courts


def test_pages_follow_the_board_order_without_gaps_or_repeats(many_on_board):
    expected = list(board_case_list(filters=BoardFilters()).values_list("code", flat=True))
    seen = []
    for number in (1, 2, 3):
        board = board_page(filters=BoardFilters(), number=number, per_page=20)
        assert board.page.paginator.count == len(expected)
        seen += [case.code for case in board.cases]
    assert seen == expected


def test_out_of_range_page_shows_the_last_one(many_on_board):
    board = board_page(filters=BoardFilters(), number="99", per_page=20)
    assert board.page.number == board.page.paginator.num_pages
    assert board.cases


def test_last_page_costs_what_the_first_costs(client, personas, many_on_board):
    client.force_login(personas.attorney)
    counts = []
    for query in ("", "?page=3"):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("board:board") + query)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    last = client.get(reverse("board:board") + "?page=3").content.decode()
    last_code = list(board_case_list(filters=BoardFilters()).values_list("code", flat=True))[-1]
    assert last_code in last


def test_court_choices_are_the_courts_with_a_case_on_the_board(many_on_board, personas):
    choices = court_list_for_board()
    ids = [court_id for court_id, _name in choices]
    assert set(ids) >= {court.pk for court in many_on_board}
    assert len(ids) == len(set(ids))
    assert [name for _id, name in choices] == sorted(name for _id, name in choices)
    unused = ImmigrationCourt.objects.exclude(cases__stage=Stage.READY).first()
    assert unused.pk not in ids


def test_court_filter_options_keep_the_chosen_court_and_escape_names(
    client, personas, many_on_board
):
    chosen, other = many_on_board
    ImmigrationCourt.objects.filter(pk=other.pk).update(name="Court <b>& Co</b>")
    client.force_login(personas.attorney)
    page = client.get(reverse("board:board") + f"?court={chosen.pk}").content.decode()
    assert f'<option value="{chosen.pk}" selected>{escape(chosen.name)}</option>' in page
    assert f'<option value="{other.pk}">Court &lt;b&gt;&amp; Co&lt;/b&gt;</option>' in page
    unfiltered = client.get(reverse("board:board")).content.decode()
    assert f" selected>{escape(chosen.name)}<" not in unfiltered
