"""WCAG contrast measured in the page, from computed styles.

Text: every visible element with text of its own (text clipped to nothing for screen
readers only is left out; off-screen text is measured too), its colour composited over the
first opaque background behind it (walking up the ancestors); 4.5:1, or 3:1 for large text
(24px, or 18.66px bold). Focus rings: the outline of the focused element against the
background around it; 3:1.
"""

from __future__ import annotations

from typing import Any

COLOUR_JS = r"""
function parseColour(text) {
  let m = text.match(/^rgba?\(([^)]+)\)$/);
  if (m) {
    const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return [p[0] / 255, p[1] / 255, p[2] / 255, p.length > 3 ? p[3] : 1];
  }
  m = text.match(/^color\(srgb ([^)]+)\)$/);
  if (m) {
    const p = m[1].split(/[ /]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  }
  throw new Error("unknown colour " + text);
}
function over(top, below) {
  const a = top[3];
  return [0, 1, 2].map((i) => top[i] * a + below[i] * (1 - a)).concat([1]);
}
function background(el) {
  const layers = [];
  for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
    const c = parseColour(getComputedStyle(node).backgroundColor);
    if (c[3] > 0) layers.push(c);
    if (c[3] >= 1) break;
  }
  let colour = [1, 1, 1, 1];
  if (layers.length && layers[layers.length - 1][3] >= 1) colour = layers.pop();
  while (layers.length) colour = over(layers.pop(), colour);
  return colour;
}
function luminance(c) {
  const [r, g, b] = c.slice(0, 3).map((v) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
function ratio(a, b) {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}
/** Visually hidden on purpose (read by screen readers only): clipped to nothing. */
function clipped(el) {
  for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
    if (/^rect\(0px,? 0px,? 0px,? 0px\)$/.test(getComputedStyle(node).clip)) return true;
  }
  return false;
}
function hex(c) {
  return "#" + c.slice(0, 3).map((v) => Math.round(v * 255).toString(16).padStart(2, "0")).join("");
}
"""

TEXT_JS = "(() => {" + COLOUR_JS + r"""
return (selector) => {
  const out = [];
  let measured = 0;
  for (const root of document.querySelectorAll(selector)) {
    for (const el of [root, ...root.querySelectorAll("*")]) {
      const own = [...el.childNodes].filter((n) => n.nodeType === 3 && n.textContent.trim()).map((n) => n.textContent.trim()).join(" ");
      if (!own || ["SCRIPT", "STYLE", "TITLE"].includes(el.tagName)) continue;
      if (!el.checkVisibility({ visibilityProperty: true }) || clipped(el)) continue;
      const style = getComputedStyle(el);
      const bg = background(el);
      const fg = over(parseColour(style.color), bg);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      const need = large ? 3 : 4.5;
      const r = ratio(fg, bg);
      measured += 1;
      if (r < need) out.push({ text: own.slice(0, 60), tag: el.tagName, cls: el.className, fg: hex(fg), bg: hex(bg), ratio: Math.round(r * 100) / 100, need });
    }
  }
  return { measured, failures: out };
};
})()"""

FOCUS_JS = "(() => {" + COLOUR_JS + r"""
return () => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  if (style.outlineStyle === "none" || parseFloat(style.outlineWidth) < 2) return { ratio: 0, what: el.outerHTML.slice(0, 80) };
  const ring = parseColour(style.outlineColor);
  const bg = background(el.parentElement);
  return { ratio: Math.round(ratio(over(ring, bg), bg) * 100) / 100, ring: hex(over(ring, bg)), bg: hex(bg), width: style.outlineWidth };
};
})()"""


def text_contrast(page: Any, selector: str) -> dict[str, Any]:
    """``{"measured": n, "failures": [...]}`` for every text under the elements ``selector`` matches."""
    result: dict[str, Any] = page.evaluate(TEXT_JS, selector)
    return result


def focus_ring(page: Any) -> dict[str, Any]:
    """Contrast of the focused element's outline against the background around it."""
    result: dict[str, Any] = page.evaluate(FOCUS_JS)
    return result
