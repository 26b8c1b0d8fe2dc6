"""A scripted OpenAI-compatible chat server on 127.0.0.1, for tests, benchmarks and offline demos.

Why a real HTTP server and not a mock: the agent's failure handling lives in the path a mock
skips — the ``openai`` SDK's status-code mapping, timeouts on a socket that stays silent, the
``Retry-After`` headers, MLflow's autolog patching of the SDK. A server that speaks the wire
format exercises all of it, and so does a separate ``mle-track`` process pointed at its URL.

The server answers ``POST /v1/chat/completions`` from a queue of :class:`Reply` objects, in
order; each can be a normal reply (text and/or one tool call), an HTTP error, or a slow answer.
When the queue is empty it asks ``fallback`` (a function of the request body), else answers
500. Every request is recorded (body and headers) so tests can check what the client sent.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

HOST = "127.0.0.1"
RequestKind = Literal["chat", "tool"]


@dataclass(frozen=True)
class Reply:
    """One scripted answer. ``expect`` guards the script's order: a ``tool`` reply answers only
    a request that offers tools (the feedback call), a ``chat`` reply only one that does not."""

    content: str | None = None
    #: arguments of a call to the first tool the request offers: a dict, or raw (maybe bad) JSON
    tool_args: dict[str, Any] | str | None = None
    status: int = 200
    error: str = "scripted error"
    delay_s: float = 0.0
    retry_after_s: float | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    expect: RequestKind | None = None


Responder = Callable[[dict[str, Any]], Reply]


@dataclass
class Recorded:
    body: dict[str, Any]
    headers: dict[str, str]
    kind: RequestKind
    status: int = 0


def request_kind(body: dict[str, Any]) -> RequestKind:
    return "tool" if body.get("tools") else "chat"


def message_text(body: dict[str, Any]) -> str:
    """All message contents of a request, joined (for responders that read the prompt)."""
    parts = []
    for message in body.get("messages") or []:
        content = message.get("content")
        if isinstance(content, str):
            parts.append(content)
        elif isinstance(content, list):
            parts += [str(p.get("text", "")) for p in content if isinstance(p, dict)]
    return "\n".join(parts)


@dataclass
class ScriptedLLM:
    """The server. Use as a context manager, or ``start()`` / ``stop()``."""

    replies: Iterable[Reply] = ()
    fallback: Responder | None = None
    requests: list[Recorded] = field(default_factory=list)
    #: requests that met a reply expecting the other kind (a script out of step with the agent)
    mismatches: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._queue: deque[Reply] = deque(self.replies)
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The ``base_url`` for the ``openai`` client."""
        if self._server is None:
            raise RuntimeError("the scripted server is not started")
        return f"http://{HOST}:{self._server.server_address[1]}/v1"

    def push(self, *replies: Reply) -> None:
        with self._lock:
            self._queue.extend(replies)

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._queue)

    def start(self) -> ScriptedLLM:
        server = ThreadingHTTPServer((HOST, 0), _handler_for(self))
        server.daemon_threads = True
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> ScriptedLLM:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def next_reply(self, body: dict[str, Any], headers: dict[str, str]) -> Reply:
        """The reply to a request (recorded with the status it gets)."""
        kind = request_kind(body)
        record = Recorded(body, headers, kind)
        with self._lock:
            self.requests.append(record)
            number = len(self.requests)
            reply = self._queue.popleft() if self._queue else None
        if reply is None:
            if self.fallback is not None:
                try:
                    reply = self.fallback(body)
                except Exception as exc:  # a broken responder answers, rather than hanging up
                    reply = Reply(status=500, error=f"the responder failed: {exc!r}")
            else:
                reply = Reply(status=500, error="the scripted server has no reply left")
        elif reply.expect is not None and reply.expect != kind:
            note = f"request {number} is a {kind} request; the script expected {reply.expect}"
            self.mismatches.append(note)
            reply = Reply(status=400, error=note)
        record.status = reply.status
        return reply


def completion(body: dict[str, Any], reply: Reply, number: int) -> dict[str, Any]:
    """The ``chat.completion`` object for a reply (token counts ~ characters / 4 by default)."""
    message: dict[str, Any] = {"role": "assistant", "content": reply.content}
    finish = "stop"
    if reply.tool_args is not None:
        tools = body.get("tools") or [{"function": {"name": "tool"}}]
        args = reply.tool_args
        message["tool_calls"] = [
            {
                "id": f"call_{number}",
                "type": "function",
                "function": {
                    "name": tools[0]["function"]["name"],
                    "arguments": args if isinstance(args, str) else json.dumps(args),
                },
            }
        ]
        finish = "tool_calls"
    prompt = reply.prompt_tokens
    if prompt is None:
        prompt = max(1, len(message_text(body)) // 4)
    out = reply.completion_tokens
    if out is None:
        produced = (reply.content or "") + json.dumps(reply.tool_args or "")
        out = max(1, len(produced) // 4)
    return {
        "id": f"chatcmpl-scripted-{number}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": str(body.get("model", "scripted")),
        "choices": [{"index": 0, "message": message, "finish_reason": finish}],
        "usage": {"prompt_tokens": prompt, "completion_tokens": out, "total_tokens": prompt + out},
    }


def _handler_for(llm: ScriptedLLM) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            return

        def do_GET(self) -> None:
            if self.path.rstrip("/").endswith("/models"):
                self._send(200, {"object": "list", "data": [{"id": "scripted"}]})
            else:
                self._send(404, {"error": {"message": "not found", "type": "not_found"}})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            if not self.path.rstrip("/").endswith("/chat/completions"):
                self._send(404, {"error": {"message": f"no route {self.path}"}})
                return
            try:
                body = json.loads(raw or b"{}")
            except json.JSONDecodeError:
                self._send(400, {"error": {"message": "request body is not JSON"}})
                return
            headers = {k.lower(): v for k, v in self.headers.items()}
            reply = llm.next_reply(body, headers)
            if reply.delay_s:
                time.sleep(reply.delay_s)
            extra = {}
            if reply.retry_after_s is not None:
                extra["retry-after-ms"] = str(int(reply.retry_after_s * 1000))
                extra["retry-after"] = f"{reply.retry_after_s:g}"
            if reply.status != 200:
                error = {"message": reply.error, "type": "scripted", "code": str(reply.status)}
                self._send(reply.status, {"error": error}, extra)
            else:
                self._send(200, completion(body, reply, len(llm.requests)), extra)

        def _send(
            self, status: int, payload: dict[str, Any], extra: dict[str, str] | None = None
        ) -> None:
            data = json.dumps(payload).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for key, value in (extra or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout): nothing to answer

    return Handler
