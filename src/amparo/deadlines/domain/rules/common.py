"""Citations, constants and reference strings shared by the rules."""

from __future__ import annotations

from datetime import date

from amparo.deadlines.domain.results import RuleId

CITATIONS: dict[RuleId, str] = {
    RuleId.ASYLUM_ONE_YEAR: (
        "INA 208(a)(2)(B), 8 U.S.C. 1158(a)(2)(B); 8 CFR 208.4(a)(2), 1208.4(a)(2); "
        'Minasyan v. Mukasey, 553 F.3d 1224 (9th Cir. 2009); 8 CFR 1.2 ("day")'
    ),
    RuleId.ICPM_PREHEARING: (
        "Immigration Court Practice Manual ch. 3.1(b) (filing deadlines) and 3.1(c) "
        "(deadlines before hearings); EOIR PM 25-21 (cancelling DM 22-04)"
    ),
    RuleId.ICPM_RESPONSE_10: (
        "Immigration Court Practice Manual ch. 3.1(b) (responses due 10 days after the filing "
        'is received); 8 CFR 1.2 ("day")'
    ),
    RuleId.BIA_APPEAL_30: (
        "8 CFR 1003.38(b)-(c); 8 CFR 1240.15; BIA Practice Manual ch. 4.5; "
        "Matter of Iskandarani, 29 I&N Dec. 26 (BIA 2025)"
    ),
    RuleId.MOTION_REOPEN_90: (
        "8 CFR 1003.23(b)(1) (immigration judge), 1003.2(c)(2) (BIA); "
        'Immigration Court Practice Manual ch. 5.7; 8 CFR 1.2 ("day")'
    ),
    RuleId.MOTION_RECONSIDER_30: (
        "8 CFR 1003.23(b)(1) (immigration judge), 1003.2(b)(2) (BIA); "
        "Immigration Court Practice Manual ch. 5.8; BIA Practice Manual ch. 5.7"
    ),
    RuleId.UVISA_SUPB_6_MONTHS: (
        "8 CFR 214.14(c)(2)(i); Form I-918 Supplement B instructions (valid six months from "
        "signature); last safe receipt date is a platform convention"
    ),
    RuleId.ASYLUM_EAD_FILE_150: "8 CFR 208.7(a)(1)-(2), 1208.7(a)",
    RuleId.ASYLUM_EAD_GRANT_180: "8 CFR 208.7(a)(1)-(2), 1208.7(a); INA 208(d)(2)",
    RuleId.UAC_TURNS_18: "6 U.S.C. 279(g)(2); TVPRA 2008 sec. 235(d)(7), INA 208(a)(2)(E)",
    RuleId.SIJ_UNDER_21: (
        "8 CFR 204.11(b)(1); 87 FR 13066 (Mar. 8, 2022); TVPRA 2008 sec. 235(d)(6); "
        "USCIS policy on filings due on weekends and holidays (Mar. 29, 2023)"
    ),
    RuleId.DERIVATIVE_TURNS_21: "INA 214(p)(7); 8 CFR 214.14(a)(10)",
    RuleId.USCIS_RESPONSE: (
        "8 CFR 103.2(b)(8)(iv), 103.8(b); USCIS policy on filings due on weekends and "
        "holidays (Mar. 29, 2023)"
    ),
}

ASYLUM_DERIVATIVE_CITATION = "INA 208(b)(3) (age-out protection for asylum derivatives UNVERIFIED)"

#: INA 208(a)(2)(B) runs "within 1 year after the date of the alien's arrival" or April 1, 1997.
ONE_YEAR_RULE_START = date(1997, 4, 1)

BIA_APPEAL_DAYS = 30  # 8 CFR 1003.38(b)

MOTION_REOPEN_DAYS = 90  # 8 CFR 1003.23(b)(1), 1003.2(c)(2)

MOTION_RECONSIDER_DAYS = 30  # 8 CFR 1003.23(b)(1), 1003.2(b)(2)

SUPPLEMENT_B_MONTHS = 6  # 8 CFR 214.14(c)(2)(i)


def hearing_ref(index: int) -> str:
    return f"hearing:{index}"


def filing_ref(index: int) -> str:
    return f"filing:{index}"


def family_ref(member_id: str) -> str:
    return f"family:{member_id}"
