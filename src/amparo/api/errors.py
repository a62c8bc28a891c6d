"""Every error of the API is JSON with a stable `code` and a `message` in the caller's language:

    {"code": "invalid", "message": "...", "fields": {"client.date_of_birth": ["..."]}}

`fields` (422 only) names each bad field by its path in the request (`hearings[0].starts_at`,
`cursor`); `reasons` (403 not_eligible, 409) lists what stands in the way. Codes: bad_request,
not_authenticated, not_eligible, not_found, invalid, taken, throttled, server_error.
"""

from __future__ import annotations

import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

logger = logging.getLogger("amparo.api")


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, list[str]] | None = None
    reasons: list[str] | None = None


class ApiError(Exception):
    """Raised by endpoints for an answer other than success; rendered by `_api_error`."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        fields: dict[str, list[str]] | None = None,
        reasons: list[str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields
        self.reasons = reasons


def invalid(fields: dict[str, list[str]]) -> ApiError:
    return ApiError(422, "invalid", _("Some fields are not valid."), fields=fields)


def not_found() -> ApiError:
    # One answer for "does not exist" and "not yours": existence never leaks.
    return ApiError(404, "not_found", _("Not found."))


def responses(*statuses: int) -> dict[int, type[ErrorOut]]:
    """The error answers an operation documents (OpenAPI), besides its success."""
    return dict.fromkeys(statuses, ErrorOut)


# --- pydantic's (English-only) validation errors, told in the caller's language ---------------


def _pydantic_message(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind == "extra_forbidden":
        return _("Unknown field.")
    if kind in ("string_type", "string_unicode"):
        return _("Enter text.")
    if kind == "string_too_long":
        return _("Use at most %(max)s characters.") % {"max": ctx.get("max_length", "")}
    if kind == "string_too_short":
        return _("Use at least %(min)s characters.") % {"min": ctx.get("min_length", "")}
    if kind == "string_pattern_mismatch":
        return _("This value does not have the expected form.")
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return _("Enter a whole number.")
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        return _("This number is out of range.")
    if kind in ("bool_type", "bool_parsing"):
        return _("Enter true or false.")
    if kind.startswith("datetime") or kind.startswith("timezone"):
        return _("Enter a date and time such as 2027-02-03T09:00:00-08:00.")
    if kind.startswith("date"):
        return _("Enter a date as YYYY-MM-DD.")
    if kind in ("list_type", "tuple_type", "set_type"):
        return _("Enter a list.")
    if kind == "too_long":
        return _("Give at most %(max)s items.") % {"max": ctx.get("max_length", "")}
    if kind in ("enum", "literal_error"):
        return _("Choose one of: %(values)s.") % {"values": ctx.get("expected", "")}
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return _("Enter an object.")
    if kind == "value_error" and "amparo:bad-characters" in str(ctx.get("error", "")):
        return _("Remove the control characters or invalid characters from this text.")
    return _("Enter a valid value.")


def _field_path(location: tuple[Any, ...] | list[Any]) -> str:
    """("body", "payload", "hearings", 0, "starts_at") -> "hearings[0].starts_at"."""
    parts = list(location)
    if parts and parts[0] == "body":
        parts = parts[2:]  # the source, then the name of the endpoint's body argument
    elif parts:
        parts = parts[1:]  # "query", "path": the parameter's name follows
    path = ""
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path = f"{path}.{part}" if path else str(part)
    return path or "body"


def validation_fields(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in errors:
        fields.setdefault(_field_path(error.get("loc", ())), []).append(_pydantic_message(error))
    return fields


# --- handlers ------------------------------------------------------------------------------


def install_error_handlers(api: NinjaAPI) -> None:
    # Handlers take `Any`: django-ninja's annotation wants the exception or its class.
    def respond(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
        return api.create_response(
            request, {k: v for k, v in body.items() if v is not None}, status=status
        )

    def api_error(request: HttpRequest, exc: Any) -> HttpResponse:
        body = {"code": exc.code, "message": exc.message, "fields": exc.fields}
        return respond(request, exc.status, {**body, "reasons": exc.reasons})

    def validation_error(request: HttpRequest, exc: Any) -> HttpResponse:
        return api_error(request, invalid(validation_fields(exc.errors)))

    def authentication_error(request: HttpRequest, exc: Any) -> HttpResponse:
        response = respond(
            request,
            401,
            {
                "code": "not_authenticated",
                "message": _("Send a valid API token: Authorization: Bearer <token>."),
            },
        )
        response["WWW-Authenticate"] = "Bearer"
        return response

    def throttled(request: HttpRequest, exc: Any) -> HttpResponse:
        message = _("Too many requests with this token: wait a moment and try again.")
        return respond(request, 429, {"code": "throttled", "message": message})

    def http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        if exc.status_code == 400:
            # django-ninja's only 400: a body that is not JSON (or too large to read).
            message = _("The request body is not valid JSON.")
            return respond(request, 400, {"code": "bad_request", "message": message})
        return respond(request, exc.status_code, {"code": "error", "message": str(exc)})

    def not_found_error(request: HttpRequest, exc: Any) -> HttpResponse:
        return api_error(request, not_found())

    def server_error(request: HttpRequest, exc: Any) -> HttpResponse:
        # A bug, never an answer to input: logged with the traceback (and so reported), and
        # the caller still gets JSON.
        logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
        message = _("Something went wrong on our side. It has been logged.")
        return respond(request, 500, {"code": "server_error", "message": message})

    api.add_exception_handler(ApiError, api_error)
    api.add_exception_handler(ValidationError, validation_error)
    api.add_exception_handler(AuthenticationError, authentication_error)
    api.add_exception_handler(Throttled, throttled)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(Http404, not_found_error)
    api.add_exception_handler(Exception, server_error)
