"""The extract drop's tables, declared once.

Every table the nightly load accepts is declared here: its columns, their types and code
lists, its key, and what it means. The readers validate against these declarations, the
loader creates the database tables from them, and docs/data-contract.md is generated from
them (`python -m scst_metrics.extracts.contract`).

Column names in the database are the file's column names in lower case. Every table also
gets `source_file` and `source_row` (where the row came from); tables of the statutory
returns get `collection_year` (the year whose 31 March ends the collection, e.g. 2025 for
1 April 2024 - 31 March 2025).

SSDA903 and CIN census codes follow the DfE guidance for those returns (see
../shared/reference/statutory-returns.md and the DfE validation rules published by Data to
Insight as csc-validator-be-903 / csc-validator-be-cin).
"""

from __future__ import annotations

from dataclasses import dataclass

# Column kinds
ID = "id"  # identifier: text, leading zeros kept, never a number
TEXT = "text"  # free text, stored exactly as given (formula-looking text stays text)
DATE = "date"
INT = "int"
DECIMAL = "decimal"
CODE = "code"  # one of a code list
FLAG = "flag"  # yes/no: stored as boolean
POSTCODE = "postcode"

SSDA903 = "ssda903"
CIN = "cin"
LOCAL = "local"

DMY = "%d/%m/%Y"  # SSDA903: dd/mm/yyyy
ISO = "%Y-%m-%d"  # CIN census XML and the local CSVs: yyyy-mm-dd


@dataclass(frozen=True)
class Column:
    name: str  # as in the file (SSDA903: DfE upper case; elsewhere lower snake case)
    kind: str
    meaning: str
    required: bool = False  # a row without it (or with a bad value) is kept out
    codes: tuple[str, ...] = ()  # for CODE: the allowed values
    minimum: float | None = None
    maximum: float | None = None
    past_only: bool = True  # for DATE: a date after the extract's as-at date is an error

    @property
    def db_name(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Table:
    name: str  # database table
    source: str  # SSDA903 / CIN / LOCAL
    label: str  # how people name it, e.g. "Episodes"
    meaning: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # unique within a collection year (file column names)
    date_format: str = ISO
    periods: tuple[tuple[str, str], ...] = ()  # (start, end) columns: end must not be before
    yearly: bool = False  # statutory return tables: one file per collection year
    # Records that belong to their collection year (OC2, OC3: outcomes at one 31 March):
    # kept for every year. Otherwise a record in several years' files is one record and
    # the latest year's row wins (an episode open across 31 March).
    per_year: bool = False

    @property
    def header(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


def _codes(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# --- DfE code lists ------------------------------------------------------------------
# SSDA903 SEX: 1 male / 2 female until 2023-24; M / F / U (not known) from 2024-25
# (DfE 903 guidance; validator rule 101 for each year). Both are accepted: a drop holds
# several collection years.
SEX_903 = _codes("1 2 M F U")
ETHNICITY = _codes(
    "WBRI WIRI WIRT WOTH WROM MWBC MWBA MWAS MOTH AIND APKN ABAN AOTH BCRB BAFR BOTH "
    "CHNE OOTH REFU NOBT"
)
RNE = _codes("S P L T U B")
LEGAL_STATUS = _codes("C1 C2 D1 E1 V2 V3 V4 J1 J2 J3 L1 L2 L3")
CATEGORY_OF_NEED = _codes("N1 N2 N3 N4 N5 N6 N7 N8")
PLACE = _codes(
    "A3 A4 A5 A6 H5 K1 K2 K3 P1 P2 P3 R1 R2 R3 R5 S1 T0 T1 T2 T3 T4 "
    "U1 U2 U3 U4 U5 U6 Z1 Z11 Z12 Z13 Z14"
)
PLACE_PROVIDER = _codes("PR0 PR1 PR2 PR3 PR4 PR5")
REASON_CEASED = _codes(
    "X1 E11 E12 E13 E14 E15 E16 E17 E2 E3 E41 E45 E46 E47 E48 E4A E4B E5 E6 E7 E8 E9"
)
REASON_PLACE_CHANGE = _codes(
    "CARPL CLOSE ALLEG STAND APPRR CREQB CREQO CHILD LAREQ PLACE CUSTOD OTHER"
)
REVIEW_CODE = _codes("PN0 PN1 PN2 PN3 PN4 PN5 PN6 PN7")
ZERO_ONE = _codes("0 1")
SDQ_REASON = _codes("SDQ1 SDQ2 SDQ3 SDQ4 SDQ5")
IN_TOUCH = _codes("YES NO DIED REFU NREQ RHOM")
ACTIVITY = _codes("F1 P1 F2 P2 F4 P4 F5 P5 G4 G5 G6 0")
ACCOMMODATION = _codes(
    "B1 B2 C1 C2 D1 D2 E1 E2 G1 G2 H1 H2 K1 K2 R1 R2 S1 S2 T1 T2 U1 U2 V1 V2 W1 W2 "
    "X1 X2 Y1 Y2 Z1 Z2 0"
)
SEX_ADOPTERS = _codes("M1 F1 MM FF MF")
LS_ADOPTERS = _codes("L0 L11 L12 L2 L3 L4")
REASON_PLACED_CEASED = _codes("RD1 RD2 RD3 RD4")
PREV_PERM = _codes("P1 P2 P3 P4 Z1")
MISSING_KIND = _codes("M A")

SEX_CIN = _codes("0 1 2 9 M F U")
REFERRAL_SOURCE = _codes("1A 1B 1C 1D 2A 2B 3A 3B 3C 3D 3E 3F 4 5A 5B 5C 5D 6 7 8 9 10")
PRIMARY_NEED = _codes("N0 N1 N2 N3 N4 N5 N6 N7 N8 N9")
REASON_FOR_CLOSURE = _codes("RC1 RC2 RC3 RC4 RC5 RC6 RC7 RC8 RC9")
CATEGORY_OF_ABUSE = _codes("NEG PHY SAB EMO MUL")

CHILD_903 = Column("CHILD", ID, "The child's ID in the local authority's system", required=True)
DOB_903 = Column("DOB", DATE, "Date of birth", required=True)


def _t903(name: str, label: str, meaning: str, columns, key, periods=(), per_year=False) -> Table:
    return Table(
        per_year=per_year,
        name=name,
        source=SSDA903,
        label=label,
        meaning=meaning,
        columns=tuple(columns),
        key=tuple(key),
        date_format=DMY,
        periods=tuple(periods),
        yearly=True,
    )


SSDA903_TABLES: tuple[Table, ...] = (
    _t903(
        "s903_header",
        "Header",
        "One row per child looked after in the year: who the child is.",
        [
            CHILD_903,
            Column(
                "SEX",
                CODE,
                "1 male, 2 female (to 2023-24); M, F, U not known (from 2024-25)",
                required=True,
                codes=SEX_903,
            ),
            DOB_903,
            Column("ETHNIC", CODE, "DfE ethnicity code", codes=ETHNICITY),
            Column("UPN", TEXT, "Unique pupil number (or UN1-UN10 if not known)"),
            Column("MOTHER", CODE, "1 if the child is a mother", codes=ZERO_ONE),
            Column("MC_DOB", DATE, "Date of birth of the mother's child"),
        ],
        ["CHILD"],
    ),
    _t903(
        "s903_episodes",
        "Episodes",
        "Episodes of care: a new row at each change of legal status or placement.",
        [
            CHILD_903,
            Column("DECOM", DATE, "Date episode commenced", required=True),
            Column("RNE", CODE, "Reason for new episode", required=True, codes=RNE),
            Column("LS", CODE, "Legal status", required=True, codes=LEGAL_STATUS),
            Column("CIN", CODE, "Category of need", codes=CATEGORY_OF_NEED),
            Column("PLACE", CODE, "Placement type", required=True, codes=PLACE),
            Column("PLACE_PROVIDER", CODE, "Placement provider", codes=PLACE_PROVIDER),
            Column("DEC", DATE, "Date episode ceased (blank while open)"),
            Column("REC", CODE, "Reason episode ceased", codes=REASON_CEASED),
            Column(
                "REASON_PLACE_CHANGE",
                CODE,
                "Reason for placement change",
                codes=REASON_PLACE_CHANGE,
            ),
            Column("HOME_POST", POSTCODE, "Postcode of the child's home when looked after"),
            Column("PL_POST", POSTCODE, "Postcode of the placement"),
            Column("URN", TEXT, "Ofsted unique reference number of the placement"),
        ],
        ["CHILD", "DECOM"],
        periods=[("DECOM", "DEC")],
    ),
    _t903(
        "s903_reviews",
        "Reviews",
        "Looked after reviews held, with how the child took part.",
        [
            CHILD_903,
            DOB_903,
            Column("REVIEW", DATE, "Date of the review", required=True),
            Column("REVIEW_CODE", CODE, "How the child participated", codes=REVIEW_CODE),
        ],
        ["CHILD", "REVIEW"],
    ),
    _t903(
        "s903_uasc",
        "UASC",
        "Unaccompanied asylum-seeking children: when the child ceased to be UASC.",
        [
            CHILD_903,
            Column(
                "SEX",
                CODE,
                "1 male, 2 female (to 2023-24); M, F, U not known (from 2024-25)",
                codes=SEX_903,
            ),
            DOB_903,
            # DfE: DUC is the child's 18th birthday unless UASC status ended earlier, given
            # from the child's first return (rules 205A-D compare it across years), so it is
            # in the future for a child under 18.
            Column(
                "DUC",
                DATE,
                "Date the child ceased to be an unaccompanied asylum seeker (the 18th birthday "
                "unless earlier; may be after the extract date)",
                past_only=False,
            ),
        ],
        ["CHILD"],
    ),
    _t903(
        "s903_oc2",
        "OC2",
        "Outcomes for children looked after for 12 months or more at 31 March "
        "(health, offending, substance misuse).",
        [
            CHILD_903,
            DOB_903,
            Column("SDQ_SCORE", INT, "Strengths and difficulties score", minimum=0, maximum=40),
            Column("SDQ_REASON", CODE, "Reason no SDQ score", codes=SDQ_REASON),
            Column("CONVICTED", CODE, "Convicted in the year", codes=ZERO_ONE),
            Column("HEALTH_CHECK", CODE, "Health assessment up to date", codes=ZERO_ONE),
            Column("IMMUNISATIONS", CODE, "Immunisations up to date", codes=ZERO_ONE),
            Column("TEETH_CHECK", CODE, "Dental check up to date", codes=ZERO_ONE),
            Column("HEALTH_ASSESSMENT", CODE, "Health assessment held", codes=ZERO_ONE),
            Column("SUBSTANCE_MISUSE", CODE, "Identified substance misuse", codes=ZERO_ONE),
            Column("INTERVENTION_RECEIVED", CODE, "Received intervention", codes=ZERO_ONE),
            Column("INTERVENTION_OFFERED", CODE, "Offered intervention", codes=ZERO_ONE),
        ],
        ["CHILD"],
        per_year=True,
    ),
    _t903(
        "s903_oc3",
        "OC3",
        "Care leavers: in touch, activity and accommodation around their 17th to 21st birthdays.",
        [
            CHILD_903,
            DOB_903,
            Column("IN_TOUCH", CODE, "In touch with the authority", required=True, codes=IN_TOUCH),
            Column(
                "ACTIV", CODE, "Main activity (education, employment, training)", codes=ACTIVITY
            ),
            Column("ACCOM", CODE, "Accommodation type and suitability", codes=ACCOMMODATION),
        ],
        ["CHILD"],
        per_year=True,
    ),
    _t903(
        "s903_missing",
        "Missing",
        "Episodes of a child looked after going missing or away from placement.",
        [
            CHILD_903,
            DOB_903,
            Column("MISSING", CODE, "M missing, A away without authorisation", codes=MISSING_KIND),
            Column("MIS_START", DATE, "Start of the missing episode", required=True),
            Column("MIS_END", DATE, "End of the missing episode (blank if not returned)"),
        ],
        ["CHILD", "MIS_START"],
        periods=[("MIS_START", "MIS_END")],
    ),
    _t903(
        "s903_ad1",
        "AD1",
        "Children adopted: adoption decision and matching dates.",
        [
            CHILD_903,
            DOB_903,
            Column(
                "DATE_INT", DATE, "Date the decision that the child should be placed for adoption"
            ),
            Column("DATE_MATCH", DATE, "Date the child was matched to adopters"),
            Column("FOSTER_CARE", CODE, "Adopted by foster carers", codes=ZERO_ONE),
            Column("NB_ADOPTR", CODE, "Number of adopters", codes=_codes("1 2")),
            Column("SEX_ADOPTR", CODE, "Sex of adopters", codes=SEX_ADOPTERS),
            Column("LS_ADOPTR", CODE, "Legal status of adopters", codes=LS_ADOPTERS),
        ],
        ["CHILD"],
    ),
    _t903(
        "s903_placed_adoption",
        "PlacedAdoption",
        "Children placed for adoption and, if that ended, why.",
        [
            CHILD_903,
            DOB_903,
            Column(
                "DATE_PLACED",
                DATE,
                "Date of the decision that the child should be placed for adoption",
                required=True,
            ),
            Column("DATE_PLACED_CEASED", DATE, "Date that decision ceased"),
            Column(
                "REASON_PLACED_CEASED", CODE, "Why the decision ceased", codes=REASON_PLACED_CEASED
            ),
        ],
        ["CHILD", "DATE_PLACED"],
        periods=[("DATE_PLACED", "DATE_PLACED_CEASED")],
    ),
    _t903(
        "s903_prev_perm",
        "PrevPerm",
        "Previous permanence option before the child became looked after.",
        [
            CHILD_903,
            DOB_903,
            Column("PREV_PERM", CODE, "Previous permanence option", codes=PREV_PERM),
            Column("LA_PERM", TEXT, "Local authority code that made the previous order"),
            Column("DATE_PERM", TEXT, "Date of the previous order (DfE allows zz/zz/yyyy)"),
        ],
        ["CHILD"],
    ),
    _t903(
        "s903_sw_episodes",
        "SWEpisodes",
        "Social worker episodes: which social worker held the child's case, when.",
        [
            CHILD_903,
            DOB_903,
            Column("SW_ID", ID, "Social worker ID", required=True),
            Column("SW_DECOM", DATE, "Date the social worker episode started", required=True),
            Column("SW_DEC", DATE, "Date the social worker episode ended"),
            Column(
                "SW_REASON",
                TEXT,
                "Reason for the change of social worker (DfE codes, e.g. MANAGE, LEFTRL)",
            ),
        ],
        ["CHILD", "SW_DECOM"],
        periods=[("SW_DECOM", "SW_DEC")],
    ),
)


# --- CIN census: flattened from the XML ----------------------------------------------
# Each referral (CINdetails) is identified by the child and its referral date.
CHILD_CIN = Column(
    "child_id", ID, "LAchildID: the child's ID in the local authority", required=True
)
REFERRAL = Column("referral_date", DATE, "CINreferralDate of the episode of need", required=True)


def _tcin(name: str, label: str, meaning: str, columns, key, periods=()) -> Table:
    return Table(
        name=name,
        source=CIN,
        label=label,
        meaning=meaning,
        columns=tuple(columns),
        key=tuple(key),
        date_format=ISO,
        periods=tuple(periods),
        yearly=True,
    )


CIN_TABLES: tuple[Table, ...] = (
    _tcin(
        "cin_children",
        "Children",
        "One row per child in the census (ChildIdentifiers, ChildCharacteristics).",
        [
            CHILD_CIN,
            Column("upn", TEXT, "Unique pupil number"),
            Column("former_upn", TEXT, "Former UPN"),
            Column("upn_unknown", TEXT, "Reason UPN not known (UN1-UN10)"),
            Column("birth_date", DATE, "PersonBirthDate", required=False),
            Column(
                "expected_birth_date",
                DATE,
                "ExpectedPersonBirthDate (unborn children)",
                past_only=False,
            ),
            Column(
                "sex",
                CODE,
                "Sex as returned (1/M male, 2/F female, 0/9/U not known)",
                codes=SEX_CIN,
            ),
            Column("ethnicity", CODE, "DfE ethnicity code", codes=ETHNICITY),
            Column("disabilities", TEXT, "Disability codes, space separated"),
        ],
        ["child_id"],
    ),
    _tcin(
        "cin_referrals",
        "Referrals",
        "Episodes of need (CINdetails): referral, primary need and closure.",
        [
            CHILD_CIN,
            REFERRAL,
            Column("referral_source", CODE, "ReferralSource", codes=REFERRAL_SOURCE),
            Column("primary_need", CODE, "PrimaryNeedCode", codes=PRIMARY_NEED),
            Column("closure_date", DATE, "CINclosureDate (blank while open)"),
            Column("reason_for_closure", CODE, "ReasonForClosure", codes=REASON_FOR_CLOSURE),
            Column("referral_nfa", FLAG, "ReferralNFA: no further action after referral"),
        ],
        ["child_id", "referral_date"],
        periods=[("referral_date", "closure_date")],
    ),
    _tcin(
        "cin_assessments",
        "Assessments",
        "Child and family assessments (Assessments).",
        [
            CHILD_CIN,
            REFERRAL,
            Column("start_date", DATE, "AssessmentActualStartDate", required=True),
            Column("authorisation_date", DATE, "AssessmentAuthorisationDate (blank if not yet)"),
            Column("factors", TEXT, "Factors identified at assessment, space separated"),
        ],
        ["child_id", "referral_date", "start_date"],
        periods=[("start_date", "authorisation_date")],
    ),
    _tcin(
        "cin_section47",
        "Section 47 enquiries",
        "Section 47 enquiries and whether an initial conference followed.",
        [
            CHILD_CIN,
            REFERRAL,
            Column("s47_start_date", DATE, "S47ActualStartDate", required=True),
            Column("icpc_target_date", DATE, "InitialCPCtarget", past_only=False),
            Column("icpc_date", DATE, "DateOfInitialCPC"),
            Column("icpc_not_required", FLAG, "ICPCnotRequired"),
        ],
        ["child_id", "referral_date", "s47_start_date"],
        periods=[("s47_start_date", "icpc_date")],
    ),
    _tcin(
        "cin_initial_conferences",
        "Initial child protection conferences",
        "Initial child protection conferences: DateOfInitialCPC of the episode of need "
        "(and of its section 47 enquiry where given).",
        [
            CHILD_CIN,
            REFERRAL,
            Column("icpc_date", DATE, "DateOfInitialCPC", required=True),
            Column(
                "s47_start_date", DATE, "Start of the section 47 enquiry that led to it, if known"
            ),
        ],
        ["child_id", "referral_date", "icpc_date"],
    ),
    _tcin(
        "cin_plans",
        "CIN plans",
        "Child in need plans (CINPlanDates).",
        [
            CHILD_CIN,
            REFERRAL,
            Column("start_date", DATE, "CINPlanStartDate", required=True),
            Column("end_date", DATE, "CINPlanEndDate (blank while open)"),
        ],
        ["child_id", "referral_date", "start_date"],
        periods=[("start_date", "end_date")],
    ),
    _tcin(
        "cin_cp_plans",
        "Child protection plans",
        "Child protection plans (ChildProtectionPlans).",
        [
            CHILD_CIN,
            REFERRAL,
            Column("start_date", DATE, "CPPstartDate", required=True),
            Column("end_date", DATE, "CPPendDate (blank while open)"),
            Column("initial_category", CODE, "InitialCategoryOfAbuse", codes=CATEGORY_OF_ABUSE),
            Column("latest_category", CODE, "LatestCategoryOfAbuse", codes=CATEGORY_OF_ABUSE),
            Column("previous_plans", INT, "NumberOfPreviousCPP", minimum=0, maximum=50),
        ],
        ["child_id", "start_date"],
        periods=[("start_date", "end_date")],
    ),
    _tcin(
        "cin_cp_reviews",
        "Child protection reviews",
        "Reviews of child protection plans (CPPreviewDate).",
        [
            CHILD_CIN,
            Column("plan_start_date", DATE, "CPPstartDate of the plan reviewed", required=True),
            Column("review_date", DATE, "CPPreviewDate", required=True),
        ],
        ["child_id", "plan_start_date", "review_date"],
    ),
)


# --- Local CSVs: what no statutory return holds ---------------------------------------
CHILD_LOCAL = Column(
    "child_id", ID, "The child's ID, as in SSDA903 CHILD / CIN LAchildID", required=True
)
HUB_KINDS = ("locality", "lac", "leaving_care", "assessment", "disabled_children")


def _tlocal(name: str, label: str, meaning: str, columns, key, periods=()) -> Table:
    return Table(
        name=name,
        source=LOCAL,
        label=label,
        meaning=meaning,
        columns=tuple(columns),
        key=tuple(key),
        date_format=ISO,
        periods=tuple(periods),
    )


LOCAL_TABLES: tuple[Table, ...] = (
    _tlocal(
        "hubs",
        "Hubs",
        "The teams that hold children's cases: social-work hubs and other teams.",
        [
            Column("hub_id", ID, "Short stable ID, e.g. H01", required=True),
            Column("hub_name", TEXT, "Name shown on the board", required=True),
            Column(
                "hub_kind",
                CODE,
                "locality (children in need and child protection), lac, leaving_care, "
                "assessment or disabled_children",
                required=True,
                codes=HUB_KINDS,
            ),
            Column("opened", DATE, "Date the hub started holding cases", required=True),
            Column("closed", DATE, "Date it stopped (blank while open)"),
        ],
        ["hub_id"],
        periods=[("opened", "closed")],
    ),
    _tlocal(
        "allocations",
        "Allocations",
        "Which hub (and worker) held a child's case, from when to when. A child counts in the "
        "hub that held the case at a period end.",
        [
            CHILD_LOCAL,
            Column("hub_id", ID, "Hub holding the case", required=True),
            Column("worker_id", ID, "Allocated social worker (blank if unallocated)"),
            Column("start_date", DATE, "First day the hub held the case", required=True),
            Column("end_date", DATE, "Last day the hub held the case (blank while open)"),
        ],
        ["child_id", "start_date"],
        periods=[("start_date", "end_date")],
    ),
    _tlocal(
        "visits",
        "Statutory visits",
        "Statutory visits to children by their social worker.",
        [
            CHILD_LOCAL,
            Column("visit_date", DATE, "Date of the visit", required=True),
            Column(
                "visit_kind",
                CODE,
                "cin (child in need), cp (child protection), lac (looked after), care_leaver",
                required=True,
                codes=("cin", "cp", "lac", "care_leaver"),
            ),
            Column("seen_alone", FLAG, "Child seen alone (Y/N; blank if not recorded)"),
        ],
        ["child_id", "visit_date", "visit_kind"],
    ),
    _tlocal(
        "social_workers",
        "Social workers",
        "Social workers in post: hub, full-time equivalent and contract, from when to when.",
        [
            Column("worker_id", ID, "Worker ID, as in allocations", required=True),
            Column("hub_id", ID, "Hub the worker belongs to", required=True),
            Column(
                "fte",
                DECIMAL,
                "Full-time equivalent, 0.1 to 1.0",
                required=True,
                minimum=0.1,
                maximum=1.0,
            ),
            Column(
                "contract",
                CODE,
                "permanent or agency",
                required=True,
                codes=("permanent", "agency"),
            ),
            Column("start_date", DATE, "First day in this post", required=True),
            Column("end_date", DATE, "Last day in this post (blank while in post)"),
        ],
        ["worker_id", "start_date"],
        periods=[("start_date", "end_date")],
    ),
    _tlocal(
        "fostering_households",
        "Fostering households",
        "The Trust's own (in-house) approved fostering households.",
        [
            Column("household_id", ID, "Household ID", required=True),
            Column(
                "household_kind",
                CODE,
                "mainstream, connected_person (family and friends) or short_breaks",
                required=True,
                codes=("mainstream", "connected_person", "short_breaks"),
            ),
            Column(
                "approved_date", DATE, "Date approved by the agency decision maker", required=True
            ),
            Column(
                "approved_places",
                INT,
                "Number of children the household is approved for",
                required=True,
                minimum=1,
                maximum=6,
            ),
            Column("deregistered_date", DATE, "Date deregistered (blank while approved)"),
            Column(
                "deregistration_reason",
                CODE,
                "retired, moved_to_agency, moved_to_other_la, change_of_circumstances, "
                "concerns, special_guardianship or other",
                codes=(
                    "retired",
                    "moved_to_agency",
                    "moved_to_other_la",
                    "change_of_circumstances",
                    "concerns",
                    "special_guardianship",
                    "other",
                ),
            ),
        ],
        ["household_id"],
        periods=[("approved_date", "deregistered_date")],
    ),
    _tlocal(
        "fostering_applications",
        "Fostering applications",
        "People who enquired about fostering for the Trust: application and decision.",
        [
            Column("application_id", ID, "Enquiry / application ID", required=True),
            Column("enquiry_date", DATE, "Date of first enquiry", required=True),
            Column(
                "application_date", DATE, "Date the formal application was accepted (blank if none)"
            ),
            Column("decision_date", DATE, "Date of the decision (blank while in progress)"),
            Column(
                "outcome",
                CODE,
                "approved, not_approved or withdrawn (blank while in progress)",
                codes=("approved", "not_approved", "withdrawn"),
            ),
            Column("household_id", ID, "The household created on approval"),
        ],
        ["application_id"],
        periods=[("enquiry_date", "application_date"), ("application_date", "decision_date")],
    ),
    _tlocal(
        "foster_placements",
        "Foster placements with in-house carers",
        "Which in-house fostering household a child lived with, from when to when.",
        [
            CHILD_LOCAL,
            Column("household_id", ID, "Fostering household", required=True),
            Column("start_date", DATE, "First day of the placement", required=True),
            Column("end_date", DATE, "Last day of the placement (blank while placed)"),
        ],
        ["child_id", "start_date"],
        periods=[("start_date", "end_date")],
    ),
    _tlocal(
        "peps",
        "Personal Education Plans",
        "PEP meetings for children looked after, and the Virtual School's quality grade.",
        [
            CHILD_LOCAL,
            Column("meeting_date", DATE, "Date of the PEP meeting", required=True),
            Column(
                "quality_grade",
                CODE,
                "outstanding, good, requires_improvement or inadequate (blank if not graded)",
                codes=("outstanding", "good", "requires_improvement", "inadequate"),
            ),
        ],
        ["child_id", "meeting_date"],
    ),
    _tlocal(
        "attendance",
        "Termly school attendance",
        "School attendance of children looked after, per term, in half-day sessions.",
        [
            CHILD_LOCAL,
            Column(
                "academic_year",
                INT,
                "Calendar year the academic year starts in (2016 = 2016/17)",
                required=True,
                minimum=2000,
                maximum=2100,
            ),
            Column(
                "term",
                CODE,
                "autumn, spring or summer",
                required=True,
                codes=("autumn", "spring", "summer"),
            ),
            Column(
                "sessions_possible", INT, "Possible sessions", required=True, minimum=0, maximum=400
            ),
            Column(
                "sessions_authorised_absence",
                INT,
                "Sessions missed, authorised",
                required=True,
                minimum=0,
                maximum=400,
            ),
            Column(
                "sessions_unauthorised_absence",
                INT,
                "Sessions missed, unauthorised",
                required=True,
                minimum=0,
                maximum=400,
            ),
        ],
        ["child_id", "academic_year", "term"],
    ),
    _tlocal(
        "suspensions",
        "Suspensions and permanent exclusions",
        "Suspensions (fixed-period exclusions) and permanent exclusions of children looked after.",
        [
            CHILD_LOCAL,
            Column("start_date", DATE, "First day of the suspension or exclusion", required=True),
            Column(
                "exclusion_kind",
                CODE,
                "suspension or permanent",
                required=True,
                codes=("suspension", "permanent"),
            ),
            Column(
                "sessions",
                INT,
                "Half-day sessions lost (blank for permanent)",
                minimum=0,
                maximum=400,
            ),
        ],
        ["child_id", "start_date", "exclusion_kind"],
    ),
)

ALL_TABLES: tuple[Table, ...] = SSDA903_TABLES + CIN_TABLES + LOCAL_TABLES
TABLES: dict[str, Table] = {t.name: t for t in ALL_TABLES}


def tables_of(source: str) -> tuple[Table, ...]:
    return tuple(t for t in ALL_TABLES if t.source == source)
