from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from amparo.core.http import AuthenticatedRequest
from amparo.core.tools import program_tools_for_user


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "core/home.html")


@login_required
def program_tools(request: AuthenticatedRequest) -> HttpResponse:
    groups = program_tools_for_user(user=request.user)
    if not groups:
        raise Http404
    return render(request, "core/program_tools.html", {"groups": groups})
