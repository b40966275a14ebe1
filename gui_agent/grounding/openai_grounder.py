"""A grounding model behind an OpenAI-compatible server (vLLM, llama.cpp, Ollama, LM Studio).

One request per query: the frame (secret fields black, no marks: grounding models were not
trained on them) and the family's prompt; the reply's coordinates are read in the family's
convention and mapped to desktop pixels by ``ImageMapping``.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from gui_agent.geometry import CONVENTIONS, ImageBudget, Rect
from gui_agent.grounding.base import Grounding, GroundingError
from gui_agent.grounding.replies import ReplyError, parse_answer
from gui_agent.grounding.styles import style as style_named
from gui_agent.planning.marks import PictureCache
from gui_agent.screen.frame import Frame


class OpenAIGrounder:
    """``style``: ``ui-tars``, ``qwen2.5-vl`` or ``os-atlas``; ``convention`` ``auto`` takes
    the style's own (``absolute``, ``relative`` or ``thousandths`` override it); ``budget``
    overrides the picture size."""

    def __init__(
        self,
        model: str,
        base_url: str,
        *,
        style: str = "ui-tars",
        convention: str = "auto",
        api_key: str | None = None,
        timeout: float = 60.0,
        budget: ImageBudget | None = None,
        sdk_retries: int = 0,
    ) -> None:
        from openai import OpenAI

        self.style = style_named(style)
        if convention != "auto" and convention not in CONVENTIONS:
            raise ValueError(f"unknown coordinate convention {convention!r}; use {CONVENTIONS}")
        self.convention = self.style.convention if convention == "auto" else convention
        if budget is not None:
            self.style = replace(self.style, budget=budget)
        self.model, self.where, self.timeout = model, base_url, timeout
        self.name = f"grounder {model}"
        key = api_key or os.environ.get("GUI_AGENT_GROUNDER_KEY") or "not-needed-for-local"
        self._client = OpenAI(base_url=base_url, api_key=key, timeout=timeout,
                              max_retries=sdk_retries)  # fmt: skip
        self._pictures = PictureCache()
        self.usage: dict[str, float] = {}  # the last answer's cost, taken by the session

    def _ask(self, query: str, data: str, media_type: str) -> tuple[str, int]:
        import openai

        prompt = self.style.prompt.format(query=" ".join(query.split())[:300])
        messages: list[dict[str, Any]] = [{"role": "user", "content": [
            {"type": "image_url", "image_url": {"url": f"data:{media_type};base64,{data}"}},
            {"type": "text", "text": prompt},
        ]}]  # fmt: skip
        size = len(json.dumps(messages))
        try:
            resp = self._client.chat.completions.create(
                model=self.model,
                messages=messages,  # type: ignore[arg-type]
                temperature=0.0,
                max_tokens=200,
            )
        except openai.APITimeoutError as exc:
            raise GroundingError(f"the grounding model at {self.where} did not answer within "
                                 f"{self.timeout:g} s") from exc  # fmt: skip
        except openai.APIConnectionError as exc:
            raise GroundingError(f"cannot reach the grounding model at {self.where}") from exc
        except openai.APIStatusError as exc:
            raise GroundingError(f"the grounding model at {self.where} answered HTTP "
                                 f"{exc.status_code}") from exc  # fmt: skip
        except (openai.OpenAIError, ValueError) as exc:  # a body that is not JSON, ...
            why = type(exc).__name__
            raise GroundingError(f"the grounding model at {self.where} sent a reply that is "
                                 f"not a chat completion ({why})") from exc  # fmt: skip
        if not getattr(resp, "choices", None):
            raise GroundingError(f"the grounding model at {self.where} returned no choices")
        return resp.choices[0].message.content or "", size

    def ground(self, query: str, frame: Frame, hidden: Sequence[Rect] = ()) -> Grounding:
        t = time.perf_counter()
        picture = self._pictures.picture(frame, None, hidden, self.style.budget)
        try:
            text, size = self._ask(query, picture.b64(), picture.media_type)
        finally:
            self.usage = {"grounder": time.perf_counter() - t}
        self.usage["grounder_bytes"] = size
        try:
            answer = parse_answer(text)
        except ReplyError as exc:
            raise GroundingError(f"the grounding model {self.model}: {exc}") from None
        mapping = picture.mapping
        convention = self.convention
        if convention == "absolute" and answer.fractional():
            convention = "relative"  # 0.42 can only be a fraction of the picture
        x, y = answer.point
        point = mapping.to_screen(x, y, convention)
        if not mapping.on_source(point):
            raise GroundingError(
                f"the grounding model {self.model} answered a point ({x:g}, {y:g}) that maps "
                f"to ({point.x}, {point.y}), outside the screen it was shown "
                f"{list(mapping.source.as_tuple())}"
            )
        box = None
        if answer.is_box:
            v = answer.values
            tl, br = (
                mapping.to_screen(v[0], v[1], convention),
                mapping.to_screen(v[2], v[3], convention),
            )
            box = Rect.from_ltrb(tl.x, tl.y, br.x, br.y).clip(mapping.source)
        return Grounding(point, box, self.name, time.perf_counter() - t, size)
