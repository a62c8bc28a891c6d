"""Program staff's training pages: the certificate review queue and decisions, and live
sessions (scheduling, registrations, the waiting list, attendance). Coordinators act; program
admins read. Views authorise through the policy; a forbidden object answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from amparo.core.http import AuthenticatedRequest
from amparo.core.policy import authorize, can, get_for_user_or_404
from amparo.trainings import services
from amparo.trainings.forms import AttendanceForm, CertificateRejectForm, SessionForm
from amparo.trainings.models import Certificate, LiveSession, Registration
from amparo.trainings.selectors import (
    certificate_queue,
    session_list,
    session_registrations,
    session_time_zone_choices,
)

PAST_SESSIONS_SHOWN = 50


# --- certificates ----------------------------------------------------------------------------


@login_required
@require_safe
def certificate_review_queue(request: AuthenticatedRequest) -> HttpResponse:
    authorize(request.user, "trainings.view_certificate_queue")
    return render(
        request,
        "trainings/certificate_queue.html",
        {
            "certificates": list(certificate_queue()),
            "can_review": can(request.user, "trainings.review_certificate"),
        },
    )


def _review_page(
    request: AuthenticatedRequest,
    certificate: Certificate,
    *,
    reject_form: CertificateRejectForm | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "certificate": certificate,
        "can_review": can(request.user, "trainings.review_certificate")
        and certificate.status == Certificate.Status.PENDING,
        "reject_form": reject_form or CertificateRejectForm(),
        "errors": errors or [],
    }
    return render(request, "trainings/certificate_review.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def certificate_review(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    authorize(request.user, "trainings.view_certificate_queue")
    certificate = get_for_user_or_404(
        Certificate.objects.select_related("user", "course", "reviewed_by"),
        user=request.user,
        permission="trainings.view_certificate",
        pk=pk,
    )
    if request.method == "GET":
        return _review_page(request, certificate)
    authorize(request.user, "trainings.review_certificate", certificate)
    decision = request.POST.get("decision")
    if decision == "verify":
        try:
            services.certificate_verify(
                certificate=certificate, actor=request.user, request=request
            )
        except ValidationError as error:
            return _review_page(request, certificate, errors=error.messages, status=409)
        messages.success(
            request,
            _("Certificate accepted; %(name)s is told by e-mail.")
            % {"name": certificate.user.full_name},
        )
        return redirect("trainings:certificate_queue")
    if decision == "reject":
        form = CertificateRejectForm(request.POST)
        if not form.is_valid():
            return _review_page(request, certificate, reject_form=form, status=422)
        try:
            services.certificate_reject(
                certificate=certificate,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                form.add_service_errors(error)
                return _review_page(request, certificate, reject_form=form, status=422)
            return _review_page(request, certificate, errors=error.messages, status=409)
        messages.success(
            request,
            _("Certificate not accepted; %(name)s receives the reason by e-mail.")
            % {"name": certificate.user.full_name},
        )
        return redirect("trainings:certificate_queue")
    return _review_page(
        request, certificate, errors=[_("Choose to accept or refuse the certificate.")], status=422
    )


# --- live sessions ---------------------------------------------------------------------------


@login_required
@require_safe
def session_index(request: AuthenticatedRequest) -> HttpResponse:
    authorize(request.user, "trainings.view_sessions")
    return render(
        request,
        "trainings/session_list.html",
        {
            "upcoming": list(session_list(upcoming=True)),
            "past": list(session_list(upcoming=False)[:PAST_SESSIONS_SHOWN]),
            "can_schedule": can(request.user, "trainings.schedule_session"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_new(request: AuthenticatedRequest) -> HttpResponse:
    authorize(request.user, "trainings.schedule_session")
    time_zones = session_time_zone_choices()
    status = 200
    if request.method == "POST":
        form = SessionForm(request.POST, time_zones=time_zones)
        if form.is_valid():
            data = form.cleaned_data
            try:
                session = services.session_schedule(
                    actor=request.user,
                    course=data["course"],
                    starts=data["starts"],
                    ends=data["ends"],
                    time_zone=data["time_zone"],
                    location=data["location"],
                    video_url=data["video_url"],
                    capacity=data["capacity"],
                    details=data["details"],
                    request=request,
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("The session is scheduled."))
                return redirect("trainings:session", pk=session.pk)
        status = 422
    else:
        initial = {}
        course_id = request.GET.get("course", "")
        if course_id.isdigit():
            initial["course"] = int(course_id)
        form = SessionForm(initial=initial, time_zones=time_zones)
    return render(request, "trainings/session_form.html", {"form": form}, status=status)


def _session_page(
    request: AuthenticatedRequest,
    session: LiveSession,
    *,
    form: AttendanceForm | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    registrations = session_registrations(session=session)
    registered = [r for r in registrations if r.status == Registration.Status.REGISTERED]
    started = session.starts_at <= timezone.now()
    can_mark = started and can(request.user, "trainings.mark_attendance", session)
    context = {
        "session": session,
        "registered": registered,
        "waitlisted": [r for r in registrations if r.status == Registration.Status.WAITLISTED],
        "can_mark": can_mark,
        "started": started,
        "form": form or (AttendanceForm(registrations=registered) if can_mark else None),
        "errors": errors or [],
    }
    return render(request, "trainings/session_detail.html", context, status=status)


def _staff_session(request: AuthenticatedRequest, pk: int, permission: str) -> LiveSession:
    return get_for_user_or_404(
        LiveSession.objects.select_related("course", "created_by"),
        user=request.user,
        permission=permission,
        pk=pk,
    )


@login_required
@require_safe
def session_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _session_page(request, _staff_session(request, pk, "trainings.view_sessions"))


@login_required
@require_POST
def session_attendance(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session = _staff_session(request, pk, "trainings.mark_attendance")
    registered = [
        r
        for r in session_registrations(session=session)
        if r.status == Registration.Status.REGISTERED
    ]
    form = AttendanceForm(request.POST, registrations=registered)
    if not form.is_valid():
        return _session_page(request, session, form=form, status=422)
    try:
        services.session_attendance_mark(
            session=session,
            actor=request.user,
            attended_ids=[r.pk for r in form.cleaned_data["attended"]],
            request=request,
        )
    except ValidationError as error:
        return _session_page(request, session, form=form, errors=error.messages, status=409)
    messages.success(request, _("Attendance saved; those who attended have completed the course."))
    return redirect("trainings:session", pk=session.pk)
