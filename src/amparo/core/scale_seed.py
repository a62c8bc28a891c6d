"""A realistic program at scale, for benchmarks: tens of thousands of cases seeded in minutes.

Everything goes through the project's models and code: personal data is encrypted by the model
fields, A-numbers and party names get their blind indexes from the same functions intake uses
(core/crypto.py, conflicts/services/indexing.py), deadlines and flags come from the deadline
engine fed by the deadlines app's own selector, urgency from the board's scoring. What makes it
fast is only the writing: rows are built in memory with explicit ids (so hearings, deadlines and
urgency are computed before anything is written) and saved with bulk_create in batches, and all
generated users share one precomputed password hash (hashing 20,000 passwords takes hours).

Everyone here is invented. The bench sign-ins use a known password: callers refuse to run this
outside DEBUG unless told otherwise (core/management/commands/seed_scale.py).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import F, Max
from django.utils import timezone

from amparo.accounts.models import Role, User
from amparo.cases.models import (
    Case,
    CaseCodeCounter,
    CaseType,
    Hearing,
    Outcome,
    Placement,
    Stage,
)
from amparo.cases.placement import URGENT_RULES, board_card_fill
from amparo.conflicts.models import PartyNameToken, PartyType
from amparo.conflicts.services.indexing import Hasher, token_rows
from amparo.core.crypto import a_number_index, format_a_number, normalize_a_number
from amparo.core.fields import ENCRYPTED_FIELD_TYPES
from amparo.core.management.commands.demo_data import GIVEN as DEMO_GIVEN
from amparo.core.management.commands.demo_data import SURNAMES as DEMO_SURNAMES
from amparo.courts.models import ImmigrationCourt
from amparo.deadlines.domain.business_days import us_federal_calendar
from amparo.deadlines.domain.engine import compute_case
from amparo.deadlines.domain.plans import milestone_due_date
from amparo.deadlines.models import CaseDeadline, CaseFlag, Milestone, MilestoneTemplate
from amparo.deadlines.selectors import case_facts_for_engine, extra_closure_dates
from amparo.intake.models import AdverseParty, Client, FamilyMember
from amparo.mentoring.models import MentoringRequest, Mentorship
from amparo.people.models import AttorneyProfile, BarAdmission, MentorProfile, Organization

BENCH_PASSWORD = "amparo-bench"
BENCH_DOMAIN = "bench.amparo.test"
BENCH_COORDINATOR = f"coordinator@{BENCH_DOMAIN}"
BENCH_ATTORNEY = f"attorney@{BENCH_DOMAIN}"
BENCH_MENTOR = f"mentor@{BENCH_DOMAIN}"
BATCH = 2000  # cases per batch: a few thousand rows per INSERT, memory stays flat

# The demo program's names, and more so that 100,000 clients are not all namesakes.
GIVEN = [
    *DEMO_GIVEN,
    "Marvin",
    "Glenda",
    "Héctor",
    "Iris",
    "Oscar",
    "Reina",
    "Santos",
    "Blanca",
    "Wendy",
    "Kevin",
    "Ingrid",
    "Fredy",
    "Dilcia",
    "Nelson",
]
SURNAMES = [
    *DEMO_SURNAMES,
    "Alvarado",
    "Barrios",
    "Cabrera",
    "Escobar",
    "Figueroa",
    "Guzmán",
    "Juárez",
    "Lemus",
    "Mendoza",
    "Najera",
    "Pineda",
    "Rivas",
    "Salazar",
    "Tobar",
    "Umaña",
    "Valle",
    "Zelaya",
    "Xicará",
    "Tzul",
    "Cumes",
    "Pierre",
    "Joseph",
    "Jean-Baptiste",
]
COUNTRIES = ("GT", "HN", "SV", "MX", "VE", "NI", "CO", "EC", "HT", "CU")
LANGUAGES = {"GT": ["es", "quc"], "HT": ["ht", "fr"]}
SUMMARIES = {
    CaseType.DEFENSIVE_ASYLUM: (
        "Mother and children fled gang threats after refusing extortion; hearing soon.",
        "Madre con hijos que huyó de amenazas de pandillas tras negarse a pagar extorsión.",
    ),
    CaseType.AFFIRMATIVE_ASYLUM: (
        "Young adult persecuted for political opinion; the one-year deadline approaches.",
        "Persona joven perseguida por su opinión política; se acerca el plazo de un año.",
    ),
    CaseType.U_VISA: (
        "Survivor of a violent assault who helped the police; certification signed.",
        "Víctima de una agresión violenta que colaboró con la policía; certificación firmada.",
    ),
}
# The program's mix: about a fifth of the cases wait on the board.
STAGE_WEIGHTS = {
    Stage.INTAKE: 10,
    Stage.SCREENING: 10,
    Stage.READY: 20,
    Stage.PLACED: 45,
    Stage.CLOSED: 15,
}
CASE_TYPE_WEIGHTS = {
    CaseType.DEFENSIVE_ASYLUM: 60,
    CaseType.AFFIRMATIVE_ASYLUM: 25,
    CaseType.U_VISA: 15,
}
MENTORED_SHARE = 0.3  # of placed cases

T = TypeVar("T")


@dataclass(frozen=True)
class ScaleSize:
    cases: int
    parties: int
    attorneys: int
    mentors: int
    coordinators: int = 5
    seed: int = 2026

    @classmethod
    def for_cases(
        cls,
        cases: int,
        *,
        parties: int | None = None,
        attorneys: int | None = None,
        mentors: int | None = None,
        coordinators: int | None = None,
        seed: int = 2026,
    ) -> ScaleSize:
        """Defaults: 3 parties per case (the client and two more), an attorney per 5 cases,
        a mentor per 50."""
        return cls(
            cases=cases,
            parties=max(cases, parties if parties is not None else 3 * cases),
            attorneys=max(1, attorneys if attorneys is not None else cases // 5),
            mentors=max(1, mentors if mentors is not None else cases // 50),
            coordinators=max(1, coordinators if coordinators is not None else 5),
            seed=seed,
        )


def chunked(values: list[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def insert_rows(model: type[models.Model], rows: list[Any]) -> None:
    """bulk_create, or on PostgreSQL the same values through COPY (several times faster).

    Each value goes through its field's get_db_prep_save, as in bulk_create: encrypted fields
    encrypt, timestamps are set, JSON is adapted. Rows saved this way get no primary key back:
    give them one (as _Ids does) if anything points at them.
    """
    if not rows:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(rows, batch_size=2000)
        return
    meta = model._meta
    fields = [
        f
        for f in meta.concrete_fields
        if not (f.primary_key and getattr(rows[0], f.attname) is None)
    ]
    # Plain values (numbers, text, dates, foreign keys) go to psycopg as they are; the rest
    # (encrypted, JSON, automatic timestamps) through the field, as bulk_create would.
    attnames = [f.attname for f in fields]
    prepared = [(i, f) for i, f in enumerate(fields) if _needs_field_preparation(f)]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in fields)
    statement = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            values = [getattr(row, name) for name in attnames]
            for index, field in prepared:
                values[index] = field.get_db_prep_save(field.pre_save(row, True), connection)
            copy.write_row(values)


_PLAIN_FIELDS = (
    models.AutoField,
    models.BigAutoField,
    models.BooleanField,
    models.CharField,
    models.DateField,
    models.DecimalField,
    models.FloatField,
    models.ForeignKey,
    models.IntegerField,
    models.TextField,
)


def _needs_field_preparation(field: models.Field) -> bool:
    if isinstance(field, ENCRYPTED_FIELD_TYPES) or getattr(field, "auto_now", False):
        return True
    if getattr(field, "auto_now_add", False):
        return True
    # DateTimeField is a DateField: aware datetimes pass as they are.
    return not isinstance(field, _PLAIN_FIELDS)


def _prefetched(instance: Any, related_name: str, objects: list[Any]) -> None:
    """Make `instance.<related_name>.all()` give `objects` (the rows about to be written, the
    only ones), as prefetch_related would: the deadline engine's reader reads none back."""
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[related_name] = objects


class _Ids:
    """Explicit primary keys: rows can point at each other before anything is written."""

    def __init__(self) -> None:
        self._next: dict[type[models.Model], int] = {}

    def take(self, model: type[models.Model]) -> int:
        if model not in self._next:
            self._next[model] = (model._default_manager.aggregate(m=Max("pk"))["m"] or 0) + 1
        value = self._next[model]
        self._next[model] = value + 1
        return value


class ScaleSeeder:
    def __init__(self, size: ScaleSize, *, log: Callable[[str], None] = lambda _m: None) -> None:
        self.size = size
        self.log = log
        self.random = random.Random(size.seed)  # noqa: S311 (fictional data, not secrets)
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.ids = _Ids()
        self.password_hash = make_password(BENCH_PASSWORD)
        self.hasher = Hasher()
        self.calendar = us_federal_calendar(extra_closure_dates())
        self.counts: dict[str, int] = {}
        self.existing_bench_emails = set(
            User.objects.filter(
                email__in=[BENCH_COORDINATOR, BENCH_ATTORNEY, BENCH_MENTOR]
            ).values_list("email", flat=True)
        )

    # --- people ------------------------------------------------------------------------------
    def _name(self) -> tuple[str, str]:
        r = self.random
        given = r.choice(GIVEN) if r.random() < 0.6 else f"{r.choice(GIVEN)} {r.choice(GIVEN)}"
        return given, f"{r.choice(SURNAMES)} {r.choice(SURNAMES)}"

    def _birth_date(self, min_age: int, max_age: int) -> dt.date:
        return self.today - dt.timedelta(
            days=self.random.randint(min_age * 365 + 1, max_age * 365 - 1)
        )

    def _user(self, email: str, name: str, role: str, **extra: Any) -> User:
        return User(
            email=email,
            password=self.password_hash,
            full_name=name,
            role=role,
            is_staff=role == Role.COORDINATOR,
            language="es" if self.random.random() < 0.3 else "en",
            date_joined=self.now,
            **extra,
        )

    def _email(self, role: str, n: int, bench_email: str) -> str:
        """The bench sign-in for the first of each role (unless an earlier seed made it)."""
        if n == 0 and bench_email not in self.existing_bench_emails:
            return bench_email
        return f"{role}{n}.s{self.size.seed}@scale.amparo.test"

    def _count(self, key: str, value: int) -> None:
        self.counts[key] = self.counts.get(key, 0) + value

    def run(self) -> dict[str, int]:
        with transaction.atomic():
            self._organizations()
            self._staff()
            self._attorneys()
            self._mentors()
            self._cases()
            self._reset_sequences()
        return self.counts

    def _organizations(self) -> None:
        # There is one operating organization at most (a database constraint): reuse it.
        self.operator = Organization.objects.filter(kind=Organization.Kind.OPERATOR).first()
        if self.operator is None:
            self.operator = Organization.objects.create(
                name=f"Centro Amparo (scale {self.size.seed})", kind=Organization.Kind.OPERATOR
            )
        self.partners = Organization.objects.bulk_create(
            Organization(
                name=f"Partner legal aid {n} (scale {self.size.seed})",
                kind=Organization.Kind.PARTNER,
            )
            for n in range(4)
        )
        self.firms = Organization.objects.bulk_create(
            Organization(
                name=f"Law firm {n} (scale {self.size.seed})", kind=Organization.Kind.LAW_FIRM
            )
            for n in range(max(3, self.size.attorneys // 500))
        )
        self._count("organizations", 1 + len(self.partners) + len(self.firms))

    def _staff(self) -> None:
        users = [
            self._user(
                self._email("coordinator", n, BENCH_COORDINATOR),
                f"Coordinator {n}",
                Role.COORDINATOR,
            )
            for n in range(self.size.coordinators)
        ]
        for user in users:
            user.organization = self.operator
        self.coordinators = User.objects.bulk_create(users)
        self.coordinator = self.coordinators[0]
        self._count("coordinators", len(users))

    def _attorneys(self) -> None:
        r = self.random
        users = []
        for n in range(self.size.attorneys):
            given, family = self._name()
            users.append(
                self._user(
                    self._email("attorney", n, BENCH_ATTORNEY),
                    f"{given} {family}",
                    Role.ATTORNEY,
                    organization=self.firms[n % len(self.firms)],
                )
            )
        statuses = []
        for n in range(self.size.attorneys):
            roll = r.random()
            statuses.append(
                AttorneyProfile.Verification.VERIFIED
                if n == 0 or roll < 0.8
                else AttorneyProfile.Verification.PENDING
                if roll < 0.95
                else AttorneyProfile.Verification.SUSPENDED
            )
        profiles: list[AttorneyProfile] = []
        admissions: list[BarAdmission] = []
        self.verified_attorneys: list[User] = []
        for batch in chunked(list(zip(users, statuses, strict=True)), 5000):
            saved = User.objects.bulk_create([u for u, _s in batch])
            batch_profiles = []
            for (user, status), n in zip(batch, range(len(batch)), strict=True):
                verified = status != AttorneyProfile.Verification.PENDING
                batch_profiles.append(
                    AttorneyProfile(
                        user=user,
                        firm=user.organization,
                        languages=["en", "es"] if r.random() < 0.4 else ["en"],
                        experience=r.choice(AttorneyProfile.Experience.values),
                        interests=r.sample(["asylum", "children", "detained", "u_visa"], k=2),
                        capacity=r.randint(2, 8),
                        malpractice_coverage=r.random() < 0.8,
                        verification_status=status,
                        verified_by=self.coordinator if verified else None,
                        verified_at=self.now - dt.timedelta(days=r.randint(5, 600))
                        if verified
                        else None,
                        verification_method="State bar online lookup" if verified else "",
                        consented_at=self.now,
                    )
                )
                if status == AttorneyProfile.Verification.VERIFIED:
                    self.verified_attorneys.append(user)
                del n
            saved_profiles = AttorneyProfile.objects.bulk_create(batch_profiles)
            admissions = [
                BarAdmission(
                    attorney=profile,
                    state=r.choice(["CA", "NY", "IL", "TX", "FL"]),
                    bar_number=str(300000 + profile.pk),
                    year_admitted=r.randint(1990, 2025),
                    in_good_standing=True if profile.is_verified else None,
                )
                for profile in saved_profiles
            ]
            BarAdmission.objects.bulk_create(admissions)
            profiles += saved_profiles
            del saved
        self.bench_attorney = users[0]
        self._count("attorneys", len(users))
        self._count("verified_attorneys", len(self.verified_attorneys))

    def _mentors(self) -> None:
        r = self.random
        users = [
            self._user(
                self._email("mentor", n, BENCH_MENTOR),
                " ".join(self._name()),
                Role.MENTOR,
            )
            for n in range(self.size.mentors)
        ]
        self.mentors = User.objects.bulk_create(users)
        MentorProfile.objects.bulk_create(
            MentorProfile(
                user=user,
                expertise=r.sample(CaseType.values, k=2),
                languages=["en", "es"] if r.random() < 0.6 else ["en"],
                capacity=r.randint(3, 10),
                hourly_rate=Decimal("95.00") + r.randint(0, 10) * 5,
            )
            for user in self.mentors
        )
        self._count("mentors", len(users))
        # Staff and mentors enrol TOTP before they see client data: the bench sign-ins have.
        from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

        TOTP.activate(self.coordinator, generate_totp_secret())
        TOTP.activate(self.mentors[0], generate_totp_secret())

    # --- cases -------------------------------------------------------------------------------
    def _reserve_codes(self, count: int) -> list[str]:
        year = self.today.year
        counter, _created = CaseCodeCounter.objects.select_for_update().get_or_create(year=year)
        first = counter.last_number + 1
        CaseCodeCounter.objects.filter(pk=counter.pk).update(last_number=F("last_number") + count)
        return [f"AMP-{year % 100:02d}-{n:04d}" for n in range(first, first + count)]

    def _cases(self) -> None:
        size, r = self.size, self.random
        self.courts = list(ImmigrationCourt.objects.all())
        if not self.courts:
            raise RuntimeError("The immigration courts are missing: run `manage.py migrate`.")
        self.templates = {
            t.case_type: list(t.items.all())
            for t in MilestoneTemplate.objects.prefetch_related("items")
        }
        codes = self._reserve_codes(size.cases)
        stages: list[str] = r.choices(
            list(STAGE_WEIGHTS), weights=list(STAGE_WEIGHTS.values()), k=size.cases
        )
        # The bench attorney and mentor get work of their own (the first placed cases).
        extra = size.parties - size.cases
        extras = [extra // size.cases] * size.cases
        for index in r.sample(range(size.cases), extra % size.cases):
            extras[index] += 1
        self.attorney_load: dict[int, int] = {}
        for start in range(0, size.cases, BATCH):
            stop = min(size.cases, start + BATCH)
            self._case_batch(codes[start:stop], stages[start:stop], extras[start:stop], start)
            self.log(f"  cases {stop:,}/{size.cases:,}")

    def _client(self, index: int) -> Client:
        r = self.random
        given, family = self._name()
        country = COUNTRIES[index % len(COUNTRIES)]
        raw_a = f"{r.randint(200_000_000, 249_999_999)}" if r.random() < 0.8 else ""
        return Client(
            id=self.ids.take(Client),
            given_names=given,
            family_names=family,
            country_of_nationality=country,
            a_number=format_a_number(normalize_a_number(raw_a)) if raw_a else "",
            a_number_index=a_number_index(raw_a) if raw_a else "",
            date_of_birth=self._birth_date(8 if r.random() < 0.1 else 18, 60),
            languages=LANGUAGES.get(country, ["es"]),
            phone=f"(510) 555-{r.randint(0, 9999):04d}",
            address=f"{r.randint(1, 9999)} Calle Falsa, Oakland, CA",
            do_not_contact_at_home=r.random() < 0.1,
            created_by=self.coordinator,
        )

    def _case_batch(
        self, codes: list[str], stages: list[str], extras: list[int], offset: int
    ) -> None:
        r = self.random
        clients: list[Client] = []
        members: list[FamilyMember] = []
        adverse: list[AdverseParty] = []
        cases: list[Case] = []
        hearings: list[Hearing] = []
        placements: list[Placement] = []
        requests: list[MentoringRequest] = []
        mentorships: list[Mentorship] = []
        tokens: list[PartyNameToken] = []
        for index, (code, stage, extra) in enumerate(zip(codes, stages, extras, strict=True)):
            position = offset + index
            client = self._client(position)
            clients.append(client)
            case_type = r.choices(
                list(CASE_TYPE_WEIGHTS), weights=list(CASE_TYPE_WEIGHTS.values())
            )[0]
            client_members: list[FamilyMember] = []
            for n in range(extra):
                if case_type == CaseType.U_VISA and n == 0:
                    adverse_party = AdverseParty(
                        id=self.ids.take(AdverseParty),
                        client=client,
                        kind=AdverseParty.Kind.PERPETRATOR,
                        name=" ".join(self._name()),
                    )
                    adverse.append(adverse_party)
                    tokens += token_rows(
                        party_type=PartyType.ADVERSE_PARTY,
                        party_id=adverse_party.pk,
                        full_name=adverse_party.name,
                        client_id=client.pk,
                        hasher=self.hasher,
                    )
                    continue
                spouse = n == 0 and r.random() < 0.4
                given, family = self._name()
                member = FamilyMember(
                    id=self.ids.take(FamilyMember),
                    client=client,
                    relationship=FamilyMember.Relationship.SPOUSE
                    if spouse
                    else FamilyMember.Relationship.CHILD,
                    given_names=given,
                    family_names=family if spouse else client.family_names,
                    date_of_birth=self._birth_date(20, 50) if spouse else self._birth_date(1, 20),
                    is_derivative=True,
                )
                client_members.append(member)
                tokens += token_rows(
                    party_type=PartyType.FAMILY_MEMBER,
                    party_id=member.pk,
                    full_name=member.full_name,
                    client_id=client.pk,
                    hasher=self.hasher,
                )
            members += client_members
            tokens += token_rows(
                party_type=PartyType.CLIENT,
                party_id=client.pk,
                full_name=client.full_name,
                client_id=client.pk,
                hasher=self.hasher,
            )
            _prefetched(client, "family_members", client_members)

            case = self._case(code, stage, case_type, client, position)
            cases.append(case)
            case_hearings = self._hearings(case, stage)
            hearings += case_hearings
            _prefetched(case, "hearings", case_hearings)
            _prefetched(case, "opposing_filings", [])
            if case.attorney_of_record is not None:
                placements.append(
                    Placement(
                        case=case,
                        attorney=case.attorney_of_record,
                        how=r.choice(Placement.How.values),
                        placed_by=self.coordinator,
                        placed_at=case.placed_at or self.now,
                    )
                )
            if case.mentor is not None:
                request = MentoringRequest(
                    id=self.ids.take(MentoringRequest),
                    case=case,
                    attorney=case.attorney_of_record,
                    requested_by=case.attorney_of_record,
                    status=MentoringRequest.Status.MATCHED,
                    source=MentoringRequest.Source.STAFF,
                    languages=["es"],
                    eligibility_ok=True,
                    eligibility_checked_at=self.now,
                )
                requests.append(request)
                mentorships.append(
                    Mentorship(
                        request=request,
                        case=case,
                        mentor=case.mentor,
                        mentee=case.attorney_of_record,
                        status=Mentorship.Status.ACTIVE,
                        score=round(r.uniform(0.5, 1.0), 3),
                        confirmed_by=self.coordinator,
                        confirmed_at=case.placed_at,
                        responded_at=case.placed_at,
                        started_at=case.placed_at,
                    )
                )

        insert_rows(Client, clients)
        insert_rows(FamilyMember, members)
        insert_rows(AdverseParty, adverse)
        insert_rows(PartyNameToken, tokens)
        deadlines, flags, milestones = self._deadlines_and_urgency(cases)
        insert_rows(Case, cases)
        insert_rows(Hearing, hearings)
        insert_rows(CaseDeadline, deadlines)
        insert_rows(CaseFlag, flags)
        insert_rows(Milestone, milestones)
        insert_rows(Placement, placements)
        insert_rows(MentoringRequest, requests)
        insert_rows(Mentorship, mentorships)
        self._count("cases", len(cases))
        self._count("clients", len(clients))
        self._count("family_members", len(members))
        self._count("adverse_parties", len(adverse))
        self._count("hearings", len(hearings))
        self._count("deadlines", len(deadlines))
        self._count("milestones", len(milestones))
        self._count("placements", len(placements))
        self._count("mentorships", len(mentorships))
        self._count("name_tokens", len(tokens))
        self._count("published", sum(1 for c in cases if c.stage == Stage.READY))

    def _pick_attorney(self, position: int) -> User:
        # The bench attorney holds a handful of cases, like a busy volunteer; the rest spread.
        if position % 997 == 3 and self.attorney_load.get(self.bench_attorney.pk, 0) < 8:
            attorney = self.bench_attorney
        else:
            attorney = self.random.choice(self.verified_attorneys)
        self.attorney_load[attorney.pk] = self.attorney_load.get(attorney.pk, 0) + 1
        return attorney

    def _case(self, code: str, stage: str, case_type: str, client: Client, position: int) -> Case:
        r, now = self.random, self.now
        defensive = case_type == CaseType.DEFENSIVE_ASYLUM
        detained = defensive and r.random() < 0.12
        placed_or_closed = stage in (Stage.PLACED, Stage.CLOSED)
        attorney = self._pick_attorney(position) if placed_or_closed else None
        mentor = None
        if stage == Stage.PLACED and (
            r.random() < MENTORED_SHARE or attorney == self.bench_attorney
        ):
            mentor = self.mentors[0] if position % 50 == 3 else r.choice(self.mentors)
        summary_en, summary_es = SUMMARIES[case_type]  # type: ignore[index]
        ready_at = (
            now - dt.timedelta(days=r.randint(1, 120))
            if stage not in (Stage.INTAKE, Stage.SCREENING)
            else None
        )
        closed_at = now - dt.timedelta(days=r.randint(1, 90)) if stage == Stage.CLOSED else None
        age = (self.today - client.date_of_birth).days // 365 if client.date_of_birth else 30
        return Case(
            id=self.ids.take(Case),
            code=code,
            case_type=case_type,
            stage=stage,
            client=client,
            court=r.choice(self.courts) if defensive else None,
            detained=detained,
            is_unaccompanied_child=age < 18 and r.random() < 0.5,
            last_arrival=self.today - dt.timedelta(days=r.randint(30, 1500)),
            i589_received=self.today - dt.timedelta(days=r.randint(20, 300))
            if defensive and placed_or_closed
            else None,
            supplement_b_signed=self.today - dt.timedelta(days=r.randint(10, 150))
            if case_type == CaseType.U_VISA
            else None,
            languages=client.languages,
            summary_en=summary_en,
            summary_es=summary_es,
            placing_organization=self.operator
            if r.random() < 0.6
            else self.partners[position % len(self.partners)],
            attorney_of_record=attorney,
            mentor=mentor,
            mentor_file_access=mentor is not None and r.random() < 0.5,
            ready_at=ready_at,
            published_at=ready_at if ready_at else None,
            placed_at=ready_at + dt.timedelta(days=r.randint(0, 10))
            if attorney and ready_at
            else None,
            closed_at=closed_at,
            outcome=r.choice([Outcome.GRANTED, Outcome.DENIED, Outcome.WITHHOLDING])
            if closed_at
            else "",
            outcome_date=timezone.localdate(closed_at) if closed_at else None,
            created_by=self.coordinator,
        )

    def _hearings(self, case: Case, stage: str) -> list[Hearing]:
        if case.court is None or stage == Stage.CLOSED:
            return []
        r = self.random
        hearings = []
        kinds = [Hearing.Kind.MASTER] + ([Hearing.Kind.INDIVIDUAL] if r.random() < 0.3 else [])
        for n, kind in enumerate(kinds):
            day = self.today + dt.timedelta(days=r.randint(3, 90) + 120 * n)
            while day.weekday() >= 5:  # courts sit on weekdays
                day += dt.timedelta(days=1)
            hearings.append(
                Hearing(
                    id=self.ids.take(Hearing),
                    case=case,
                    kind=kind,
                    starts_at=timezone.make_aware(
                        dt.datetime.combine(day, dt.time(8 + r.randint(0, 6), 30))
                    ),
                    ruling_requested=r.random() < 0.5,
                )
            )
        return hearings

    def _deadlines_and_urgency(
        self, cases: list[Case]
    ) -> tuple[list[CaseDeadline], list[CaseFlag], list[Milestone]]:
        """What deadlines/services.py case_deadlines_recompute and cases/placement.py
        case_board_refresh write for one case, computed in memory for a batch."""
        from amparo.deadlines.services import (
            _anchor_dates,
            deadline_rows_build,
            flag_rows_build,
        )

        today, r = self.today, self.random
        deadlines: list[CaseDeadline] = []
        flags: list[CaseFlag] = []
        milestones: list[Milestone] = []
        for case in cases:
            scheduled = sorted(case.hearings.all(), key=lambda h: h.starts_at)
            result = compute_case(
                case_facts_for_engine(case=case, today=today), calendar=self.calendar
            )
            deadlines += deadline_rows_build(case, result, scheduled)
            flags += flag_rows_build(case, result)
            if case.stage == Stage.PLACED:
                anchors = _anchor_dates(case, result, scheduled)
                milestones += [
                    Milestone(
                        case=case,
                        template_item=item,
                        order=item.order,
                        title_en=item.title_en,
                        title_es=item.title_es,
                        anchor=item.anchor,
                        offset_days=item.offset_days,
                        owner_role=item.owner_role,
                        due_date=milestone_due_date(
                            anchor=item.anchor, offset_days=item.offset_days, anchor_dates=anchors
                        )
                        if item.anchor
                        else None,
                        status=Milestone.Status.DONE
                        if r.random() < 0.2
                        else Milestone.Status.TO_DO,
                    )
                    for item in self.templates.get(case.case_type, [])
                ]
            next_deadline = min(
                (
                    d.date
                    for d in result.deadlines
                    if d.rule.value in URGENT_RULES and d.date >= today
                ),
                default=None,
            )
            board_card_fill(
                case=case,
                hearings=scheduled,
                next_deadline=next_deadline,
                today=today,
                now=self.now,
            )
        return deadlines, flags, milestones

    def _reset_sequences(self) -> None:
        """Explicit ids leave PostgreSQL's sequences behind: move them past the new rows."""
        statements = connection.ops.sequence_reset_sql(
            no_style(), [Client, FamilyMember, AdverseParty, Case, Hearing, MentoringRequest]
        )
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def scale_seed(size: ScaleSize, *, log: Callable[[str], None] = lambda _m: None) -> dict[str, int]:
    """Seed a program of the given size; returns what was created, by kind."""
    return ScaleSeeder(size, log=log).run()
