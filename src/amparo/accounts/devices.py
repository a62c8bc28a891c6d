"""A rough name for the browser and system in a User-Agent header ("Firefox", "Windows").

Approximate on purpose: enough for a person to recognise their own device in a sign-in notice or
a session list, with no third-party parser. Pure Python.
"""

from __future__ import annotations

# Order matters: Edge, Opera and Samsung Internet also say "Chrome"; Chrome also says "Safari".
_BROWSERS = (
    ("Edg", "Edge"),
    ("OPR/", "Opera"),
    ("SamsungBrowser", "Samsung Internet"),
    ("Firefox/", "Firefox"),
    ("FxiOS", "Firefox"),
    ("CriOS", "Chrome"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
# iPhone and iPad before "Mac OS X" (iOS says "like Mac OS X"); Android before Linux.
_SYSTEMS = (
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("CrOS", "ChromeOS"),
    ("Mac OS X", "macOS"),
    ("Macintosh", "macOS"),
    ("Linux", "Linux"),
)


def _first_match(user_agent: str, table: tuple[tuple[str, str], ...]) -> str:
    for marker, name in table:
        if marker in user_agent:
            return name
    return ""


def device_describe(user_agent: str) -> tuple[str, str]:
    """(browser, system); either is "" when not recognised."""
    return _first_match(user_agent, _BROWSERS), _first_match(user_agent, _SYSTEMS)
