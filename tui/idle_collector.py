"""Full garbage collections while the user is idle, never between two keys.

Python starts a full collection whenever enough young ones have run. In the browser each walks the
widgets, strips and caches that outlived two young collections and frees the cycles among them:
20-100 ms at 100k papers, several times a minute while typing or paging, each a stall of one to
six frames. Young collections (a millisecond or two) go on as before; the full ones wait until no
key has come for a while.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

IDLE_S = 1.0  # no key for this long: the user is reading, a collection goes unnoticed
NEVER = 2**31 - 1  # young collections between two full ones: Python never gets there


class IdleCollector:
    def __init__(self, idle_s: float = IDLE_S, clock: Callable[[], float] = time.monotonic) -> None:
        self.idle_s = idle_s
        self._clock = clock
        self._last_input = clock()
        self._thresholds: tuple[int, int, int] | None = None

    def start(self) -> None:
        """Python's own full collections stop until :meth:`stop`."""
        young, middle, _ = self._thresholds = gc.get_threshold()
        gc.set_threshold(young, middle, NEVER)

    def stop(self) -> None:
        if self._thresholds is not None:
            gc.set_threshold(*self._thresholds)
            self._thresholds = None

    def input_arrived(self) -> None:
        self._last_input = self._clock()

    def collect_if_idle(self) -> bool:
        """Collect everything, if no input came for `idle_s` and objects have reached the oldest
        generation since the last full collection; whether it collected."""
        if self._clock() - self._last_input < self.idle_s or gc.get_count()[2] == 0:
            return False
        gc.collect()
        return True
