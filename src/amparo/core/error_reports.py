"""What an error report may show: no personal data (8 CFR 208.6; 8 U.S.C. 1367).

Django's error reports (the e-mail to ADMINS, and any log handler that renders the request, such
as an error tracker's) include every POST value and every local variable of the traceback's
frames. Django's own SafeExceptionReporterFilter hides only settings and the parameters a view
marks with @sensitive_post_parameters; nearly every form here carries a client's name, an
A-number or a declaration, so this filter hides every POST value and every frame variable
instead (the names stay, to tell what was sent). With DEBUG on (a developer's machine with demo
data) the report is left whole, as Django does.

Log records are plain lines (ids and codes, never names: see the services' logger calls), with
one exception from Django itself that TemplateContextLogFilter below takes care of.
"""

from __future__ import annotations

import logging
from typing import Any

from django.http import HttpRequest, QueryDict
from django.template import VariableDoesNotExist
from django.views.debug import SafeExceptionReporterFilter


class PersonalDataExceptionReporterFilter(SafeExceptionReporterFilter):
    def get_post_parameters(self, request: HttpRequest | None) -> Any:
        if request is None:
            return {}
        if not self.is_active(request):
            return request.POST
        cleansed = QueryDict(mutable=True)
        for name in request.POST:
            cleansed[name] = self.cleansed_substitute
        return cleansed

    def get_traceback_frame_variables(self, request: HttpRequest | None, tb_frame: Any) -> Any:
        if not self.is_active(request):
            return super().get_traceback_frame_variables(request, tb_frame)
        return [(name, self.cleansed_substitute) for name in sorted(tb_frame.f_locals)]


class TemplateContextLogFilter(logging.Filter):
    """django.template logs, at DEBUG, every variable a template could not resolve, with the
    exception attached; that exception's text is the whole template context, clients' names and
    A-numbers included. The line (which variable, which template) stays; the exception goes."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], VariableDoesNotExist):
            record.exc_info = None
            record.exc_text = None
        return True
