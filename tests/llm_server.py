"""A real HTTP server on 127.0.0.1 that speaks the OpenAI chat-completions and Anthropic
messages protocols, answering from a script. The client side under test is the real SDK."""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    """One scripted answer. ``make``, when given, writes the content from the request's
    messages (a fooled planner that picks an element id from the screen data it was sent)."""

    content: str = ""
    delay: float = 0.0
    status: int = 200
    make: Callable[[list[dict[str, Any]]], str] | None = None


@dataclass
class ScriptedLLMServer:
    replies: deque[Reply] = field(default_factory=deque)
    requests: list[dict[str, Any]] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)

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
                if reply.make is not None:
                    reply = Reply(reply.make(body.get("messages", [])), reply.delay, reply.status)
                time.sleep(reply.delay)
                if reply.status != 200:
                    self._send(reply.status, {"error": {"message": "scripted failure"}})
                elif self.path.endswith("/messages"):
                    self._send(200, {
                        "id": "msg_1", "type": "message", "role": "assistant",
                        "model": body.get("model", "m"), "stop_reason": "end_turn",
                        "stop_sequence": None,
                        "content": [{"type": "text", "text": reply.content}],
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
                data = json.dumps(payload).encode()
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

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
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
