"""Dated settings: selection by date, validation and the conservative window at a change."""

from __future__ import annotations

from datetime import date

import pytest

from amparo.deadlines.domain.settings import (
    ICPM_INDIVIDUAL_DAYS,
    SINCE_ALWAYS,
    DatedSetting,
    DatedValue,
    choose_for_hearing,
)

D = date.fromisoformat


@pytest.mark.parametrize(
    ("day", "value"),
    [
        ("2019-06-01", 15),
        ("2020-12-22", 15),
        ("2020-12-23", 30),
        ("2022-08-25", 30),
        ("2022-08-26", 15),
        ("2025-01-31", 15),
        ("2025-02-01", 30),
        ("2026-03-16", 30),
    ],
)
def test_icpm_individual_days_value_on_follows_history(day: str, value: int) -> None:
    assert ICPM_INDIVIDUAL_DAYS.value_on(D(day)) == value


def test_icpm_individual_days_marks_unverified_effective_dates() -> None:
    assert not ICPM_INDIVIDUAL_DAYS.entry_on(D("2026-01-01")).effective_date_verified


def test_choose_for_hearing_uses_largest_value_in_window() -> None:
    choice = choose_for_hearing(ICPM_INDIVIDUAL_DAYS, D("2025-02-20"))
    assert choice.value == 30 and choice.straddles_change
    assert choice.values_in_window == (15, 30)


def test_choose_for_hearing_far_from_a_change_is_plain() -> None:
    choice = choose_for_hearing(ICPM_INDIVIDUAL_DAYS, D("2026-03-16"))
    assert choice.value == 30 and not choice.straddles_change


def test_choose_for_hearing_window_ends_exactly_at_the_change() -> None:
    # Window of 30 days before 2025-03-03 starts 2025-02-01: only the 30-day entry is in it.
    assert not choose_for_hearing(ICPM_INDIVIDUAL_DAYS, D("2025-03-03")).straddles_change
    assert choose_for_hearing(ICPM_INDIVIDUAL_DAYS, D("2025-03-02")).straddles_change


@pytest.mark.parametrize(
    "entries",
    [
        (),
        (DatedValue(D("2020-01-01"), 10, "x"),),  # must start at SINCE_ALWAYS
        (DatedValue(SINCE_ALWAYS, 10, "x"), DatedValue(SINCE_ALWAYS, 12, "y")),  # not increasing
        (DatedValue(SINCE_ALWAYS, 0, "x"),),  # not positive
    ],
)
def test_dated_setting_rejects_invalid_histories(entries: tuple[DatedValue, ...]) -> None:
    with pytest.raises(ValueError):
        DatedSetting("broken", entries)
