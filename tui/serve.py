"""`paperscope serve`: the browser in a web page, one app process per browser tab (textual-serve).

Anyone who can reach the port can use the browser and change the store, so it binds to loopback
unless told otherwise, and says so loudly when it is told otherwise.
"""

from __future__ import annotations

import ipaddress
import os
import shlex
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aiohttp import WSCloseCode, web
from textual_serve.server import Server

from store.library import Library


def is_loopback(host: str) -> bool:
    """True for `localhost`, 127.0.0.0/8 and ::1 (also written [::1] or as an IPv4-mapped address)."""
    host = host.strip().removeprefix("[").removesuffix("]")
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False  # any other name may resolve to anything
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback


def exposure_warning(host: str, port: int) -> str | None:
    """The line to print when the server is reachable from beyond this machine, else None."""
    if is_loopback(host):
        return None
    shown = host or "every interface"
    return (f"paperscope: warning: {shown} is not a loopback address: anyone who can reach it on port {port} "
            "can use the browser and change your store")


def url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host and not host.startswith("[") else f"http://{host}:{port}"


def browser_command(store_path: Path) -> str:
    """The shell command textual-serve runs per tab: this Python, this package, this store."""
    return shlex.join([sys.executable, "-m", "tui.cli", "--db", str(store_path.resolve())])


class PaperscopeServer(Server):
    """textual-serve's Server, with our startup line, page URLs that follow the address the
    browser used, and a prompt stop: its sessions are closed as soon as it is told to stop."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._sockets: set[web.WebSocketResponse] = set()

    async def _process_messages(self, websocket: web.WebSocketResponse, app_service: Any) -> None:
        # textual-serve's (1.1.3, pinned) loop over one tab's messages: while it runs, the tab is open.
        self._sockets.add(websocket)
        try:
            await super()._process_messages(websocket, app_service)
        finally:
            self._sockets.discard(websocket)

    async def on_shutdown(self, app: web.Application) -> None:
        # Closing a tab's socket ends its loop, and textual-serve then quits the tab's app. Left
        # open, aiohttp waits for them, and the server took ~20 s to stop after Ctrl+C or SIGTERM.
        for websocket in list(self._sockets):
            await websocket.close(code=WSCloseCode.GOING_AWAY, message=b"paperscope is stopping")

    async def on_startup(self, app: web.Application) -> None:
        print(f"paperscope: serving the browser on {self.public_url} (Ctrl+C stops)", flush=True)

    async def handle_index(self, request: web.Request) -> Any:
        # The page points its websocket and scripts at public_url: built from the bind address, it
        # would send a browser that came by another name (or to 0.0.0.0) somewhere else.
        self.public_url = f"{request.scheme}://{request.host}"
        return await super().handle_index(request)


def serve(host: str, port: int, store_path: Path | None, on_rebuild: Callable[[int, int], None] | None = None) -> int:
    """Serve until Ctrl+C; the store is opened (and seeded if empty) once here, so a bad one fails
    now (`on_rebuild`: see Library.open)."""
    if not 1 <= port <= 65535:
        print(f"paperscope: the port must be between 1 and 65535, not {port}", file=sys.stderr)
        return 2
    library = Library.open(store_path, on_rebuild=on_rebuild)
    if warning := exposure_warning(host, port):
        print(warning, file=sys.stderr)
    server = PaperscopeServer(browser_command(library.store_file.path), host=host, port=port,
                              title="paperscope", public_url=url(host, port))
    try:
        server.serve()
    except OSError as error:
        reason = os.strerror(error.errno) if error.errno else str(error)
        print(f"paperscope: cannot serve on {url(host, port)}: {reason}", file=sys.stderr)
        return 1
    return 0
