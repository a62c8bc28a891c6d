"""A small browser for the load test: one keep-alive HTTP connection to 127.0.0.1, cookies,
Django's CSRF token, and the forms found on a page (standard library only).

Redirects are not followed: a virtual user asks for the next page itself, so each request is
timed on its own.
"""

from __future__ import annotations

import http.client
import re
import time
import urllib.parse
from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Page:
    status: int
    location: str
    body: str
    seconds: float

    def links(self, pattern: str) -> list[str]:
        """Every distinct href matching the regular expression (document order)."""
        seen: dict[str, None] = {}
        for href in re.findall(r'href="([^"#]+)', self.body):
            if re.fullmatch(pattern, href):
                seen.setdefault(href.replace("&amp;", "&"))
        return list(seen)

    def form(self, action: str) -> dict[str, list[str]] | None:
        """The fields of the first form posting to `action`, with the values the page gives."""
        parser = _FormParser()
        parser.feed(self.body)
        for form_action, values in parser.forms:
            if form_action == action:
                return values
        return None


class _FormParser(HTMLParser):
    """Collects each <form>'s action and its fields' default values (what a browser submits
    untouched: text and hidden inputs, checked boxes, selected options, textareas)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, dict[str, list[str]]]] = []
        self._values: dict[str, list[str]] | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._values = {}
            self.forms.append((a.get("action", ""), self._values))
        if self._values is None:
            return
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            self._values.setdefault(name, []).append(
                a.get("value", "on" if kind in ("checkbox", "radio") else "")
            )
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = name, None, False
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in a:
                self._values.setdefault(self._select, []).append(value)
                self._select_chosen = True
        elif tag == "textarea" and name:
            self._textarea = name
            self._values[name] = [""]

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._values = None
        elif tag == "select" and self._select and self._values is not None:
            if not self._select_chosen and self._select_first is not None:
                self._values[self._select] = [self._select_first]
            self._select = None
        elif tag == "textarea" and self._textarea and self._values is not None:
            # A browser drops the one newline that follows <textarea>.
            self._values[self._textarea][0] = self._values[self._textarea][0].removeprefix("\n")
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea and self._values is not None:
            self._values[self._textarea][0] += data


@dataclass
class Browser:
    host: str
    port: int
    timeout: float = 30.0  # seconds, for connecting and for each read
    cookies: dict[str, str] = field(default_factory=dict)
    _connection: http.client.HTTPConnection | None = None

    def _request(self, method: str, path: str, body: bytes | None, headers: dict[str, str]) -> Page:
        headers = {
            "Host": f"{self.host}:{self.port}",
            "User-Agent": "amparo-load-test",
            "Accept": "text/html",
            "Accept-Language": "en",
            **headers,
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.perf_counter()
        for attempt in (1, 2):
            if self._connection is None:
                self._connection = http.client.HTTPConnection(
                    self.host, self.port, timeout=self.timeout
                )
            try:
                self._connection.request(method, path, body=body, headers=headers)
                response = self._connection.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # The server closed an idle keep-alive connection: reconnect once.
                self.close()
                if attempt == 2:
                    raise
            except BaseException:
                self.close()  # a connection left mid-request cannot carry the next one
                raise
        seconds = time.perf_counter() - started
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                cookie_value = rest.split(";", 1)[0]
                if cookie_value and "max-age=0" not in value.lower():
                    self.cookies[name.strip()] = cookie_value
                else:
                    self.cookies.pop(name.strip(), None)
        if response.will_close:
            self._connection.close()
            self._connection = None
        return Page(
            status=response.status,
            location=response.getheader("Location", "") or "",
            body=data.decode("utf-8", errors="replace"),
            seconds=seconds,
        )

    def get(self, path: str, *, htmx: bool = False) -> Page:
        return self._request("GET", path, None, {"HX-Request": "true"} if htmx else {})

    def post(self, path: str, fields: dict[str, list[str]], *, referer: str = "") -> Page:
        body = urllib.parse.urlencode(
            [(name, value) for name, values in fields.items() for value in values]
        ).encode()
        return self._request(
            "POST",
            path,
            body,
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "X-CSRFToken": self.cookies.get("csrftoken", ""),
                "Referer": f"http://{self.host}:{self.port}{referer or path}",
                "Origin": f"http://{self.host}:{self.port}",
            },
        )

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
