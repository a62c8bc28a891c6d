"""Benchmark the conflict check on a full-size program: 100,000 cases, 300,000 parties.

Run: ``.venv/bin/python bench/bench_conflicts.py [--parties N] [--runs R]``. Not a test.

Set-up (not timed beyond the one "seed" figure): a fresh SQLite file in a temporary directory
(its own AMPARO_VAR_DIR, DJANGO_DEBUG=1 for the development keys), migrated; then N/3 clients,
each with one family member, one adverse party and one case, all as real encrypted rows (so every
candidate the check decrypts is a real Fernet token), and the blind index of all N parties
written straight with ``executemany`` from the same tokens and keyed hashes the services use.
Names are drawn from a fixed seed with a Zipf-like weight over common Latin American given names
and surnames, so common names (María, Hernández) are as common as they are in real intake.

Timed: ``conflict_check_case`` on two new cases, median of R runs each (the first run creates the
hits; the others are what a coordinator's "run again" does): one whose people all have very
common names (the worst case for the candidate set: hundreds of people on record share them) and
one with ordinary names, for which two spelling variants were planted (recorded through the
services) that the check must find. Prints one line.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if importlib.util.find_spec("amparo") is None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

SEED = 20260105


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


def _configure(var_dir: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "amparo.config.settings"
    os.environ["DJANGO_DEBUG"] = "1"
    os.environ["AMPARO_VAR_DIR"] = var_dir
    os.environ.pop("DATABASE_URL", None)  # always its own SQLite file
    import django

    django.setup()


def _seed(parties: int, rng: random.Random) -> tuple[Any, int, float]:
    from django.core.management import call_command
    from django.db import connection, transaction

    from amparo.cases.models import Case, CaseType
    from amparo.conflicts.domain.names import part_tokens, prepare_name
    from amparo.conflicts.models import PartyNameToken, PartyType
    from amparo.conflicts.services.indexing import Hasher
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
    token_memo: dict[str, tuple[int, int, list[str]]] = {}

    def token_rows(party_type: str, party_id: int, client_id: int, name: str) -> list[tuple]:
        cached = token_memo.get(name)
        if cached is None:
            prepared = prepare_name(name)
            hashes = sorted({hasher(t) for group in part_tokens(prepared) for t in group})
            cached = token_memo[name] = (len(prepared.parts), prepared.initials, hashes)
        part_count, initials, hashes = cached
        return [(party_type, party_id, client_id, part_count, initials, h) for h in hashes]

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
                rows += token_rows(PartyType.CLIENT, client.pk, client.pk, client.full_name)
            for member in members:
                rows += token_rows(
                    PartyType.FAMILY_MEMBER, member.pk, member.client_id, member.full_name
                )
            for party in adverse:
                rows += token_rows(PartyType.ADVERSE_PARTY, party.pk, party.client_id, party.name)
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


def _plant(organization: Any) -> set[tuple[str, int]]:
    """Two earlier parties the ordinary case must find: its client recorded without the second
    surname and without accents, and its family member with b for v."""
    from amparo.conflicts.models import PartyType
    from amparo.conflicts.services import party_index_for_client
    from amparo.intake.models import AdverseParty, Client, FamilyMember

    client = Client.objects.create(
        given_names="Ofelia", family_names="Tobar", country_of_nationality="SV"
    )
    adverse = AdverseParty.objects.create(client=client, kind="abuser", name="Rigoberta Menjivar")
    other = Client.objects.create(
        given_names="Herminio", family_names="Cuéllar", country_of_nationality="HN"
    )
    member = FamilyMember.objects.create(
        client=other, relationship="sibling", given_names="Anselmo", family_names="Menjibar Ochoa"
    )
    party_index_for_client(client=client)
    party_index_for_client(client=other)
    return {(PartyType.ADVERSE_PARTY, adverse.pk), (PartyType.FAMILY_MEMBER, member.pk)}


def _time_check(case: Any, runs: int) -> tuple[float, float, int, list[Any]]:
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
    return timings[0], statistics.median(timings), candidates, hits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--parties", type=int, default=300_000, help="default 300000")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per case (default 5)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-conflicts-") as var_dir:
        _configure(var_dir)
        rng = random.Random(SEED)
        organization, tokens, seed_s = _seed(args.parties, rng)
        common = _new_case(
            organization,
            "BENCH-COMMON",
            ("María José", "Hernández López"),
            family=[("José Luis", "Hernández García")],
            adverse=["Juan Carlos Martínez Flores"],
        )
        planted = _plant(organization)
        ordinary = _new_case(
            organization,
            "BENCH-ORDINARY",
            ("Rigoberta", "Menjívar Saravia"),
            family=[("Anselmo", "Menjívar Ochoa")],
            adverse=["Cristóbal Iraheta Jovel"],
        )
        common_first, common_s, common_candidates, common_hits = _time_check(common, args.runs)
        ordinary_first, ordinary_s, ordinary_candidates, ordinary_hits = _time_check(
            ordinary, args.runs
        )
        found = {(h.matched_type, h.matched_id) for h in ordinary_hits} & planted
    print(
        f"bench_conflicts: {args.parties} parties ({args.parties // 3} cases, {tokens:,} index "
        f"tokens, seeded in {seed_s:.0f} s); conflict_check_case median of {args.runs} "
        f"(first run): very common names {common_s * 1000:.0f} ms "
        f"({common_first * 1000:.0f} ms; {common_candidates} candidates decrypted, "
        f"{len(common_hits)} hits), ordinary names {ordinary_s * 1000:.0f} ms "
        f"({ordinary_first * 1000:.0f} ms; {ordinary_candidates} candidates, "
        f"{len(ordinary_hits)} hits, {len(found)}/{len(planted)} planted variants found)"
    )


if __name__ == "__main__":
    main()
