"""Create a realistic, fictional, bilingual demo program. Refuses to run when DEBUG is off.

Every person here is invented; names are common given names and surnames combined at random.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from amparo.accounts.models import Role, User
from amparo.cases.models import CaseType, Hearing, Outcome, Placement, Stage
from amparo.cases.placement import case_board_refresh
from amparo.cases.services import case_create
from amparo.conflicts.services import conflicts_reindex_all
from amparo.core.audit import audit_record
from amparo.core.models import AuditEvent
from amparo.courts.models import DetentionFacility, ImmigrationCourt
from amparo.deadlines.services import case_deadlines_recompute, case_plan_create
from amparo.intake.models import AdverseParty, FamilyMember
from amparo.intake.services import adverse_party_add, client_create, family_member_add
from amparo.people.models import AttorneyProfile, BarAdmission, MentorProfile, Organization

DEMO_PASSWORD = "amparo-demo"
DEMO_SIGN_INS = [
    ("coordinator@demo.amparo.org", "Valeria Cook", Role.COORDINATOR, "operator", "en"),
    ("attorney@demo.amparo.org", "Daniel Whitfield", Role.ATTORNEY, "firm", "en"),
    ("attorney2@demo.amparo.org", "Lucía Herrera", Role.ATTORNEY, "firm", "es"),
    ("mentor@demo.amparo.org", "Marisol Ortega", Role.MENTOR, None, "es"),
    ("admin@demo.amparo.org", "Grace Kim", Role.PROGRAM_ADMIN, "operator", "en"),
    ("partner@demo.amparo.org", "Tomás Rivera", Role.PARTNER, "partner", "es"),
]

GIVEN = [
    "María",
    "José",
    "Ana",
    "Luis",
    "Rosa",
    "Carlos",
    "Sofía",
    "Jorge",
    "Elena",
    "Miguel",
    "Camila",
    "Juan",
    "Daniela",
    "Pedro",
    "Gabriela",
    "Andrés",
    "Lucía",
    "Mateo",
    "Valentina",
    "Diego",
    "Fernanda",
    "Josué",
    "Yesenia",
    "Wilmer",
    "Karla",
    "Edwin",
    "Nayeli",
    "Brayan",
]
SURNAMES = [
    "García",
    "Hernández",
    "López",
    "Martínez",
    "González",
    "Pérez",
    "Rodríguez",
    "Sánchez",
    "Ramírez",
    "Cruz",
    "Flores",
    "Gómez",
    "Morales",
    "Vásquez",
    "Reyes",
    "Jiménez",
    "Torres",
    "Díaz",
    "Castillo",
    "Mejía",
    "Orellana",
    "Quintanilla",
    "Ayala",
    "Chávez",
    "Aguilar",
]
ATTORNEY_NAMES = [
    "Emily Carter",
    "Michael Chen",
    "Sarah Goldberg",
    "David Okafor",
    "Jessica Park",
    "Robert Alvarez",
    "Laura Bennett",
    "James O'Neill",
    "Priya Raman",
    "Thomas Müller",
    "Hannah Schwartz",
    "Kevin Nguyen",
    "Olivia Brooks",
    "Marcus Johnson",
    "Rachel Adler",
    "Anthony Russo",
    "Megan Foley",
    "Samuel Ortiz",
    "Naomi Fischer",
    "Brian Walsh",
    "Catherine Liu",
    "Ethan Rosen",
    "Isabel Santos",
]
MENTOR_NAMES = [
    "Roberto Salinas",
    "Patricia Domínguez",
    "Helen Zhao",
    "Francisco Vela",
    "Amy Lindqvist",
]
COUNTRIES = ["GT", "HN", "SV", "MX", "VE", "NI", "CO", "EC", "HT", "CU"]
LANGUAGE_BY_COUNTRY = {"GT": ["es", "quc"], "HT": ["ht", "fr"], "HN": ["es"], "SV": ["es"]}
SUMMARIES = {
    CaseType.DEFENSIVE_ASYLUM: (
        "Mother and two children fled gang threats after refusing extortion; master calendar hearing soon.",
        "Madre con dos hijos que huyó de amenazas de pandillas tras negarse a pagar extorsión; audiencia preliminar próxima.",
    ),
    CaseType.AFFIRMATIVE_ASYLUM: (
        "Young adult persecuted for political opinion; the one-year filing deadline is approaching.",
        "Persona joven perseguida por su opinión política; se acerca el plazo de un año para solicitar asilo.",
    ),
    CaseType.U_VISA: (
        "Survivor of a violent assault who helped the police; the law-enforcement certification is signed.",
        "Víctima de una agresión violenta que colaboró con la policía; la certificación de la agencia del orden público está firmada.",
    ),
}
CA_COURTS = [
    "San Francisco Immigration Court",
    "Concord Immigration Court",
    "Sacramento Immigration Court",
]


class Command(BaseCommand):
    help = "Load a fictional demo program (DEBUG only) with one sign-in per role."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if users exist.")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "demo_data creates accounts with a known password: it runs only with DJANGO_DEBUG=1."
            )
        if options["if_empty"] and User.objects.exists():
            self.stdout.write("The database already has users: demo data not loaded.")
            self._print_sign_ins()
            return
        if User.objects.filter(email__endswith="@demo.amparo.org").exists():
            raise CommandError("Demo data is already loaded.")
        self.random = random.Random(options["seed"])  # noqa: S311 (fictional data, not secrets)
        self.today = timezone.localdate()
        with transaction.atomic():
            self._load()
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self._print_sign_ins()

    def _print_sign_ins(self) -> None:
        self.stdout.write(f"Demo sign-ins (password: {DEMO_PASSWORD}):")
        for email, _name, role, _org, _lang in DEMO_SIGN_INS:
            self.stdout.write(f"  {role.label:<28} {email}")

    # --- building blocks ------------------------------------------------------------------
    def _user(
        self, email: str, name: str, role: str, organization: Organization | None, language: str
    ) -> User:
        return User.objects.create_user(
            email=email,
            password=DEMO_PASSWORD,
            full_name=name,
            role=role,
            organization=organization,
            language=language,
            is_demo=True,
            is_staff=role in (Role.COORDINATOR, Role.PROGRAM_ADMIN),
            is_superuser=role == Role.PROGRAM_ADMIN,
        )

    def _name(self) -> tuple[str, str]:
        r = self.random
        given = r.choice(GIVEN) if r.random() < 0.5 else f"{r.choice(GIVEN)} {r.choice(GIVEN)}"
        return given, f"{r.choice(SURNAMES)} {r.choice(SURNAMES)}"

    def _birth_date(self, min_age: int, max_age: int) -> datetime.date:
        days = self.random.randint(min_age * 365 + 1, max_age * 365 - 1)
        return self.today - datetime.timedelta(days=days)

    def _a_number(self) -> str:
        return f"{self.random.randint(200_000_000, 249_999_999)}"

    def _load(self) -> None:
        r = self.random
        operator = Organization.objects.create(
            name="Centro Amparo (demo)",
            kind=Organization.Kind.OPERATOR,
            city="Oakland",
            state="CA",
            contact_email="probono@demo.amparo.org",
        )
        partners = [
            Organization.objects.create(
                name="Bay Families Legal Aid (demo)", kind="partner", city="San José", state="CA"
            ),
            Organization.objects.create(
                name="Valley Immigrant Rights Project (demo)",
                kind="partner",
                city="Fresno",
                state="CA",
            ),
        ]
        firms = [
            Organization.objects.create(
                name=name, kind="law_firm", city="San Francisco", state="CA"
            )
            for name in [
                "Harlow & Kent LLP (demo)",
                "Mission Street Partners (demo)",
                "Pacific Bay Law Group (demo)",
            ]
        ]
        orgs = {"operator": operator, "partner": partners[0], "firm": firms[0], None: None}
        users = {
            email: self._user(email, name, role, orgs[org], lang)
            for email, name, role, org, lang in DEMO_SIGN_INS
        }
        coordinator = users["coordinator@demo.amparo.org"]
        now = timezone.now()

        # 25 attorneys in every state of verification (the two demo sign-ins are verified).
        statuses = ["verified"] * 14 + ["pending"] * 6 + ["declined"] * 2 + ["suspended"]
        attorney_users = [users["attorney@demo.amparo.org"], users["attorney2@demo.amparo.org"]]
        for index, name in enumerate(ATTORNEY_NAMES):
            email = (
                name.lower().replace(" ", ".").replace("'", "").replace("ü", "u")
                + "@firms.demo.amparo.org"
            )
            attorney_users.append(
                self._user(email, name, Role.ATTORNEY, None, "en" if index % 4 else "es")
            )
        statuses = ["verified", "verified", *statuses]
        for index, (user, status) in enumerate(zip(attorney_users, statuses, strict=True)):
            firm = firms[index % len(firms)]
            user.organization = firm
            user.save(update_fields=["organization"])
            profile = AttorneyProfile.objects.create(
                user=user,
                firm=firm,
                languages=["en", "es"] if index % 3 == 0 or user.language == "es" else ["en"],
                experience=["none", "some", "experienced"][index % 3],
                interests=r.sample(["asylum", "children", "detained", "u_visa"], k=r.randint(1, 3)),
                # The two demo sign-ins carry several cases; give them room for one more.
                capacity=6 if index < 2 else r.randint(1, 3),
                malpractice_coverage=index % 4 != 3,
                verification_status=status,
                verified_by=coordinator if status != "pending" else None,
                verified_at=now - datetime.timedelta(days=r.randint(5, 300))
                if status != "pending"
                else None,
                verification_method="State bar online lookup" if status != "pending" else "",
            )
            BarAdmission.objects.create(
                attorney=profile,
                state=["CA", "NY", "IL", "TX"][index % 4] if index % 5 else "CA",
                bar_number=f"{310000 + index * 137}",
                year_admitted=2000 + index % 24,
                in_good_standing=True if status == "verified" else None,
            )

        # 6 mentors (the demo sign-in and five more).
        mentor_users = [users["mentor@demo.amparo.org"]] + [
            self._user(
                name.lower().replace(" ", ".").replace("í", "i") + "@mentors.demo.amparo.org",
                name,
                Role.MENTOR,
                None,
                "en",
            )
            for name in MENTOR_NAMES
        ]
        sf_courts = list(ImmigrationCourt.objects.filter(name__in=CA_COURTS))
        if not sf_courts:
            raise CommandError("The immigration courts are missing: run `manage.py migrate` first.")
        for index, user in enumerate(mentor_users):
            mentor_profile = MentorProfile.objects.create(
                user=user,
                expertise=["defensive_asylum", "affirmative_asylum"]
                if index % 3
                else ["u_visa", "defensive_asylum"],
                languages=["en", "es"] if index % 2 == 0 else ["en"],
                capacity=3 + index % 3,
                hourly_rate=Decimal("95.00") + index * 10,
            )
            mentor_profile.courts.set(sf_courts[: 1 + index % len(sf_courts)])

        facility = DetentionFacility.objects.create(
            name="Golden State Annex (demo)",
            city="McFarland",
            state="CA",
            court=ImmigrationCourt.objects.filter(state="CA", detained_docket="yes").first(),
        )
        courts = sf_courts + list(
            ImmigrationCourt.objects.filter(
                name__in=["Los Angeles - N. Los Angeles Street Immigration Court"]
            )
        )

        # 60 clients with families; 40 of them have a case.
        clients = []
        for index in range(60):
            given, family = self._name()
            country = COUNTRIES[index % len(COUNTRIES)]
            client = client_create(
                actor=coordinator,
                given_names=given,
                family_names=family,
                country_of_nationality=country,
                a_number=self._a_number() if index % 6 else "",
                date_of_birth=self._birth_date(8 if index % 7 == 0 else 19, 55),
                languages=LANGUAGE_BY_COUNTRY.get(country, ["es"]),
                phone=f"(510) 555-{1000 + index:04d}",
                address=f"{100 + index} Calle Falsa, Oakland, CA",
                do_not_contact_at_home=index % 9 == 0,
            )
            for _child in range(index % 3):
                child_given, _ = self._name()
                family_member_add(
                    client=client,
                    relationship=FamilyMember.Relationship.CHILD,
                    given_names=child_given,
                    family_names=family,
                    date_of_birth=self._birth_date(1, 20),
                    is_derivative=True,
                )
            if index % 4 == 0:
                spouse_given, spouse_family = self._name()
                family_member_add(
                    client=client,
                    relationship=FamilyMember.Relationship.SPOUSE,
                    given_names=spouse_given,
                    family_names=spouse_family,
                    date_of_birth=self._birth_date(20, 50),
                )
            clients.append(client)

        verified = [u for u, s in zip(attorney_users, statuses, strict=True) if s == "verified"]
        stage_plan = (
            [Stage.INTAKE] * 6
            + [Stage.SCREENING] * 6
            + [Stage.READY] * 12
            + [Stage.PLACED] * 12
            + [Stage.CLOSED] * 4
        )
        for index, stage in enumerate(stage_plan):
            client = clients[index]
            case_type = [
                CaseType.DEFENSIVE_ASYLUM,
                CaseType.DEFENSIVE_ASYLUM,
                CaseType.U_VISA,
                CaseType.DEFENSIVE_ASYLUM,
                CaseType.AFFIRMATIVE_ASYLUM,
            ][index % 5]
            detained = case_type == CaseType.DEFENSIVE_ASYLUM and index % 7 == 0
            summary_en, summary_es = SUMMARIES[case_type]
            attorney = None
            if stage in (Stage.PLACED, Stage.CLOSED):
                # The two demo attorneys get cases of their own; others share the rest.
                attorney = (
                    attorney_users[index % 2] if index % 3 else verified[index % len(verified)]
                )
            mentor = (
                mentor_users[index % len(mentor_users)]
                if stage == Stage.PLACED and index % 2 == 0
                else None
            )
            case = case_create(
                actor=coordinator,
                client=client,
                case_type=case_type,
                placing_organization=operator if index % 3 else partners[index % 2],
                stage=stage,
                # Only defensive cases are before a court; affirmative asylum and U visas go to USCIS.
                court=courts[index % len(courts)]
                if case_type == CaseType.DEFENSIVE_ASYLUM
                else None,
                detained=detained,
                detention_facility=facility if detained else None,
                is_unaccompanied_child=client.date_of_birth is not None
                and (self.today - client.date_of_birth).days < 18 * 365
                and index % 2 == 0,
                last_arrival=self.today - datetime.timedelta(days=r.randint(60, 900)),
                i589_received=self.today - datetime.timedelta(days=r.randint(20, 120))
                if case_type == CaseType.DEFENSIVE_ASYLUM and stage == Stage.PLACED
                else None,
                supplement_b_signed=self.today - datetime.timedelta(days=r.randint(10, 150))
                if case_type == CaseType.U_VISA
                else None,
                languages=client.languages,
                urgency=r.randint(10, 95),
                # A few ready cases are shown, anonymized, on the public urgent-needs page.
                on_public_urgent_page=stage == Stage.READY and index % 3 == 0,
                summary_en=summary_en,
                summary_es=summary_es,
                attorney_of_record=attorney,
                mentor=mentor,
                mentor_file_access=mentor is not None and index % 4 == 0,
                ready_at=now - datetime.timedelta(days=r.randint(1, 40))
                if stage != Stage.INTAKE
                else None,
                placed_at=now - datetime.timedelta(days=r.randint(1, 30)) if attorney else None,
                closed_at=now - datetime.timedelta(days=r.randint(1, 10))
                if stage == Stage.CLOSED
                else None,
                outcome=Outcome.GRANTED
                if stage == Stage.CLOSED and index % 2
                else (Outcome.DENIED if stage == Stage.CLOSED else ""),
            )
            if case.closed_at is not None:
                # The decision that closed the case, for the outcome figures.
                case.outcome_date = timezone.localdate(case.closed_at)
                case.save(update_fields=["outcome_date"])
            if case_type == CaseType.U_VISA:
                adverse_party_add(
                    client=client, kind=AdverseParty.Kind.PERPETRATOR, name=" ".join(self._name())
                )
            if case.court is not None and stage != Stage.CLOSED:
                day = self.today + datetime.timedelta(days=r.randint(3, 70))
                while day.weekday() >= 5:  # courts sit on weekdays
                    day += datetime.timedelta(days=1)
                starts = timezone.make_aware(
                    datetime.datetime.combine(
                        day,
                        datetime.time(8 + index % 5, 30),
                    )
                )
                Hearing.objects.create(
                    case=case,
                    kind=Hearing.Kind.MASTER if index % 3 else Hearing.Kind.INDIVIDUAL,
                    starts_at=starts,
                    ruling_requested=index % 2 == 0,
                )
            if stage == Stage.PLACED:
                case_plan_create(case=case)  # the plan, and its deadlines
            else:
                case_deadlines_recompute(case=case)
            if attorney is not None:
                Placement.objects.create(
                    case=case,
                    attorney=attorney,
                    how=Placement.How.COORDINATOR,
                    placed_by=coordinator,
                    placed_at=case.placed_at or now,
                )
            if stage == Stage.READY:
                case_board_refresh(case=case)
        # Names entered straight into the tables above: build the conflict check's index, so a
        # new intake in the demo finds the people already on record.
        conflicts_reindex_all()
        from amparo.library.demo import library_demo_seed

        library_demo_seed(coordinator=coordinator, attorney=users["attorney@demo.amparo.org"])
        from amparo.trainings.demo import trainings_demo_seed

        trainings_demo_seed(
            coordinator=coordinator,
            attorney=users["attorney@demo.amparo.org"],
            attorney2=users["attorney2@demo.amparo.org"],
        )
        from amparo.mentoring.demo import mentoring_demo_seed

        mentoring_demo_seed(
            program_admin=users["admin@demo.amparo.org"],
            attorney=users["attorney@demo.amparo.org"],
            attorney2=users["attorney2@demo.amparo.org"],
            mentor=users["mentor@demo.amparo.org"],
        )
        # After every other seed: it fills the mentorship the mentoring seed creates, if any.
        from amparo.mentoring_work.demo import mentoring_work_demo_seed

        mentoring_work_demo_seed(program_admin=users["admin@demo.amparo.org"])
        from amparo.workspace.demo import workspace_demo_seed

        workspace_demo_seed(
            coordinator=coordinator,
            attorney=users["attorney@demo.amparo.org"],
            attorney2=users["attorney2@demo.amparo.org"],
        )
        audit_record(
            actor=coordinator, action=AuditEvent.Action.DEMO_LOADED, data={"cases": len(stage_plan)}
        )
