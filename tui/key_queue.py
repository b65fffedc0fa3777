"""Keys handled one at a time: each is read only once the one before it has been handled.

Textual hands a key to the focused widget's queue and reads the next key at once; the key's
bindings are looked up when it has bubbled back up to the app. So keys that arrive together (a
slow link, a paste, a moment the app was busy) go where the focus was when they arrived, not
where the keys before them moved it: after Escape in the search box the next letters still land
in the box, after Enter on a researcher they filter the researchers (Textual's issue #1009).

Here a key is held until the one before it has passed, twice, through each widget on its way
from the focused one up to the app: the first pass carries the key itself and its bindings, the
second the messages they sent along the same way (a list's Selected, a box's Submitted), whose
handlers move the focus. Keys that arrive one by one are never held.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Awaitable, Callable

from textual import events
from textual.app import App
from textual.message_pump import MessagePump

PASSES = 2
STUCK_S = 1.0  # a key still not through after this long (its widget went away) lets the next go


class KeyQueue:
    def __init__(self, app: App[object], dispatch: Callable[[events.Key], Awaitable[None]]) -> None:
        """`dispatch` hands a key to the app as Textual would (`App.on_event`)."""
        self._app = app
        self._dispatch = dispatch
        self._held: deque[events.Key] = deque()
        self._sent_at: float | None = None  # when the key being handled was read; None: no key is

    async def key_arrived(self, key: events.Key) -> None:
        if self._sent_at is not None and time.monotonic() - self._sent_at < STUCK_S:
            self._held.append(key)
            return
        self._held.append(key)
        await self._send_next()

    async def _send_next(self) -> None:
        if not self._held:
            self._sent_at = None
            return
        key = self._held.popleft()
        self._sent_at = time.monotonic()
        target = self._app.focused or self._app.screen
        await self._dispatch(key)
        if key.is_forwarded:  # sent to the focused widget, to bubble up from there
            self._follow(target, target, PASSES)
        else:  # a priority binding took it, here and now
            await self._send_next()

    def _follow(self, node: MessagePump, start: MessagePump, passes: int) -> None:
        """Once `node` has handled what it was sent so far, go on to its parent; from the app,
        start the next pass or send the next key."""

        def handled() -> None:
            parent = node.parent if node is not self._app else None  # type: ignore[attr-defined]
            if parent is not None:
                self._follow(parent, start, passes)
            elif passes > 1:
                self._follow(start, start, passes - 1)
            else:
                self._app.call_later(self._send_next)

        if not node.call_later(handled):  # the widget is going away: nothing more will come up
            self._app.call_later(self._send_next)
