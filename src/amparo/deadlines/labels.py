"""What each rule and flag is called on screen (the engine's ids are stable codes)."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

RULE_LABELS: dict[str, Promise] = {
    "ASYLUM_ONE_YEAR": _("Asylum one-year filing deadline"),
    "ICPM_PREHEARING": _("Pre-hearing filing deadline"),
    "ICPM_RESPONSE_10": _("Response to the other party's filing"),
    "BIA_APPEAL_30": _("Appeal to the Board of Immigration Appeals (EOIR-26)"),
    "MOTION_REOPEN_90": _("Motion to reopen"),
    "MOTION_RECONSIDER_30": _("Motion to reconsider"),
    "UVISA_SUPB_6_MONTHS": _("Last safe USCIS receipt date for the Supplement B"),
    "ASYLUM_EAD_FILE_150": _("Earliest work-permit application (I-765)"),
    "ASYLUM_EAD_GRANT_180": _("Earliest work-permit grant"),
    "UAC_TURNS_18": _("Unaccompanied child turns 18"),
    "SIJ_UNDER_21": _("Last day to file the I-360 (SIJ) under 21"),
    "DERIVATIVE_TURNS_21": _("Family member turns 21"),
    "USCIS_RESPONSE": _("USCIS response due"),
    "CUSTOM": _("Deadline added by the team"),
}


def rule_label(rule: str) -> str:
    return str(RULE_LABELS.get(rule, rule))
