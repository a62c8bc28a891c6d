"""Dated numeric settings: numbers that changed over time or whose history is UNVERIFIED.

A setting is a list of ``(effective_from, value)`` entries. The rule that uses it says which date
selects the entry (the hearing date for the Immigration Court periods, the I-589 receipt date for
the asylum EAD clock). Admins add an entry when a rule changes; old entries stay so that historical
dates are reproducible.

Choice for the ICPM individual-hearing period (DEADLINE-RULES.md section 2; UNVERIFIED item 2):
the value is chosen by the hearing date, but when the setting changed at any point in the
``max(values)`` days before the hearing the engine uses the LARGEST value in effect in that window
(the earlier, safer deadline) and raises ``RULE_CHANGE_REVIEW`` for attorney review. Effective
dates that are not verified are chosen on the conservative side: a change to a longer period is
dated as early as the sources allow, a change to a shorter period as late as they allow.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from amparo.deadlines.domain.dates import days_delta

#: The first entry of every setting starts here so that every date has a value.
SINCE_ALWAYS = date.min


@dataclass(frozen=True, slots=True)
class DatedValue:
    """One period of a setting: ``value`` applies from ``effective_from`` until the next entry."""

    effective_from: date
    value: int
    source: str
    effective_date_verified: bool = True


@dataclass(frozen=True, slots=True)
class DatedSetting:
    """A named number with its history, oldest entry first."""

    name: str
    entries: tuple[DatedValue, ...]

    def __post_init__(self) -> None:
        if not self.entries or self.entries[0].effective_from != SINCE_ALWAYS:
            raise ValueError(f"{self.name}: the first entry must start at SINCE_ALWAYS")
        for earlier, later in zip(self.entries, self.entries[1:], strict=False):
            if later.effective_from <= earlier.effective_from:
                raise ValueError(f"{self.name}: entries must be in strictly increasing date order")
        if any(entry.value < 1 for entry in self.entries):
            raise ValueError(f"{self.name}: values must be positive")

    def entry_on(self, day: date) -> DatedValue:
        """Return the entry in effect on ``day``."""
        chosen = self.entries[0]
        if len(self.entries) == 1:
            return chosen
        for entry in self.entries[1:]:
            if entry.effective_from > day:
                break
            chosen = entry
        return chosen

    def value_on(self, day: date) -> int:
        """Return the value in effect on ``day``."""
        return self.entry_on(day).value

    def entries_between(self, start: date, end: date) -> tuple[DatedValue, ...]:
        """Return every entry in effect at some point from ``start`` to ``end`` inclusive."""
        entries = self.entries
        last = len(entries) - 1
        in_effect: list[DatedValue] = []
        for index, entry in enumerate(entries):
            if entry.effective_from > end:
                break  # Entries are in increasing date order: the rest start later still.
            if index == last or entries[index + 1].effective_from > start:
                in_effect.append(entry)
        return tuple(in_effect)

    @property
    def largest(self) -> int:
        """The largest value the setting has ever had."""
        return max([entry.value for entry in self.entries])


@dataclass(frozen=True, slots=True)
class WindowChoice:
    """The value a backward-counted rule uses for one hearing, and whether the window is mixed."""

    value: int
    values_in_window: tuple[int, ...]

    @property
    def straddles_change(self) -> bool:
        """Whether more than one value was in effect in the window before the hearing."""
        return len(set(self.values_in_window)) > 1


def choose_for_hearing(setting: DatedSetting, hearing: date) -> WindowChoice:
    """Pick the value for a period counted back from ``hearing`` (conservative at a change).

    The window is the ``setting.largest`` days before the hearing, the hearing day included; the
    largest value in effect anywhere in it is used, so a change of rule near the hearing can only
    make the deadline earlier.
    """
    if len(setting.entries) == 1:  # A setting that never changed has one value in any window.
        only = setting.entries[0].value
        return WindowChoice(value=only, values_in_window=(only,))
    window_start = hearing - days_delta(setting.largest)
    values = tuple(entry.value for entry in setting.entries_between(window_start, hearing))
    return WindowChoice(value=max(values), values_in_window=values)


ICPM_INDIVIDUAL_DAYS = DatedSetting(
    name="icpm_individual_days",
    entries=(
        DatedValue(SINCE_ALWAYS, 15, "Immigration Court Practice Manual (2008) ch. 3.1(b)"),
        # EOIR Policy Manual, "Dec 23 2020/Jan 2021": the earlier date is used (conservative).
        DatedValue(date(2020, 12, 23), 30, "EOIR Policy Manual (Dec. 2020)", False),
        # DM 22-04 / ICPM update effective Aug 26 2022: the later date is used (conservative).
        DatedValue(date(2022, 8, 26), 15, "EOIR DM 22-04; ICPM update of Aug. 26, 2022", False),
        # PM 25-21 (Feb 2025, exact day UNVERIFIED): the first day of the month (conservative).
        DatedValue(date(2025, 2, 1), 30, "EOIR PM 25-21 (cancels DM 22-04), Feb. 2025", False),
    ),
)

ICPM_MASTER_DAYS = DatedSetting(
    name="icpm_master_days",
    entries=(
        DatedValue(
            SINCE_ALWAYS, 15, "Immigration Court Practice Manual ch. 3.1(b) (ruling requested)"
        ),
    ),
)

ICPM_RESPONSE_DAYS = DatedSetting(
    name="icpm_response_days",
    entries=(DatedValue(SINCE_ALWAYS, 10, "Immigration Court Practice Manual ch. 3.1(b)"),),
)

# 8 CFR 208.7(a) as verified on eCFR (2026). The 2020 365-day rule was vacated (AsylumWorks v.
# Mayorkas, D.D.C. 2022); the 2026 NPRM (91 FR 8616) is only proposed: add an entry when final.
ASYLUM_EAD_FILE_DAYS = DatedSetting(
    name="asylum_ead_file_days",
    entries=(DatedValue(SINCE_ALWAYS, 150, "8 CFR 208.7(a)(1)"),),
)

ASYLUM_EAD_GRANT_DAYS = DatedSetting(
    name="asylum_ead_grant_days",
    entries=(DatedValue(SINCE_ALWAYS, 180, "8 CFR 208.7(a)(1)"),),
)


@dataclass(frozen=True, slots=True)
class DeadlineSettings:
    """Every configurable number the engine uses.

    ``age_out_warning_days`` is platform policy (lead time before an 18th or 21st birthday), not law.
    """

    icpm_individual_days: DatedSetting = ICPM_INDIVIDUAL_DAYS
    icpm_master_days: DatedSetting = ICPM_MASTER_DAYS
    icpm_response_days: DatedSetting = ICPM_RESPONSE_DAYS
    asylum_ead_file_days: DatedSetting = ASYLUM_EAD_FILE_DAYS
    asylum_ead_grant_days: DatedSetting = ASYLUM_EAD_GRANT_DAYS
    age_out_warning_days: int = 90


DEFAULT_SETTINGS = DeadlineSettings()
