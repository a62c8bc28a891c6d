"""Helpers for the races: start N threads together (a Barrier), each on its own database
connection, collect what each one got, and close the connections so that fifty threads do not
exhaust PostgreSQL's max_connections for the rest of the suite."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection


def race(work: Callable[[Any], str], arguments: list[Any], *, timeout: float = 120) -> list[str]:
    """Run work(argument) in one thread per argument, all released at once; returns each
    thread's outcome (what work returned, or the unexpected exception's repr)."""
    barrier = threading.Barrier(len(arguments))
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(argument: Any) -> None:
        try:
            barrier.wait(timeout=timeout)
            outcome = work(argument)
        except Exception as error:  # an unexpected failure is an outcome the test reports
            outcome = f"error: {error!r}"
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(argument,)) for argument in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads), "a racer hung"
    return outcomes
