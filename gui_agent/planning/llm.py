"""LLM planners: OpenAI-compatible servers (OpenAI, Ollama, llama.cpp, vLLM, LM Studio) and
Anthropic, through their official SDKs.

The model's reply is untrusted too: it must parse as JSON, validate against the action schema,
and name only elements that exist on the current screen. An invalid reply is sent back with
the validation error for another try; after a few failures the planner fails cleanly with the
last error, and nothing is executed.
"""

from __future__ import annotations

import json
import math
import os
import time
from collections.abc import Sequence
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from gui_agent.errors import GuiAgentError
from gui_agent.geometry import ImageBudget
from gui_agent.perception.state import ScreenState
from gui_agent.planning.actions import Action, targets_of
from gui_agent.planning.marks import PictureCache
from gui_agent.planning.prompt import ImagePart, Message, PlannerContext, build_messages

#: Sizes each protocol takes without resizing again (which would shift what the model sees):
#: OpenAI's high-detail tiles fit the short side to 768; Anthropic's long edge is 1568 px and
#: about 1.15 megapixels.
OPENAI_IMAGE_BUDGET = ImageBudget(max_side=2048, max_short=768, max_pixels=0)
ANTHROPIC_IMAGE_BUDGET = ImageBudget(max_side=1568, max_short=0, max_pixels=1_150_000)

# Model names that take pictures, for ``images = "auto"`` on OpenAI-compatible servers (a
# text-only model answers a picture with HTTP 400; `gui-agent doctor` probes for certain).
_VISION_HINTS = ("gpt-4o", "gpt-4.1", "gpt-5", "o3", "o4", "vision", "-vl", "vl-", "llava",
                 "bakllava", "moondream", "minicpm-v", "pixtral", "gemini", "gemma3", "claude",
                 "ui-tars", "uitars", "qwen2.5vl", "qwen2.5-vl", "qwen3-vl", "internvl",
                 "molmo", "llama4", "mistral-small3", "grok-2-vision", "os-atlas")  # fmt: skip


def takes_images(provider: str, model: str, setting: str = "auto") -> bool:
    """Whether a planner for ``provider``/``model`` sends pictures: ``on``/``off`` decide; with
    ``auto`` every Claude model does, and an OpenAI-compatible model does when its name is a
    known multimodal family (gpt-4o and later, Qwen2.5-VL, llava, Gemini, ...)."""
    if setting in ("on", "off"):
        return setting == "on"
    if provider == "anthropic":
        return True
    if provider != "openai":
        return False
    name = (model or "gpt-4o-mini").lower()
    return any(hint in name for hint in _VISION_HINTS)


class PlannerError(GuiAgentError):
    """The planner could not produce a valid action (server down, timeouts, invalid replies)."""


class PlannerReply(BaseModel):
    """What the model must answer: its short plan, why, and the one next action."""

    model_config = ConfigDict(extra="ignore")
    plan: list[str] = Field(default_factory=list, max_length=8)
    reason: str = ""
    action: Action


def reply_schema() -> dict[str, Any]:
    return PlannerReply.model_json_schema()


class ChatClient(Protocol):
    def complete(self, messages: Sequence[Message], schema: dict[str, Any]) -> str: ...


class _BadNumber(ValueError):
    """A number in the reply is NaN, infinite, or too large to read."""


def _extract_json(text: str) -> Any:
    """Models like to wrap JSON in a code fence or a sentence; take the outermost object.
    String slicing, not a regular expression: a fence pattern backtracks for minutes over a
    long reply of blanks."""
    text = text.strip()
    if len(text) >= 6 and text.startswith("```") and text.endswith("```"):
        text = text[3:-3].removeprefix("json").strip()
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end <= start:
        raise ValueError("the reply contains no JSON object")
    try:
        return json.loads(text[start : end + 1], parse_constant=_no_constant, parse_float=_finite)
    except (json.JSONDecodeError, _BadNumber):
        raise
    except ValueError:  # json refuses to convert an integer of over 4300 digits
        raise _BadNumber("a number in it is far too long") from None


def _no_constant(name: str) -> Any:
    raise _BadNumber(f"{name} is not a JSON number; give a finite number")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _BadNumber(f"the number {text[:20]} is too large; give a finite number")
    return value


def _bad_text(data: Any) -> bool:
    """Whether parsed JSON holds a string that is not valid Unicode (a lone surrogate, as
    the escape ``\\ud800`` gives): it could not be typed, shown or journaled. A loop, not
    recursion: the data may nest as deep as the JSON parser allows."""
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack += value.keys()
            stack += value.values()
        elif isinstance(value, list):
            stack += value
        elif isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return True
    return False


_MAX_REPLY = 100_000  # characters: a plan step is a few hundred; more is a broken server


def validate_reply(text: str, state: ScreenState) -> PlannerReply:
    """Parse and check a reply; raises ValueError with a message meant for the model."""
    if len(text) > _MAX_REPLY:
        raise ValueError(f"the reply is {len(text)} characters long; answer with one short "
                         "JSON object")  # fmt: skip
    try:
        data = _extract_json(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"the reply is not valid JSON ({exc.msg}, position {exc.pos})") from None
    except RecursionError:
        raise ValueError("the reply nests JSON too deeply to be an action") from None
    except _BadNumber as exc:
        raise ValueError(f"the reply is not valid JSON: {exc}") from None
    if _bad_text(data):
        raise ValueError("the reply contains invalid Unicode (a lone surrogate such as "
                         "\\ud800); write plain text")  # fmt: skip
    try:
        reply = PlannerReply.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ValueError(f"the reply does not match the schema: {where}: {first['msg']}") from exc
    ids = {e.id for e in state.elements}
    for t in targets_of(reply.action):
        if t.point is not None:
            raise ValueError("name a target by element_id or query, not by a point")
        if t.element_id is not None and t.element_id not in ids:
            raise ValueError(
                f"element #{t.element_id} does not exist on the current screen; "
                f"use an id from the screen data (1..{max(ids, default=0)}) or a query"
            )
    return reply


def request_bytes(messages: Sequence[Message]) -> int:
    """About how many bytes a request carries (its messages as JSON; pictures dominate)."""
    return len(json.dumps(list(messages), ensure_ascii=False).encode("utf-8"))


class LLMPlanner:
    """Asks a chat model for the next action, keeping and revising a short plan.

    With ``images`` each request carries a Set-of-Mark picture of the current frame inside
    the data block (secret fields black). A picture identical to the last one sent is not
    sent again unless ``resend_unchanged``: the data block says the screen is unchanged.
    ``usage`` holds the last step's cost: seconds waiting for the model, bytes sent,
    requests and pictures, for the journal and the report.
    """

    replans = True  # a refused or failed step goes back to the model, which may try another

    def __init__(
        self,
        client: ChatClient,
        attempts: int = 3,
        *,
        images: bool = False,
        resend_unchanged: bool = False,
    ) -> None:
        self.client = client
        self.attempts = attempts
        self.images = images
        self.resend_unchanged = resend_unchanged
        self.pictures = PictureCache()
        self._sent_key = ""
        self.usage: dict[str, float] = {}

    def _image(self, ctx: PlannerContext, state: ScreenState) -> ImagePart | None:
        if not self.images or ctx.picture is None:
            return None
        seen = ctx.picture()
        if seen is None:
            return None
        frame, hidden = seen
        budget = getattr(self.client, "image_budget", ANTHROPIC_IMAGE_BUDGET)
        picture = self.pictures.picture(frame, state, hidden, budget)
        if picture.key == self._sent_key and not self.resend_unchanged:
            return ImagePart(note="(The screen looks exactly as in the screenshot of the "
                             "previous step; it is not sent again.)")  # fmt: skip
        self._sent_key = picture.key
        self.usage["images"] = 1
        return ImagePart(picture.b64(), picture.media_type)

    def _ask(self, messages: Sequence[Message], schema: dict[str, Any]) -> str:
        t = time.perf_counter()
        try:
            return self.client.complete(messages, schema)
        finally:
            self.usage["llm"] = self.usage.get("llm", 0.0) + time.perf_counter() - t
            self.usage["sent_bytes"] = self.usage.get("sent_bytes", 0) + request_bytes(messages)
            self.usage["requests"] = self.usage.get("requests", 0) + 1

    def next_step(self, ctx: PlannerContext, state: ScreenState) -> PlannerReply:
        schema = reply_schema()
        self.usage = {}
        messages: list[Message] = build_messages(ctx, state, schema,
                                                 image=self._image(ctx, state))  # fmt: skip
        last_error = ""
        for _ in range(self.attempts):
            text = self._ask(messages, schema)
            try:
                reply = validate_reply(text, state)
            except ValueError as exc:
                last_error = str(exc)
                messages = [
                    *messages,
                    {"role": "assistant", "content": text[:2000]},
                    {
                        "role": "user",
                        "content": f"Your reply was invalid: {last_error}. Answer again with "
                        "one JSON object that matches the schema.",
                    },
                ]
                continue
            ctx.plan = list(reply.plan)
            return reply
        raise PlannerError(
            f"the LLM gave no valid action in {self.attempts} attempts; last problem: {last_error}"
        )


# -- providers ------------------------------------------------------------------------------


def _sdk_error(exc: Exception, where: str, timeout: float) -> PlannerError:
    name = type(exc).__name__
    if "Timeout" in name:
        return PlannerError(f"the LLM server at {where} did not answer within {timeout:g} s")
    if "Connection" in name:
        return PlannerError(f"cannot reach the LLM server at {where}: {exc}")
    status = getattr(exc, "status_code", None)
    if status is not None:
        return PlannerError(f"the LLM server at {where} answered HTTP {status}: {exc}")
    return PlannerError(f"the LLM request to {where} failed: {exc}")


class OpenAICompatibleClient:
    """Chat completions through the official ``openai`` SDK; any compatible server works.

    ``structured`` picks how to ask for JSON: ``json_schema`` (OpenAI, llama.cpp, vLLM),
    ``json_object`` (older servers, Ollama) or ``none`` (the schema in the prompt only).
    """

    def __init__(
        self,
        model: str,
        base_url: str | None = None,
        api_key: str | None = None,
        timeout: float = 60.0,
        stream: bool = False,
        structured: str = "json_schema",
        sdk_retries: int = 1,
    ) -> None:
        from openai import OpenAI

        self.image_budget = OPENAI_IMAGE_BUDGET
        self.model, self.stream, self.structured, self.timeout = model, stream, structured, timeout
        self.where = base_url or "api.openai.com"
        key = api_key or os.environ.get("OPENAI_API_KEY") or "not-needed-for-local-servers"
        self._client = OpenAI(
            base_url=base_url, api_key=key, timeout=timeout, max_retries=sdk_retries
        )

    def complete(self, messages: Sequence[Message], schema: dict[str, Any]) -> str:
        import openai

        kwargs: dict[str, Any] = {"model": self.model, "messages": openai_messages(messages)}
        if self.structured == "json_schema":
            kwargs["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": "planner_reply", "schema": schema},
            }
        elif self.structured == "json_object":
            kwargs["response_format"] = {"type": "json_object"}
        try:
            if self.stream:
                parts = []
                for chunk in self._client.chat.completions.create(stream=True, **kwargs):
                    if chunk.choices and chunk.choices[0].delta.content:
                        parts.append(chunk.choices[0].delta.content)
                return "".join(parts)
            resp = self._client.chat.completions.create(**kwargs)
        except openai.OpenAIError as exc:
            raise _sdk_error(exc, self.where, self.timeout) from exc
        if not resp.choices:
            raise PlannerError(f"the LLM server at {self.where} returned no choices")
        return resp.choices[0].message.content or ""


def openai_messages(messages: Sequence[Message]) -> list[dict[str, Any]]:
    """Neutral messages as chat-completions messages: pictures become ``image_url`` parts
    holding a data URL (what OpenAI, vLLM, llama.cpp, LM Studio and Ollama all accept)."""
    out = []
    for m in messages:
        content = m["content"]
        if isinstance(content, list):
            content = [_openai_part(p) for p in content]
        out.append({**m, "content": content})
    return out


def _openai_part(part: dict[str, Any]) -> dict[str, Any]:
    if part.get("type") == "image":
        url = f"data:{part['media_type']};base64,{part['data']}"
        return {"type": "image_url", "image_url": {"url": url, "detail": "high"}}
    return part


def anthropic_blocks(content: str | list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Neutral content as Anthropic content blocks: pictures become base64 image blocks."""
    if isinstance(content, str):
        return [{"type": "text", "text": content}]
    out = []
    for part in content:
        if part.get("type") == "image":
            out.append({"type": "image", "source": {"type": "base64",
                        "media_type": part["media_type"], "data": part["data"]}})  # fmt: skip
        else:
            out.append(part)
    return out


def anthropic_turns(messages: Sequence[Message]) -> tuple[str, list[dict[str, Any]]]:
    """The system text and alternating turns the Messages API wants: consecutive messages of
    one role are joined (text to text; blocks when a picture is among them)."""
    system = "\n\n".join(str(m["content"]) for m in messages if m["role"] == "system")
    turns: list[dict[str, Any]] = []
    for m in messages:
        if m["role"] == "system":
            continue
        if turns and turns[-1]["role"] == m["role"]:  # the API wants alternating turns
            prev, new = turns[-1]["content"], m["content"]
            if isinstance(prev, str) and isinstance(new, str):
                joined: Any = prev + "\n\n" + new
            else:
                joined = anthropic_blocks(prev) + anthropic_blocks(new)
            turns[-1] = {"role": m["role"], "content": joined}
        else:
            content = m["content"]
            turns.append({"role": m["role"],
                          "content": content if isinstance(content, str)
                          else anthropic_blocks(content)})  # fmt: skip
    return system, turns


class AnthropicClient:
    """Messages API through the official ``anthropic`` SDK."""

    def __init__(
        self,
        model: str,
        base_url: str | None = None,
        api_key: str | None = None,
        timeout: float = 60.0,
        max_tokens: int = 1024,
        sdk_retries: int = 1,
    ) -> None:
        import anthropic

        self.image_budget = ANTHROPIC_IMAGE_BUDGET
        self.model, self.timeout, self.max_tokens = model, timeout, max_tokens
        self.where = base_url or "api.anthropic.com"
        key = api_key or os.environ.get("ANTHROPIC_API_KEY") or "missing-key"
        self._client = anthropic.Anthropic(
            base_url=base_url, api_key=key, timeout=timeout, max_retries=sdk_retries
        )

    def complete(self, messages: Sequence[Message], schema: dict[str, Any]) -> str:
        import anthropic

        system, turns = anthropic_turns(messages)
        try:
            resp = self._client.messages.create(
                model=self.model,
                system=system,
                messages=turns,  # type: ignore[arg-type]
                max_tokens=self.max_tokens,
            )
        except anthropic.AnthropicError as exc:
            raise _sdk_error(exc, self.where, self.timeout) from exc
        return "".join(getattr(b, "text", "") for b in resp.content)
