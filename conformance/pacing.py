"""Pacing: the suite stays under each target API's rate, however many processes send.

One limiter per target API (pyrate-limiter's sliding-window log). A run in one process keeps it
in memory; a run with workers (`--workers N`) keeps every API's limiter in one SQLite file of the
run, locked across processes, so the N workers together never exceed the API's rate.

The rate is spread out rather than allowed in bursts: up to 100 requests/s at most one request
per 1000/rate ms (a target that meters in windows shorter than a second sees the same pace);
above that, at most rate/10 requests per 100 ms.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from pyrate_limiter import InMemoryBucket, Limiter, Rate, SQLiteBucket


def rates_for(rate: float) -> list[Rate]:
    """At most `rate` requests in any one-second window, spread over the second."""
    if rate >= 100:
        return [Rate(max(1, math.floor(rate / 10)), 100)]
    return [Rate(1, math.ceil(1000 / rate))]


class Pacer:
    """Spaces one API's requests: `wait()` before each one returns when it may be sent."""

    def __init__(self, rate: float | None, *, api: str = "api", shared: Path | None = None) -> None:
        self.rate = rate
        self.key = re.sub(r"\W", "_", api)
        self._limiter: Limiter | None = None
        if not rate:
            return
        if shared is not None:
            # One table per API in the run's file; the file lock makes the workers take turns.
            bucket = SQLiteBucket.init_from_file(rates_for(rate), table=f"pace_{self.key}", db_path=str(shared),
                                                 use_file_lock=True)
        else:
            bucket = InMemoryBucket(rates_for(rate))
        # buffer_ms: the library's default adds 50 ms to every wait, which would halve a 20/s pace.
        self._limiter = Limiter(bucket, buffer_ms=1)

    def wait(self) -> None:
        if self._limiter is not None:
            self._limiter.try_acquire(self.key)
