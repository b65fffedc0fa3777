"""Keys (and pastes) handled one at a time: each is read only once the one before it has been.

Textual hands a key to the focused widget's queue and reads the next key at once; the key's
bindings are looked up when it has bubbled back up to the app. So keys that arrive together (a
slow link, a paste, a moment the app was busy) go where the focus was when they arrived, not
where the keys before them moved it: after Escape in the search box the next letters still land
in the box, after Enter on a researcher they filter the researchers (Textual's issue #1009).

Here a key is held until the one before it has passed, twice, through each widget on its way
from the focused one up to the app: the first pass carries the key itself and its bindings, the
second the messages they sent along the same way (a list's Selected, a box's Submitted), whose
handlers move the focus. Keys that arrive one by one are never held. A key taken by a priority
binding is handled before the next is read, so those bindings move the focus at once
(`Screen.set_focus`, not `Widget.focus`, which waits its turn in the app's queue).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Awaitable, Callable

from textual import events
from textual.app import App
from textual.message_pump import MessagePump

PASSES = 2
# A widget the queue waits on that stops running lets the next key go at once; this is the
# last resort if one ever stops answering while it runs (none has been seen to).
STUCK_S = 5.0

Typed = events.Key | events.Paste


class KeyQueue:
    def __init__(self, app: App[object], dispatch: Callable[[Typed], Awaitable[None]]) -> None:
        """`dispatch` hands a key or a paste to the app as Textual would (`App.on_event`)."""
        self._app = app
        self._dispatch = dispatch
        self._held: deque[Typed] = deque()
        self._sending = 0  # bumped for each key sent: a chain left behind for a newer one stops
        self._waiting_on: MessagePump | None = None  # what the key being handled waits on, if any
        self._progress_at = 0.0  # when it last moved on

    async def typed(self, event: Typed) -> None:
        self._held.append(event)
        if self._waiting_on is None or self._stuck():
            await self._send_held()

    def _stuck(self) -> bool:
        waiting_on = self._waiting_on
        return waiting_on is not None and (
            not waiting_on.is_running or time.monotonic() - self._progress_at > STUCK_S
        )

    async def _send_held(self) -> None:
        """Send held keys until one is on its way up from a widget (or none is left)."""
        self._waiting_on = None
        while self._held:
            event = self._held.popleft()
            self._sending += 1
            target = self._app.focused or self._app.screen
            await self._dispatch(event)
            if event.is_forwarded:  # sent to the focused widget, to bubble up from there
                self._follow(target, target, PASSES, self._sending)
                return
            # else a priority binding took it, here and now: on to the next

    def _follow(self, node: MessagePump, start: MessagePump, passes: int, sending: int) -> None:
        """Once `node` has handled what it was sent so far, go on to its parent; from the app,
        start the next pass or send the next key."""
        self._waiting_on, self._progress_at = node, time.monotonic()

        def handled() -> None:
            if sending != self._sending:
                return  # given up on (see _stuck): a newer key is on its way
            parent = node.parent if node is not self._app else None  # type: ignore[attr-defined]
            if parent is not None:
                self._follow(parent, start, passes, sending)
            elif passes > 1:
                self._follow(start, start, passes - 1, sending)
            else:
                self._app.call_later(self._send_next, sending)

        if not node.call_later(handled):  # the widget is going away: nothing more will come up
            self._app.call_later(self._send_next, sending)

    async def _send_next(self, sending: int) -> None:
        if sending == self._sending:  # else given up on, and a newer key is on its way
            await self._send_held()
