"""Keyboard helpers: Tab through a page and judge whether focus can be seen."""
from __future__ import annotations

# For the focused element: where it is, whether it can be seen, and the styles
# that can show focus. For the element focused before it (now unfocused): the
# same styles, to tell whether focus changed anything visible.
FOCUS_STATE = """() => {
    // Judge the state focus settles in, not a frame of a fade-in.
    document.getAnimations().forEach(a => { try { a.finish(); } catch (e) {} });
    const styleOf = (el) => {
        const cs = getComputedStyle(el);
        return {outline: cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 1
                         && !/rgba\\(.*, 0\\)$/.test(cs.outlineColor) ? cs.outlineStyle + ' ' + cs.outlineWidth + ' ' + cs.outlineColor : '',
                shadow: cs.boxShadow, background: cs.backgroundColor, color: cs.color,
                decoration: cs.textDecorationLine + ' ' + cs.textDecorationStyle,
                border: cs.borderTopColor + cs.borderBottomColor + cs.borderBottomWidth};
    };
    const el = document.activeElement;
    const prev = window.__gatePrevious;
    const previous = prev && prev !== el ? styleOf(prev) : null;
    window.__gatePrevious = el;
    if (!el || el === document.body) return {tag: 'body', previous};
    const r = el.getBoundingClientRect();
    const vw = document.documentElement.clientWidth, vh = window.innerHeight;
    let hidden = false;
    for (let n = el; n && n.nodeType === 1; n = n.parentElement) {
        const cs = getComputedStyle(n);
        if (cs.visibility === 'hidden' || cs.display === 'none' || parseFloat(cs.opacity) === 0) {
            hidden = n.tagName.toLowerCase() + '.' + String(n.className).split(' ').join('.') + ' (visibility ' + cs.visibility
                     + ', opacity ' + cs.opacity + ')';
            break;
        }
    }
    const name = (el.getAttribute('aria-label') || el.textContent || el.value || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
    const cls = typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).filter(c => c !== 'focus-visible').join('.') : '';
    return {tag: el.tagName.toLowerCase(), describe: el.tagName.toLowerCase() + cls + ' "' + name + '"',
            focusVisible: el.matches(':focus-visible'), hidden,
            inView: r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0 && r.left < vw && r.top < vh,
            rect: [Math.round(r.left), Math.round(r.top), Math.round(r.width), Math.round(r.height)],
            style: styleOf(el), previous};
}"""


def tab_through(page, limit: int = 250) -> list[dict]:
    """Press Tab from the top of the page until focus leaves it; the state at each stop.

    Each stop's "unfocused" style is taken when the next Tab has moved focus away."""
    page.evaluate("() => { window.__gatePrevious = null; document.activeElement && document.activeElement.blur(); }")
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE)
        if stops and state["previous"] is not None:
            stops[-1]["unfocused"] = state["previous"]
        if state["tag"] == "body" or (stops and state.get("describe") == stops[0].get("describe")
                                      and state.get("rect") == stops[0].get("rect")):
            break
        stops.append(state)
    return stops


def focus_problem(stop: dict) -> str | None:
    """Why focus on this stop cannot be seen, or None when it can."""
    if stop["hidden"]:
        return f"focus lands on a hidden element (hidden by {stop['hidden']})"
    if not stop["inView"]:
        return f"focus lands outside the screen at {stop['rect']}"
    style, before = stop["style"], stop.get("unfocused")
    if style["outline"]:
        return None
    if before is None:
        return "no focus outline (and no unfocused state to compare)"
    if any(style[k] != before[k] for k in ("shadow", "background", "color", "decoration", "border")):
        return None
    return "focus changes nothing visible (no outline, shadow, colour or underline)"


# Waits for the page's transitions to end (Material's drawer and search slide in over
# about 250 ms): two animation frames so a transition just triggered has started, then
# every running animation's `finished`. A condition, not a fixed pause.
SETTLED = """() => new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(() =>
    Promise.all(document.getAnimations().map(a => a.finished.catch(() => null))).then(() => resolve(true)))))"""


def wait_until(page, condition: str, what: str, timeout: int = 5_000) -> None:
    """Wait for a JavaScript condition, then for the transitions it starts; fail naming `what`."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(condition, timeout=timeout)
    except PlaywrightTimeout:
        raise AssertionError(f"{what} (waited {timeout} ms)") from None
    page.evaluate(SETTLED)
