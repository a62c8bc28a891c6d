"""Accessibility checks run in the real browser: axe-core (pinned in package.json, installed by
`make setup` from the npm registry, never a CDN), the page's `lang`, and a visible keyboard focus.

The Content-Security-Policy forbids inline scripts, so axe is not added as a <script> tag: its
source is evaluated through the DevTools protocol, which a page's CSP does not govern.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

AXE_PATH = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# Impacts that fail a test. "moderate" and "minor" findings are reported by axe but tolerated.
FAILING_IMPACTS = ("serious", "critical")


@cache
def _axe_source() -> str:
    if not AXE_PATH.exists():
        raise AssertionError(
            f"{AXE_PATH} is missing: run `make setup` (npm ci installs axe-core from package.json)."
        )
    return AXE_PATH.read_text(encoding="utf-8")


def axe_violations(page: Any) -> list[dict]:
    """Run axe on the whole page (WCAG 2.x A and AA rules, and best practices): every
    violation, whatever its impact."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # `(0, eval)` evaluates in the global scope, so axe defines window.axe as it does from a
        # script tag; the CDP call that carries it is not subject to the page's CSP.
        page.evaluate("source => { (0, eval)(source); }", _axe_source())
    result = page.evaluate(
        """async () => {
            const result = await window.axe.run(document, {resultTypes: ["violations"]});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary})),
            }));
        }"""
    )
    return list(result)


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        for node in violation["nodes"][:5]:
            summary = " ".join(str(node["summary"] or "").split())
            lines.append(f"    {node['target']} — {summary}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    … and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


def assert_accessible(
    page: Any, *, language: str | None = None, where: str = "", report: Path | None = None
) -> None:
    """Fail on serious or critical axe violations, and on a `lang` that is not the language.

    Lesser findings (moderate, minor) do not fail; with `report`, they are written there."""
    label = where or page.url
    if language is not None:
        lang = page.locator("html").get_attribute("lang")
        assert lang == language, f"{label}: <html lang={lang!r}>, expected {language!r}"
    violations = axe_violations(page)
    failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
    assert not failing, f"{label}: accessibility violations\n{format_violations(failing)}"
    if report is not None and violations:
        report.write_text(f"{page.url}\n{format_violations(violations)}\n", encoding="utf-8")


def focus_is_visible(page: Any) -> bool:
    """Whether the focused element shows a focus indicator: an outline or a box-shadow."""
    return bool(
        page.evaluate(
            """() => {
                const el = document.activeElement;
                if (!el || el === document.body) return false;
                const style = getComputedStyle(el);
                const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
                const shadow = style.boxShadow && style.boxShadow !== "none";
                return outline || Boolean(shadow);
            }"""
        )
    )


def focused_description(page: Any) -> str:
    return str(
        page.evaluate(
            """() => {
                const el = document.activeElement;
                if (!el) return "nothing";
                const id = el.id ? "#" + el.id : "";
                const name = el.getAttribute("name") ? `[name=${el.getAttribute("name")}]` : "";
                return `${el.tagName.toLowerCase()}${id}${name} "${(el.innerText || el.value || "").trim().slice(0, 40)}"`;
            }"""
        )
    )


def tab_until(page: Any, selector: str, *, max_presses: int = 60) -> list[str]:
    """Press Tab until `selector` has focus, asserting that every stop shows visible focus.

    Returns the description of each stop (for the failure message and for screenshots)."""
    stops: list[str] = []
    for _press in range(max_presses):
        page.keyboard.press("Tab")
        description = focused_description(page)
        stops.append(description)
        assert focus_is_visible(page), f"no visible focus on {description} (after {stops})"
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return stops
    raise AssertionError(f"{selector} never received focus; stops: {stops}")
