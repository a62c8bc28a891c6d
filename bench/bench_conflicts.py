"""Benchmark the conflict-of-interest check of one case against everyone on record, growing with
the program: parties = 3 x cases (each client with one family member and one adverse party).

Run: ``.venv/bin/python bench/bench_conflicts.py [--sizes 1000,10000,100000] [--runs 5]
[--database sqlite|postgres|both]``. Not a test; exits 0 whatever the figures.

Each size runs in a child process on a fresh database (a SQLite file in a temporary AMPARO_VAR_DIR,
or the PostgreSQL database h3_bench, created and dropped here), migrated, with DJANGO_DEBUG=1 for
the development keys. Seeding (not timed): real encrypted rows for clients, family members,
adverse parties and cases, and the blind index of every party written with ``executemany`` from
the same rows the services write (indexing.token_rows: token hashes and their pair hashes).
Names are drawn from a fixed seed with a Zipf-like weight over common Latin American given names
and surnames, so common names (María, Hernández) are as common as they are in real intake.

Timed: ``conflict_check_case`` on two new cases, median of the runs each (the first run creates
the hits; the others are what a coordinator's "run again" does): one whose people all have very
common names (the worst case: hundreds of people on record share them) and one with ordinary
names. Three earlier parties are planted through the services as spelling variants the checks
must find (a missing second surname and accents, b for v, sound-alike spellings of a common
name in swapped order). Prints the output contract of bench/run.py; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import seeded

if importlib.util.find_spec("amparo") is None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

SEED = 20260105
DEFAULT_SIZES = "1000,10000,100000"
GOAL_PARTIES = 300_000
GOAL_MS = 100
# Own database name on the shared server (notes/HELPERS.md); created and dropped per size.
PG_SERVER = seeded.PG_SERVER
PG_DATABASE = "h3_bench"


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


GIVEN = _words(
    "maria jose juan ana luis carlos jorge rosa jesus francisco miguel antonio pedro carmen "
    "marta elena sofia isabel laura patricia sandra claudia gloria teresa lucia julia diana "
    "andrea paola daniela gabriela veronica adriana alejandra monica silvia beatriz alba "
    "manuel ricardo fernando javier sergio oscar mario alberto roberto eduardo raul victor "
    "hector ruben ramon enrique arturo alfredo guillermo rafael cesar ernesto armando "
    "gerardo marvin wilmer yesenia ximena jhon katherine brayan kevin edwin nelson walter "
    "santos reina dolores guadalupe esperanza marisol yolanda noemi lorena karla fatima "
    "mohammed ahmed omar yusuf aisha amelia rigoberta feliciano anselmo cristobal eusebio "
    "herminia nicolasa zoila doris elsa iris ingrid evelyn heidi johana yuliana nayeli lesly "
    "josue abigail alexis ariel bryan cristian dilan elmer fredy henry ismael"
)
SURNAMES = _words(
    "hernandez garcia lopez martinez gonzalez rodriguez perez sanchez ramirez flores cruz "
    "gomez diaz reyes morales jimenez torres ruiz vasquez mendoza castillo ortiz romero "
    "alvarez rivera chavez gutierrez juarez aguilar medina castro vargas herrera moreno "
    "mejia guzman salazar dominguez rojas contreras estrada ramos avila portillo orellana "
    "quintanilla ayala zelaya aguirre alvarado argueta bonilla cabrera cardona carranza "
    "cerna chicas cortez escobar fuentes galdamez guardado henriquez lemus linares maldonado "
    "marroquin menjivar miranda molina murcia navarro osorio pineda rivas rosales serrano "
    "solis sorto urbina ventura villalobos villatoro zavala canales amaya barahona batres "
    "bautista benitez calderon cano carcamo cienfuegos coreas delcid deleon echeverria "
    "figueroa funes gaitan grande hassan huezo interiano iraheta jovel lainez landaverde "
    "lara leiva lozano machado magana mancia melgar mercado montoya najera nolasco ochoa "
    "olivares palacios paredes penate quijada quinteros recinos rauda saravia segovia tejada "
    "trejo umanzor valle valencia vides yanes zepeda"
)


def _weights(n: int) -> list[float]:
    return [1 / (rank + 1) ** 0.7 for rank in range(n)]


class Names:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.given_weights = _weights(len(GIVEN))
        self.surname_weights = _weights(len(SURNAMES))

    def given(self) -> str:
        count = 2 if self.rng.random() < 0.55 else 1
        words = self.rng.choices(GIVEN, self.given_weights, k=count)
        return " ".join(w.capitalize() for w in words)

    def family(self) -> str:
        count = 2 if self.rng.random() < 0.8 else 1
        words = self.rng.choices(SURNAMES, self.surname_weights, k=count)
        return " ".join(w.capitalize() for w in words)


def _configure(var_dir: str, database_url: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "amparo.config.settings"
    os.environ["DJANGO_DEBUG"] = "1"
    os.environ["AMPARO_VAR_DIR"] = var_dir
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)  # SQLite in the temporary folder
    import django

    django.setup()


def _seed(parties: int, rng: random.Random) -> tuple[Any, int, float]:
    from django.core.management import call_command
    from django.db import connection, transaction

    from amparo.cases.models import Case, CaseType
    from amparo.conflicts.models import PartyNameToken, PartyType
    from amparo.conflicts.services.indexing import Hasher, token_rows
    from amparo.intake.models import AdverseParty, Client, FamilyMember
    from amparo.people.models import Organization

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    organization = Organization.objects.create(name="Bench partner", kind="partner")
    names = Names(rng)
    hasher = Hasher()
    clients_total = parties // 3
    batch = 5000
    table = PartyNameToken._meta.db_table
    insert = (
        f"INSERT INTO {table} (party_type, party_id, entry, client_id, part_count, initials, "
        "token_hash) VALUES (%s, %s, 0, %s, %s, %s, %s)"
    )
    tokens_written = 0
    token_memo: dict[str, list[Any]] = {}

    def index_rows(party_type: str, party_id: int, client_id: int, name: str) -> list[tuple]:
        # The services' own rows (token and pair hashes), computed once per distinct name.
        rows = token_memo.get(name)
        if rows is None:
            rows = token_memo[name] = token_rows(
                party_type="", party_id=0, full_name=name, client_id=None, hasher=hasher
            )
        return [
            (party_type, party_id, client_id, row.part_count, row.initials, row.token_hash)
            for row in rows
        ]

    for start in range(0, clients_total, batch):
        size = min(batch, clients_total - start)
        with transaction.atomic():
            clients = Client.objects.bulk_create(
                [
                    Client(
                        given_names=names.given(),
                        family_names=names.family(),
                        country_of_nationality="SV",
                    )
                    for _ in range(size)
                ]
            )
            members = FamilyMember.objects.bulk_create(
                [
                    FamilyMember(
                        client=client,
                        relationship=rng.choice(["spouse", "child", "parent", "sibling"]),
                        given_names=names.given(),
                        family_names=names.family(),
                    )
                    for client in clients
                ]
            )
            adverse = AdverseParty.objects.bulk_create(
                [
                    AdverseParty(
                        client=client,
                        kind=rng.choice(["perpetrator", "persecutor", "abuser"]),
                        name=f"{names.given()} {names.family()}",
                    )
                    for client in clients
                ]
            )
            Case.objects.bulk_create(
                [
                    Case(
                        code=f"BENCH-{client.pk:07d}",
                        case_type=CaseType.DEFENSIVE_ASYLUM,
                        client=client,
                        placing_organization=organization,
                    )
                    for client in clients
                ]
            )
            rows: list[tuple] = []
            for client in clients:
                rows += index_rows(PartyType.CLIENT, client.pk, client.pk, client.full_name)
            for member in members:
                rows += index_rows(
                    PartyType.FAMILY_MEMBER, member.pk, member.client_id, member.full_name
                )
            for party in adverse:
                rows += index_rows(PartyType.ADVERSE_PARTY, party.pk, party.client_id, party.name)
            with connection.cursor() as cursor:
                cursor.executemany(insert, rows)
            tokens_written += len(rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return organization, tokens_written, time.perf_counter() - started


def _new_case(organization: Any, code: str, client_name: tuple[str, str], **people: Any) -> Any:
    from amparo.cases.models import Case, CaseType
    from amparo.intake.models import AdverseParty, Client, FamilyMember

    client = Client.objects.create(
        given_names=client_name[0], family_names=client_name[1], country_of_nationality="GT"
    )
    for given, family in people.get("family", ()):
        FamilyMember.objects.create(
            client=client, relationship="child", given_names=given, family_names=family
        )
    for name in people.get("adverse", ()):
        AdverseParty.objects.create(client=client, kind="perpetrator", name=name)
    return Case.objects.create(
        code=code,
        case_type=CaseType.DEFENSIVE_ASYLUM,
        client=client,
        placing_organization=organization,
    )


def _plant() -> tuple[set[tuple[str, int]], set[tuple[str, int]]]:
    """Earlier parties the checks must find, recorded through the services. For the ordinary
    case: its client without the second surname and without accents, its family member with b
    for v. For the common case: its family member as an adverse party, surnames first and
    spelled by ear (s for z, s for c)."""
    from amparo.conflicts.models import PartyType
    from amparo.conflicts.services import party_index_for_client
    from amparo.intake.models import AdverseParty, Client, FamilyMember

    client = Client.objects.create(
        given_names="Ofelia", family_names="Tobar", country_of_nationality="SV"
    )
    adverse = AdverseParty.objects.create(client=client, kind="abuser", name="Rigoberta Menjivar")
    common = AdverseParty.objects.create(
        client=client, kind="persecutor", name="Hernandes Garsia, Jose Luis"
    )
    other = Client.objects.create(
        given_names="Herminio", family_names="Cuéllar", country_of_nationality="HN"
    )
    member = FamilyMember.objects.create(
        client=other, relationship="sibling", given_names="Anselmo", family_names="Menjibar Ochoa"
    )
    party_index_for_client(client=client)
    party_index_for_client(client=other)
    return (
        {(PartyType.ADVERSE_PARTY, common.pk)},
        {(PartyType.ADVERSE_PARTY, adverse.pk), (PartyType.FAMILY_MEMBER, member.pk)},
    )


def _time_check(case: Any, runs: int) -> tuple[float, int, list[Any]]:
    from amparo.cases.models import CaseEvent
    from amparo.conflicts.services import conflict_check_case

    timings: list[float] = []
    hits: list[Any] = []
    for _ in range(runs):
        started = time.perf_counter()
        hits = conflict_check_case(case=case, actor=None)
        timings.append(time.perf_counter() - started)
    event = CaseEvent.objects.filter(case=case, kind="conflict_checked").last()
    candidates = int(event.data["candidates_scored"]) if event else 0
    return statistics.median(timings), candidates, hits


def _measure(cases: int, runs: int) -> dict[str, Any]:
    """Seed one program of `cases` cases and time both checks (in a child process)."""
    organization, tokens, seed_s = _seed(cases * 3, random.Random(SEED))
    common = _new_case(
        organization,
        "BENCH-COMMON",
        ("María José", "Hernández López"),
        family=[("José Luis", "Hernández García")],
        adverse=["Juan Carlos Martínez Flores"],
    )
    planted_common, planted_ordinary = _plant()
    ordinary = _new_case(
        organization,
        "BENCH-ORDINARY",
        ("Rigoberta", "Menjívar Saravia"),
        family=[("Anselmo", "Menjívar Ochoa")],
        adverse=["Cristóbal Iraheta Jovel"],
    )
    common_s, common_candidates, common_hits = _time_check(common, runs)
    ordinary_s, ordinary_candidates, ordinary_hits = _time_check(ordinary, runs)
    found = len({(h.matched_type, h.matched_id) for h in common_hits} & planted_common) + len(
        {(h.matched_type, h.matched_id) for h in ordinary_hits} & planted_ordinary
    )
    return {
        "cases": cases,
        "parties": cases * 3,
        "tokens": tokens,
        "seed_s": seed_s,
        "common_ms": common_s * 1000,
        "common_candidates": common_candidates,
        "common_hits": len(common_hits),
        "ordinary_ms": ordinary_s * 1000,
        "ordinary_candidates": ordinary_candidates,
        "found": found,
        "planted": len(planted_common) + len(planted_ordinary),
    }


def _worker(cases: int, runs: int, database_url: str) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-conflicts-") as var_dir:
        _configure(var_dir, database_url)
        result = _measure(cases, runs)
        from django.db import connections

        connections.close_all()
    print(json.dumps(result))


def _run_size(cases: int, runs: int, database: str) -> dict[str, Any] | None:
    url = ""
    if database == "postgres":
        if not seeded.server_execute(f"DROP DATABASE IF EXISTS {PG_DATABASE}"):
            return None
        seeded.server_execute(f"CREATE DATABASE {PG_DATABASE}")
        url = f"{PG_SERVER}/{PG_DATABASE}"
    try:
        command = [sys.executable, __file__, "--worker", str(cases), "--runs", str(runs)]
        if url:
            command += ["--database-url", url]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            print(done.stderr, file=sys.stderr)
            raise RuntimeError(f"{database}, {cases} cases: the worker failed")
        return dict(json.loads(done.stdout.strip().splitlines()[-1]))
    finally:
        if url:
            seeded.server_execute(f"DROP DATABASE IF EXISTS {PG_DATABASE}")


def _table(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| cases | parties | index rows | common-name check ms | candidates | hits "
        "| ordinary check ms | candidates | planted variants found |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['cases']:,} | {r['parties']:,} | {r['tokens']:,} | {r['common_ms']:.0f} "
            f"| {r['common_candidates']} | {r['common_hits']} | {r['ordinary_ms']:.0f} "
            f"| {r['ordinary_candidates']} | {r['found']}/{r['planted']} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help=f"cases (default {DEFAULT_SIZES})")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per check (default 5)")
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="sqlite")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--database-url", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        _worker(args.worker, args.runs, args.database_url)
        return
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    results: dict[str, list[dict[str, Any]]] = {}
    for database in databases:
        for cases in sizes:
            print(f"{database}: {cases:,} cases...", file=sys.stderr)
            result = _run_size(cases, args.runs, database)
            if result is None:
                print(f"{database}: not reachable, skipped", file=sys.stderr)
                break
            print(f"  {result}", file=sys.stderr)
            results.setdefault(database, []).append(result)
    print(
        "`conflict_check_case` of one new case (client, one family member, one adverse party) "
        "against every party on record, parties = 3 x cases, each size a fresh database seeded "
        "from a fixed seed with Zipf-weighted Latin American names; median of "
        f"{args.runs} checks per case (the first creates the hits, the rest re-run). "
        '"Common": all three people have very common names (María José Hernández López, '
        'José Luis Hernández García, Juan Carlos Martínez Flores); "ordinary": rarer names. '
        "Candidates = parties decrypted and scored; planted variants = spelling variants "
        "recorded earlier that the checks must find. Database: " + ", ".join(databases) + "."
    )
    goal_figures: list[str] = []
    met = True
    for database, rows in results.items():
        print()
        if len(results) > 1:
            print(f"{'SQLite' if database == 'sqlite' else 'PostgreSQL'}:")
            print()
        print(_table(rows))
        largest = max(rows, key=lambda r: r["parties"])
        worst = max(largest["common_ms"], largest["ordinary_ms"])
        met = met and largest["parties"] >= GOAL_PARTIES and worst < GOAL_MS
        met = met and all(r["found"] == r["planted"] for r in rows)
        goal_figures.append(
            f"{database}: {worst:.0f} ms at {largest['parties']:,} parties, "
            f"{sum(r['found'] for r in rows)}/{sum(r['planted'] for r in rows)} planted found"
        )
    if not results:
        goal_figures.append("no database reachable")
        met = False
    print()
    print(
        f"Goal: conflict check against {GOAL_PARTIES:,} parties under {GOAL_MS} ms "
        f"— {'met' if met else 'NOT met'} ({'; '.join(goal_figures)})"
    )


if __name__ == "__main__":
    main()
