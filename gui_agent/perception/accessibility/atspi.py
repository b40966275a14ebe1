"""Linux: the AT-SPI2 tree, read over D-Bus with ``jeepney``.

Why jeepney: it is pure Python and already installed (keyring depends on it), so reading the
tree needs nothing built and no system ``gi`` inside the virtual environment, which is what
``python3-pyatspi`` would need. ``dbus-fast`` would add a dependency and an event loop for no
gain: one blocking connection with pipelined calls is fast enough.

Why pipelined: a GTK dialog has ~100 accessible objects and each property is one D-Bus call.
Sent one by one that is hundreds of round trips; here every call of one tree level is
written at once and the replies collected by serial, so a read costs one round trip per tree
level. The bound is a deadline: what was not read by then is left out and the snapshot says
it is incomplete (the next frame tries again); a hung app never holds a step.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace

from jeepney import DBusAddress, HeaderFields, MessageType, new_method_call
from jeepney.io.blocking import DBusConnection, open_dbus_connection
from jeepney.low_level import Message

from gui_agent.geometry import Rect
from gui_agent.perception.accessibility.nodes import A11yNode, A11ySnapshot
from gui_agent.perception.accessibility.roles import kind_of, state_names
from gui_agent.perception.state import ElementKind

_ACCESSIBLE = "org.a11y.atspi.Accessible"
_COMPONENT = "org.a11y.atspi.Component"
_TEXT = "org.a11y.atspi.Text"
_ACTION = "org.a11y.atspi.Action"
_PROPS = "org.freedesktop.DBus.Properties"
_SCREEN = 0  # ATSPI_COORD_TYPE_SCREEN
# Trees deeper than this are pathological (or cyclic); nothing clickable lives that deep.
_MAX_DEPTH = 40
_MAX_NODES = 5000


class _Gone(Exception):
    """The bus or the app went away mid-read."""


@dataclass(slots=True)
class _Raw:
    bus: str
    path: str
    depth: int
    role: str = ""
    name: str = ""
    states: frozenset[str] = frozenset()
    children: tuple[tuple[str, str], ...] = ()


class AtspiSource:
    """Reads the AT-SPI tree of every application registered on the accessibility bus.

    ``session_bus``: the D-Bus session bus address (default ``$DBUS_SESSION_BUS_ADDRESS``);
    the accessibility bus is asked of it (``org.a11y.Bus.GetAddress``). The connection is
    kept between reads and reopened after a failure.
    """

    def __init__(self, session_bus: str | None = None) -> None:
        self.session_bus = session_bus or os.environ.get("DBUS_SESSION_BUS_ADDRESS", "")
        self._conn: DBusConnection | None = None

    # -- connection -----------------------------------------------------------------------

    def _connect(self, deadline: float) -> DBusConnection:
        if self._conn is not None:
            return self._conn
        if not self.session_bus:
            raise _Gone("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)")
        timeout = max(0.05, deadline - time.monotonic())
        try:
            session = open_dbus_connection(bus=self.session_bus, auth_timeout=timeout)
        except (OSError, ValueError) as exc:
            raise _Gone(f"cannot reach the D-Bus session bus: {exc}") from exc
        try:
            bus = DBusAddress("/org/a11y/bus", bus_name="org.a11y.Bus", interface="org.a11y.Bus")
            reply = session.send_and_get_reply(
                new_method_call(bus, "GetAddress"), timeout=max(0.05, deadline - time.monotonic())
            )
        except (OSError, TimeoutError) as exc:
            raise _Gone(f"the accessibility bus launcher did not answer: {exc}") from exc
        finally:
            session.close()
        if reply.header.message_type is MessageType.error:
            raise _Gone(f"no accessibility bus: {reply.body[0] if reply.body else 'error'}")
        address = str(reply.body[0])
        try:
            self._conn = open_dbus_connection(
                bus=address, auth_timeout=max(0.05, deadline - time.monotonic())
            )
        except (OSError, ValueError) as exc:
            raise _Gone(f"cannot reach the accessibility bus: {exc}") from exc
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    # -- pipelined calls ------------------------------------------------------------------

    def _calls(self, conn: DBusConnection, msgs: list[Message], deadline: float
               ) -> list[Message | None]:  # fmt: skip
        """Send all, collect the replies in order; None for an error reply or a timeout."""
        serials = []
        for m in msgs:
            serial = next(conn.outgoing_serial)
            conn.send(m, serial=serial)
            serials.append(serial)
        want = {s: i for i, s in enumerate(serials)}
        out: list[Message | None] = [None] * len(msgs)
        left = len(msgs)
        while left:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            try:
                msg = conn.receive(timeout=remaining)
            except TimeoutError:
                break
            except OSError as exc:
                raise _Gone(f"the accessibility bus closed: {exc}") from exc
            i = want.pop(msg.header.fields.get(HeaderFields.reply_serial, -1), None)
            if i is None:
                continue  # a signal or a late reply to an abandoned read
            left -= 1
            if msg.header.message_type is MessageType.method_return:
                out[i] = msg
        return out

    # -- the read -------------------------------------------------------------------------

    def read(self, budget: float = 0.15) -> A11ySnapshot:
        start = time.monotonic()
        deadline = start + budget
        snap = A11ySnapshot()
        try:
            conn = self._connect(deadline)
            snap.nodes, snap.apps, snap.complete = self._read(conn, deadline)
        except _Gone as exc:
            self.close()
            snap.error, snap.complete = str(exc), False
        snap.seconds = time.monotonic() - start
        return snap

    def refresh(self, nodes: list[A11yNode], budget: float = 0.15) -> A11ySnapshot:
        """Two round trips for any number of nodes: describe them, then their boxes."""
        start = time.monotonic()
        deadline = start + budget
        snap = A11ySnapshot()
        raws = [_Raw(n.app, n.path, 1) for n in nodes if n.app and n.path]
        try:
            conn = self._connect(deadline)
            if raws:
                self._describe(conn, raws, deadline)
                showing = [r for r in raws if "showing" in r.states and r.role]
                snap.nodes = self._nodes(conn, showing, deadline)
            snap.apps = sorted({r.bus for r in raws})
            snap.complete = time.monotonic() < deadline
        except _Gone as exc:
            self.close()
            snap.error, snap.complete = str(exc), False
        snap.seconds = time.monotonic() - start
        return snap

    def _read(self, conn: DBusConnection, deadline: float
              ) -> tuple[list[A11yNode], list[str], bool]:  # fmt: skip
        root = DBusAddress(
            "/org/a11y/atspi/accessible/root",
            bus_name="org.a11y.atspi.Registry",
            interface=_ACCESSIBLE,
        )
        (reply,) = self._calls(conn, [new_method_call(root, "GetChildren")], deadline)
        if reply is None:
            raise _Gone("the accessibility registry did not answer in time")
        apps = [(str(b), str(p)) for b, p in reply.body[0]]
        level = [_Raw(b, p, 0) for b, p in apps]
        kept: list[_Raw] = []
        app_names: list[str] = []
        complete = True
        seen = 0
        while level:
            if time.monotonic() >= deadline or seen > _MAX_NODES:
                complete = False
                break
            self._describe(conn, level, deadline)
            nxt: list[_Raw] = []
            for raw in level:
                if raw.depth == 0:
                    app_names.append(raw.name or raw.bus)
                elif "showing" not in raw.states:
                    continue  # a hidden window or widget: nothing under it is on screen
                kept.append(raw)
                if raw.depth < _MAX_DEPTH:
                    nxt.extend(_Raw(b, p, raw.depth + 1) for b, p in raw.children)
            seen += len(level)
            level = nxt
        nodes = self._nodes(conn, [r for r in kept if r.depth > 0], deadline)
        return nodes, app_names, complete and time.monotonic() < deadline

    def _describe(self, conn: DBusConnection, level: list[_Raw], deadline: float) -> None:
        msgs: list[Message] = []
        for raw in level:
            acc = DBusAddress(raw.path, bus_name=raw.bus, interface=_ACCESSIBLE)
            props = DBusAddress(raw.path, bus_name=raw.bus, interface=_PROPS)
            msgs += [
                new_method_call(acc, "GetRoleName"),
                new_method_call(acc, "GetState"),
                new_method_call(acc, "GetChildren"),
                new_method_call(props, "Get", "ss", (_ACCESSIBLE, "Name")),
            ]
        replies = self._calls(conn, msgs, deadline)
        for k, raw in enumerate(level):
            role, state, kids, name = replies[4 * k : 4 * k + 4]
            raw.role = str(role.body[0]) if role else ""
            raw.states = state_names(list(state.body[0])) if state else frozenset()
            raw.children = tuple((str(b), str(p)) for b, p in kids.body[0]) if kids else ()
            raw.name = str(name.body[0][1]) if name else ""

    def _nodes(self, conn: DBusConnection, raws: Iterable[_Raw], deadline: float
               ) -> list[A11yNode]:  # fmt: skip
        """Boxes for the nodes we keep, with an editable text's content and what a nameless
        table cell does (a check column's cells say "toggle"), in one pipelined batch."""
        wanted = []
        for raw in raws:
            kind = kind_of(raw.role, raw.states)
            if kind is not None:
                wanted.append((raw, kind))
        msgs: list[Message] = []
        extra: list[str] = []
        for r, kind in wanted:
            msgs.append(new_method_call(
                DBusAddress(r.path, bus_name=r.bus, interface=_COMPONENT),
                "GetExtents", "u", (_SCREEN,),
            ))  # fmt: skip
            if kind is ElementKind.FIELD or r.role == "text":
                msgs.append(new_method_call(
                    DBusAddress(r.path, bus_name=r.bus, interface=_TEXT), "GetText", "ii", (0, -1)
                ))  # fmt: skip
                extra.append("text")
            elif r.role == "table cell" and not r.name:
                msgs.append(new_method_call(
                    DBusAddress(r.path, bus_name=r.bus, interface=_ACTION), "GetActions"
                ))  # fmt: skip
                extra.append("actions")
            else:
                extra.append("")
        replies = iter(self._calls(conn, msgs, deadline))
        out: list[A11yNode] = []
        for (raw, kind), more in zip(wanted, extra, strict=True):
            reply = next(replies)
            also = next(replies) if more else None
            if reply is None:
                continue
            x, y, w, h = (int(v) for v in reply.body[0])
            if w <= 0 or h <= 0:
                continue
            states, value = raw.states, ""
            if raw.role == "password text":
                states = states | {"secret"}
            elif more == "text" and also is not None:
                value = str(also.body[0])
            elif more == "actions" and also is not None and _toggles(also):
                kind, states = ElementKind.CHECKBOX, states | {"checkable"}
            out.append(A11yNode(raw.role, kind, raw.name.strip(), Rect(x, y, w, h), states,
                                value=value if "secret" not in states else "",
                                app=raw.bus, path=raw.path))  # fmt: skip
        return _name_toggle_cells(out)


def _toggles(actions: Message) -> bool:
    return any(str(a[0]).lower() == "toggle" for a in actions.body[0])


def _name_toggle_cells(nodes: list[A11yNode]) -> list[A11yNode]:
    """A check column's cell has no name of its own: it is the row's, read from the nearest
    named cell to its right on the same row."""
    out = []
    for n in nodes:
        if n.role == "table cell" and n.kind is ElementKind.CHECKBOX and not n.name:
            row = [
                m for m in nodes
                if m.role == "table cell" and m.name and m.box.x >= n.box.right - 2
                and abs(m.box.cy - n.box.cy) <= n.box.h / 2
            ]  # fmt: skip
            if row:
                n = replace(n, name=min(row, key=lambda m: m.box.x).name)
        out.append(n)
    return out
