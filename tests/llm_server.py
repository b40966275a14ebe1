"""A real HTTP server on 127.0.0.1 that speaks the OpenAI chat-completions and Anthropic
messages protocols, answering from a script. The client side under test is the real SDK.

Besides text it answers with Anthropic ``tool_use`` blocks (the computer-use tool), can send
a body that is not JSON, and gives tests the pictures a request carried, decoded
(``images_of``), whichever protocol carried them."""

from __future__ import annotations

import base64
import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import cv2
import numpy as np


@dataclass
class Reply:
    """One scripted answer. ``make``, when given, writes the content from the request's
    messages (a fooled planner that picks an element id from the screen data it was sent)."""

    content: str = ""
    delay: float = 0.0
    status: int = 200
    make: Callable[[list[dict[str, Any]]], str] | None = None
    # Anthropic only: a ``tool_use`` block of the computer-use tool with this input
    # (``{"action": "left_click", "coordinate": [x, y]}``); ``make_tool`` writes it from
    # the request's messages.
    tool: dict[str, Any] | None = None
    make_tool: Callable[[list[dict[str, Any]]], dict[str, Any]] | None = None
    raw: bytes | None = None  # sent as the body as it is (a broken server)


@dataclass
class ScriptedLLMServer:
    replies: deque[Reply] = field(default_factory=deque)
    requests: list[dict[str, Any]] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    tool_ids: int = 0

    def __post_init__(self) -> None:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # keep test output clean
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                server.requests.append(body)
                server.paths.append(self.path)
                reply = server.replies.popleft() if server.replies else Reply('{"oops": 1}')
                messages = body.get("messages", [])
                if reply.make is not None:
                    reply = Reply(reply.make(messages), reply.delay, reply.status)
                if reply.make_tool is not None:
                    reply = Reply(reply.content, reply.delay, reply.status,
                                  tool=reply.make_tool(messages))  # fmt: skip
                time.sleep(reply.delay)
                if reply.raw is not None:
                    self._send_raw(200, reply.raw)
                elif reply.status != 200:
                    self._send(reply.status, {"error": {"message": "scripted failure"}})
                elif self.path.split("?")[0].endswith("/messages"):
                    content: list[dict[str, Any]] = []
                    if reply.content:
                        content.append({"type": "text", "text": reply.content})
                    if reply.tool is not None:
                        server.tool_ids += 1
                        content.append({"type": "tool_use", "id": f"toolu_{server.tool_ids}",
                                        "name": "computer", "input": reply.tool})  # fmt: skip
                    self._send(200, {
                        "id": "msg_1", "type": "message", "role": "assistant",
                        "model": body.get("model", "m"),
                        "stop_reason": "tool_use" if reply.tool is not None else "end_turn",
                        "stop_sequence": None, "content": content,
                        "usage": {"input_tokens": 1, "output_tokens": 1},
                    })  # fmt: skip
                elif body.get("stream"):
                    self._stream(reply.content, body.get("model", "m"))
                else:
                    self._send(200, {
                        "id": "c1", "object": "chat.completion", "created": 0,
                        "model": body.get("model", "m"),
                        "choices": [{"index": 0, "finish_reason": "stop",
                                     "message": {"role": "assistant", "content": reply.content}}],
                    })  # fmt: skip

            def _send(self, status: int, payload: dict[str, Any]) -> None:
                self._send_raw(status, json.dumps(payload).encode())

            def _send_raw(self, status: int, data: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _stream(self, content: str, model: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                pieces = [content[i : i + 7] for i in range(0, len(content), 7)]
                for i, piece in enumerate(pieces):
                    chunk = {
                        "id": "c1", "object": "chat.completion.chunk", "created": 0,
                        "model": model,
                        "choices": [{"index": 0, "delta": {"content": piece},
                                     "finish_reason": "stop" if i == len(pieces) - 1 else None}],
                    }  # fmt: skip
                    self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                    self.wfile.flush()
                self.wfile.write(b"data: [DONE]\n\n")

        class Server(ThreadingHTTPServer):
            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # a client that gave up (a timeout test) is not a server failure

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def script(self, *replies: Reply | str) -> None:
        self.replies.extend(r if isinstance(r, Reply) else Reply(r) for r in replies)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def decode_image(data: str) -> np.ndarray:
    """A base64 PNG or JPEG as BGR pixels."""
    raw = np.frombuffer(base64.b64decode(data), np.uint8)
    pixels = cv2.imdecode(raw, cv2.IMREAD_COLOR)
    assert pixels is not None, "the picture does not decode"
    return pixels


def _parts(content: Any) -> list[dict[str, Any]]:
    if isinstance(content, list):
        out: list[dict[str, Any]] = []
        for part in content:
            out.append(part)
            if part.get("type") == "tool_result":
                out += _parts(part.get("content", []))
        return out
    return [{"type": "text", "text": content}] if isinstance(content, str) else []


def images_of(request: dict[str, Any]) -> list[np.ndarray]:
    """Every picture in a request, decoded: OpenAI ``image_url`` data URLs and Anthropic
    base64 ``image`` blocks (inside ``tool_result`` blocks too)."""
    out = []
    for m in request.get("messages", []):
        for part in _parts(m.get("content")):
            if part.get("type") == "image_url":
                url = part["image_url"]["url"]
                assert url.startswith("data:image/"), url[:40]
                out.append(decode_image(url.split(",", 1)[1]))
            elif part.get("type") == "image":
                assert part["source"]["type"] == "base64"
                out.append(decode_image(part["source"]["data"]))
    return out


def texts_of(message: dict[str, Any]) -> list[str]:
    """The text parts of one message, in order (a string content is one part)."""
    return [p["text"] for p in _parts(message.get("content")) if p.get("type") == "text"]
