from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

# No inline scripts or styles, no third-party origins: every asset is served by us.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response


# --- search engines ---------------------------------------------------------------------------

#: The pages search engines may index: the public pages meant to be found by volunteers,
#: supporters and partners. robots.txt allows exactly these (public/views.py robots_txt); every
#: other response says X-Robots-Tag: noindex, nofollow, and base.html adds the meta tag.
INDEXABLE_URL_NAMES = (
    "home",
    "public:urgent",
    "public:newsletter",
    "public:support",
    "public:partners",
    "people:join",
)
ROBOTS_NOINDEX = "noindex, nofollow"


def indexable_paths() -> list[str]:
    from django.urls import reverse

    return [reverse(name) for name in INDEXABLE_URL_NAMES]


def _robots_txt_path() -> str:
    from django.urls import reverse

    return reverse("public:robots_txt")


class SearchEngineMiddleware:
    """Keep every page but the public ones out of search engines, even where robots.txt is not
    read or a link to a signed-in page leaks: the header also covers files and JSON."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        indexable = request.path in indexable_paths() or request.path == _robots_txt_path()
        # base.html reads it: the meta tag for the pages that are not indexable.
        request.robots_indexable = indexable  # type: ignore[attr-defined]
        response = self.get_response(request)
        if not indexable:
            response.headers.setdefault("X-Robots-Tag", ROBOTS_NOINDEX)
        return response
