"""What a step costs on the wire: every websocket frame and HTTP response, counted.

Used by the browser check of ``benchmarks/scale.py``: a :class:`Wire` listens on a
Playwright page, and :meth:`Wire.since` adds up what went between the server and
the browser after a mark (a key press). Each frame the server sends is one
Streamlit ``ForwardMsg`` (protobuf); it is decoded with Streamlit's own generated
classes and counted under what it carries: the element type of a new element
(``deck_gl_json_chart``, ``dataframe``, ``vega_lite_chart``, ``imgs``, …), a
reference to an element the browser already holds (``ref_hash``: Streamlit sends
an unchanged element of 10 kB or more as its hash), a block, or the message type
(``new_session``, ``script_finished``, …). The browser's own messages (``BackMsg``:
the widgets' values) are counted as one figure. HTTP responses during the step
(point files, images, component files) are counted with their headers, as the
browser reports them.

Sizes are payload bytes: the server does not compress websocket frames unless
``server.enableWebsocketCompression`` is on (it is off here), so they are also
what crosses the network, bar a few bytes of framing per message.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field


def kind_of(payload: bytes) -> str:
    """What one server message carries (see the module's docstring)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    try:
        message = ForwardMsg.FromString(payload)
    except Exception:  # noqa: BLE001 - a frame that is not a ForwardMsg
        return "undecoded"
    what = message.WhichOneof("type") or "empty"
    if what != "delta":
        return what
    delta = message.delta
    change = delta.WhichOneof("type") or "empty"
    if change == "new_element":
        return delta.new_element.WhichOneof("type") or "element"
    if change == "add_block":
        return "block"
    return change


@dataclass
class Frame:
    at: float
    size: int
    kind: str


@dataclass
class Wire:
    """Every websocket frame and HTTP response of one page, with its time."""

    down: list[Frame] = field(default_factory=list)  # server -> browser
    up: list[Frame] = field(default_factory=list)  # browser -> server
    requests: list[tuple[float, object]] = field(default_factory=list)

    def attach(self, page) -> Wire:
        page.on("websocket", self._socket)
        page.on("requestfinished", self._request)
        return self

    def _socket(self, socket) -> None:
        if "_stcore/stream" not in socket.url:
            return
        socket.on("framereceived", self._received)
        socket.on("framesent", self._sent)

    def _received(self, payload) -> None:
        data = payload.encode() if isinstance(payload, str) else payload
        self.down.append(Frame(time.perf_counter(), len(data), kind_of(data)))

    def _sent(self, payload) -> None:
        data = payload.encode() if isinstance(payload, str) else payload
        self.up.append(Frame(time.perf_counter(), len(data), "back_msg"))

    def _request(self, request) -> None:
        # Sizes are read later, outside Playwright's event handler.
        self.requests.append((time.perf_counter(), request))

    def mark(self) -> float:
        return time.perf_counter()

    def since(self, start: float, end: float | None = None) -> dict:
        """Bytes between two marks: totals, and the server's by what it carries."""
        end = time.perf_counter() if end is None else end
        by_kind: dict[str, int] = defaultdict(int)
        down = 0
        for frame in self.down:
            if start <= frame.at < end:
                by_kind[frame.kind] += frame.size
                down += frame.size
        up = sum(f.size for f in self.up if start <= f.at < end)
        http, http_paths = 0, defaultdict(int)
        for at, request in self.requests:
            if not start <= at < end:
                continue
            try:
                sizes = request.sizes()
                size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
            except Exception:  # noqa: BLE001 - a request the browser dropped
                continue
            http += size
            http_paths[_path_group(request.url)] += size
        return {
            "down_bytes": down,
            "up_bytes": up,
            "http_bytes": http,
            "total_bytes": down + up + http,
            "by_kind": dict(by_kind),
            "http_by_path": dict(http_paths),
        }


def _path_group(url: str) -> str:
    """A request's URL without its file name's hash: ``/media``, ``/app/static``…"""
    path = url.split("://", 1)[-1].split("/", 1)[-1].split("?", 1)[0]
    parts = path.split("/")
    return "/" + "/".join(parts[:2]) if len(parts) > 1 else "/" + path


# How the report names what a server message carries.
KIND_LABELS = {
    "dataframe": "table",
    "vega_lite_chart": "chart",
    "bidi_component": "scrubber",
    "deck_gl_json_chart": "map",
    "imgs": "image",
    "ref_hash": "unchanged elements (hash only)",
    "block": "layout blocks",
    "new_session": "session",
}


def label(kind: str) -> str:
    """A server message's kind as the report says it (``dataframe`` is "table")."""
    return KIND_LABELS.get(kind, kind.replace("_", " "))
