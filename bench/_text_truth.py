"""Ground-truth screen text and the character error rate of a reader against it.

Truth comes from the toolkit that drew the text (the DOM's own word boxes in Chromium, a Qt
app's widget list), never from another OCR. Readers disagree on how they cut lines (one line
"File Edit Help" or three words), so each true item collects the part of every read line
that overlaps it horizontally (characters apportioned by x), in reading order; the error is
the edit distance from that to the truth. Both readers are cut the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from gui_agent.geometry import Rect

# Words of one item sit closer than this many text heights apart; farther words are separate
# targets (menu entries, table cells), as a person reading the screen would take them.
_WORD_GAP = 0.9

_WORDS_JS = """
(() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    if (!el) continue;
    const s = getComputedStyle(el);
    if (s.visibility === 'hidden' || s.display === 'none' || parseFloat(s.opacity) === 0) continue;
    if (['SCRIPT', 'STYLE', 'OPTION', 'TEXTAREA'].includes(el.tagName)) continue;
    const text = node.textContent;
    const re = /\\S+/g;
    let m;
    while ((m = re.exec(text)) !== null) {
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const rects = range.getClientRects();
      if (rects.length !== 1) continue;  // a word broken across lines: skip it
      const r = rects[0];
      if (r.width < 1 || r.height < 1) continue;
      out.push({t: m[0], x: r.left, y: r.top, w: r.width, h: r.height});
    }
  }
  for (const el of document.querySelectorAll('input, textarea, select')) {
    const t = el.tagName === 'SELECT' ? el.options[el.selectedIndex]?.text || ''
              : (el.value || (el.value === '' ? el.placeholder : ''));
    if (!t || ['checkbox', 'radio', 'range', 'submit', 'button'].includes(el.type)) continue;
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    const pad = parseFloat(s.paddingLeft) + parseFloat(s.borderLeftWidth);
    const fs = parseFloat(s.fontSize);
    if (t.includes('\\n')) continue;
    out.push({t: t, x: r.left + pad, y: r.top + (r.height - fs * 1.2) / 2,
              w: Math.min(r.width - 2 * pad, t.length * fs * 0.6), h: fs * 1.2, field: 1});
  }
  return out;
})()
"""


@dataclass(frozen=True, slots=True)
class TruthText:
    """One run of text a person reads as a unit, where the toolkit drew it."""

    text: str
    box: Rect


def group_words(words: Iterable[tuple[str, Rect]]) -> list[TruthText]:
    """Join words on one baseline into items, split where the gap is wider than a space."""
    items: list[tuple[list[str], Rect]] = []
    for text, box in sorted(words, key=lambda w: (round(w[1].cy / 4), w[1].x)):
        if items:
            parts, last = items[-1]
            same_line = abs(last.cy - box.cy) < 0.4 * min(last.h, box.h)
            gap = box.x - last.right
            if same_line and -2 <= gap <= _WORD_GAP * box.h:
                items[-1] = ([*parts, text], last.union(box))
                continue
        items.append(([text], box))
    return [TruthText(" ".join(p), b) for p, b in items]


def html_truth(browser: object, scale: float = 1.0) -> list[TruthText]:
    """The visible text of the page in ``browser`` (a ``Chromium``), in device pixels."""
    found = browser.evaluate(_WORDS_JS)  # type: ignore[attr-defined]
    words: list[tuple[str, Rect]] = []
    fields: list[TruthText] = []
    for w in found:
        box = Rect.from_ltrb(
            round(w["x"] * scale),
            round(w["y"] * scale),
            round((w["x"] + w["w"]) * scale),
            round((w["y"] + w["h"]) * scale),
        )
        if w.get("field"):
            fields.append(TruthText(w["t"], box))
        else:
            words.append((w["t"], box))
    return group_words(words) + fields


def _share(text: str, line: Rect, item: Rect) -> str:
    """The characters of a read line that fall inside ``item``'s columns."""
    n = len(text)
    if n == 0 or line.w <= 0:
        return ""
    a = (max(item.x, line.x) - line.x) / line.w
    b = (min(item.right, line.right) - line.x) / line.w
    return text[round(a * n) : round(b * n)].strip()


@dataclass(frozen=True, slots=True)
class Cer:
    errors: int
    errors_no_space: int
    chars: int
    missed: int  # items nothing was read for

    @property
    def rate(self) -> float:
        return self.errors / max(1, self.chars)

    @property
    def rate_no_space(self) -> float:
        return self.errors_no_space / max(1, self.chars)


def cer(truth: Sequence[TruthText], lines: Sequence[tuple[Rect, str]]) -> Cer:
    """Character error rate of ``lines`` (box, text) against ``truth``."""
    err = err_ns = chars = missed = 0
    for item in truth:
        pieces: list[tuple[int, str]] = []
        for box, text in lines:
            inter = box.intersection(item.box)
            vertical = inter.h >= 0.5 * min(box.h, item.box.h)
            if inter.area <= 0 or not vertical:
                continue
            part = _share(text, box, item.box) if box.w > item.box.w * 1.15 else text
            if part:
                pieces.append((box.x, part))
        read = " ".join(p for _, p in sorted(pieces))
        missed += not read
        err += Levenshtein.distance(read, item.text)
        err_ns += Levenshtein.distance(read.replace(" ", ""), item.text.replace(" ", ""))
        chars += len(item.text)
    return Cer(err, err_ns, chars, missed)
