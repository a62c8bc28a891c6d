from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from amparo.accounts import security_views
from amparo.accounts import views as account_views
from amparo.cases.urls import board_patterns
from amparo.core import health
from amparo.core import views as core_views

admin.site.site_header = "Amparo"
admin.site.site_title = "Amparo"
# Staff sign in through allauth (two-factor, lock-out) before the admin; never its own form.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("", core_views.home, name="home"),
    path("dashboard/", account_views.dashboard, name="dashboard"),
    path("program/", core_views.program_tools, name="program_tools"),
    path("program/audit/", core_views.audit_log, name="audit_log"),
    path("i18n/setlang/", account_views.language_switch, name="set_language"),
    path(
        "accounts/two-factor-required/",
        account_views.two_factor_required_view,
        name="two_factor_required",
    ),
    path(".well-known/security.txt", security_views.security_txt, name="security_txt"),
    path("health/", health.health, name="health"),
    path("accounts/security/", security_views.account_security, name="account_security"),
    path(
        "accounts/sign-out-everywhere/",
        security_views.sign_out_everywhere,
        name="account_sign_out_everywhere",
    ),
    path("accounts/", include("allauth.urls")),
    # Before cases/: intake's cases/import/ must win over cases/<code>/.
    path("", include("amparo.intake.urls")),
    # Before cases/ as well: cases/<code>/workspace/... and workspace/...
    path("", include("amparo.workspace.urls")),
    path("cases/", include("amparo.cases.urls")),
    path("library/", include("amparo.library.urls")),
    path("reports/", include("amparo.reports.urls")),
    # Before any "mentoring/" include: the ongoing mentorship's pages live under it.
    path("mentoring/work/", include("amparo.mentoring_work.urls")),
    path("mentoring/", include("amparo.mentoring.urls")),
    path("", include((board_patterns, "board"))),
    path("", include("amparo.deadlines.urls")),
    path("", include("amparo.people.urls")),
    path("", include("amparo.conflicts.urls")),
    path("", include("amparo.trainings.urls")),
    path("", include("amparo.public.urls")),
    path("admin/", admin.site.urls),
    # The JSON API (django-ninja): bearer tokens, answers 401 JSON rather than redirecting.
    path("api/v1/", include("amparo.api.urls")),
]
