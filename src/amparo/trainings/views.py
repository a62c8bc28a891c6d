"""Training pages for the people who take courses: the catalogue, a course and its modules,
quizzes, the module video, certificate upload and download, and registering for live sessions
(program staff's pages are in staff_views.py).

Views authorise through the policy (a forbidden object answers 404), validate a form, call one
service or selector, and render. Uploaded files are served only here, after the policy check.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from amparo.core.http import AuthenticatedRequest
from amparo.core.policy import authorize, can, get_for_user_or_404
from amparo.trainings import services
from amparo.trainings.domain.files import FILE_EXTENSION_FOR_TYPE
from amparo.trainings.forms import CertificateUploadForm, QuizForm
from amparo.trainings.models import Certificate, Course, LiveSession, Module, Registration
from amparo.trainings.notifications import session_ics
from amparo.trainings.selectors import (
    certificate_list_for_user,
    certificate_queue,
    course_completion_history,
    course_list_for_user,
    course_modules,
    course_progress_for_user,
    course_progress_map,
    module_ids_done_in_cycle,
    module_last_completed,
    module_with_quiz,
    progress_sentence,
    registration_active_map,
    session_list_upcoming_for_course,
    waitlist_position,
)

VIDEO_TYPES = {"mp4": "video/mp4", "webm": "video/webm", "ogv": "video/ogg"}


# --- the catalogue and a course --------------------------------------------------------------


@login_required
@require_safe
def catalogue(request: AuthenticatedRequest) -> HttpResponse:
    authorize(request.user, "trainings.view_catalogue")
    user = request.user
    courses = list(course_list_for_user(user=user))
    is_learner = can(user, "trainings.take_courses")
    progress = course_progress_map(user=user, courses=courses) if is_learner else {}
    rows = [
        {
            "course": course,
            "progress": progress.get(course.pk),
            "sentence": progress_sentence(progress[course.pk]) if course.pk in progress else "",
        }
        for course in courses
    ]
    context = {
        "rows": rows,
        "is_learner": is_learner,
        "can_review": can(user, "trainings.view_certificate_queue"),
        "can_view_sessions": can(user, "trainings.view_sessions"),
        "can_manage": can(user, "trainings.manage_catalogue") and user.is_staff,
        "pending_certificates": certificate_queue().count()
        if can(user, "trainings.view_certificate_queue")
        else 0,
    }
    return render(request, "trainings/course_list.html", context)


def _course_context(request: AuthenticatedRequest, course: Course) -> dict[str, Any]:
    user = request.user
    modules = course_modules(course=course)
    can_take = can(user, "trainings.take_course", course)
    context: dict[str, Any] = {
        "course": course,
        "modules": modules,
        "can_take": can_take,
        "can_upload": can(user, "trainings.upload_certificate", course),
        "can_view_sessions": can(user, "trainings.view_sessions"),
        "can_manage": can(user, "trainings.manage_catalogue") and user.is_staff,
    }
    sessions = session_list_upcoming_for_course(course=course) if course.has_sessions else []
    mine = registration_active_map(user=user, sessions=sessions) if can_take else {}
    context["sessions"] = [
        {
            "session": session,
            "registration": mine.get(session.pk),
            "full": session.registered_count >= session.capacity,  # type: ignore[attr-defined]
            "waitlist_position": waitlist_position(registration=mine[session.pk])
            if session.pk in mine and mine[session.pk].status == Registration.Status.WAITLISTED
            else None,
        }
        for session in sessions
    ]
    if can_take:
        progress = course_progress_for_user(user=user, course=course)
        done = module_ids_done_in_cycle(user=user, course=course)
        last = module_last_completed(user=user, course=course)
        context.update(
            {
                "progress": progress,
                "sentence": progress_sentence(progress),
                "done_ids": done if not progress.is_complete else {m.pk for m in modules},
                "last_completed": last,
                "history": course_completion_history(user=user, course=course),
                "certificates": certificate_list_for_user(user=user, course=course)
                if course.takes_certificate
                else [],
            }
        )
        for module in modules:
            module.done = module.pk in context["done_ids"]  # type: ignore[attr-defined]
            module.last_completed_at = last.get(module.pk)  # type: ignore[attr-defined]
    return context


@login_required
@require_safe
def course_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    course = get_for_user_or_404(
        Course.objects.all(), user=request.user, permission="trainings.view_course", pk=pk
    )
    return render(request, "trainings/course_detail.html", _course_context(request, course))


# --- modules and quizzes ---------------------------------------------------------------------


def _module(request: AuthenticatedRequest, pk: int, permission: str) -> Module:
    return get_for_user_or_404(
        Module.objects.select_related("course"), user=request.user, permission=permission, pk=pk
    )


def _video_type(module: Module) -> str:
    name = module.video_file.name or "" if module.video_file else ""
    return VIDEO_TYPES.get(name.rsplit(".", 1)[-1].lower(), "") if "." in name else ""


def _module_page(
    request: AuthenticatedRequest,
    module: Module,
    *,
    form: QuizForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    module_with_quiz(module=module)
    can_take = can(user, "trainings.take_course", module)
    siblings = list(module.course.modules.order_by("position", "pk").only("pk", "position"))
    index = next((i for i, m in enumerate(siblings) if m.pk == module.pk), 0)
    has_quiz = bool(module.questions.all())
    context: dict[str, Any] = {
        "module": module,
        "course": module.course,
        "can_take": can_take,
        "has_quiz": has_quiz,
        "previous": siblings[index - 1] if index > 0 else None,
        "next": siblings[index + 1] if index + 1 < len(siblings) else None,
        "number": index + 1,
        "count": len(siblings),
        "video_type": _video_type(module),
    }
    if can_take:
        progress = course_progress_for_user(user=user, course=module.course)
        # While the course is complete and valid there is nothing to do; once it expires, the
        # modules are done again to renew it.
        context["course_complete"] = progress.is_complete
        context["sentence"] = progress_sentence(progress)
        context["done"] = progress.is_complete or module.pk in module_ids_done_in_cycle(
            user=user, course=module.course
        )
        context["last_attempt"] = module.quiz_attempts.filter(user=user).first()
        if has_quiz:
            context["form"] = form or QuizForm(module=module)
    return render(request, "trainings/module_detail.html", context, status=status)


@login_required
@require_safe
def module_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _module_page(request, _module(request, pk, "trainings.view_course"))


def _after_module(module: Module) -> HttpResponse:
    following = module.course.modules.filter(position__gt=module.position).order_by("position")
    nxt = following.first()
    if nxt is not None:
        return redirect("trainings:module", pk=nxt.pk)
    return redirect("trainings:course", pk=module.course_id)


@login_required
@require_POST
def module_complete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    module = _module(request, pk, "trainings.take_course")
    try:
        services.module_complete(user=request.user, module=module)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("trainings:module", pk=module.pk)
    messages.success(request, _("Module done."))
    return _after_module(module)


@login_required
@require_POST
def module_quiz(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    module = module_with_quiz(module=_module(request, pk, "trainings.take_course"))
    form = QuizForm(request.POST, module=module)
    if not form.is_valid():
        return _module_page(request, module, form=form, status=422)
    try:
        attempt = services.quiz_submit(user=request.user, module=module, answers=form.answers())
    except ValidationError as error:
        form.add_service_errors(error)
        return _module_page(request, module, form=form, status=422)
    numbers = {
        "correct": attempt.correct,
        "total": attempt.total,
        "percent": attempt.percent,
        "mark": module.quiz_pass_mark,
    }
    if attempt.passed:
        messages.success(
            request,
            _("You passed: %(correct)s of %(total)s right (%(percent)s%%). Module done.") % numbers,
        )
        return _after_module(module)
    messages.error(
        request,
        _(
            "Not passed yet: %(correct)s of %(total)s right (%(percent)s%%); the pass mark is "
            "%(mark)s%%. Review the module and try again."
        )
        % numbers,
    )
    return redirect("trainings:module", pk=module.pk)


@login_required
@require_safe
def module_video(request: AuthenticatedRequest, pk: int) -> FileResponse:
    module = _module(request, pk, "trainings.view_course")
    if not module.video_file:
        raise Http404
    try:
        handle = module.video_file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, content_type=_video_type(module) or "application/octet-stream")
    response["Cache-Control"] = "private, no-store"
    return response


# --- certificates ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def certificate_upload(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    course = get_for_user_or_404(
        Course.objects.all(), user=request.user, permission="trainings.upload_certificate", pk=pk
    )
    status = 200
    if request.method == "POST":
        form = CertificateUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.certificate_upload(
                    user=request.user,
                    course=course,
                    upload=form.cleaned_data["file"],
                    completed_on=form.cleaned_data["completed_on"],
                    request=request,
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(
                    request,
                    _("Your certificate is uploaded; a coordinator will check it."),
                )
                return redirect("trainings:course", pk=course.pk)
        status = 422
    else:
        form = CertificateUploadForm()
    return render(
        request,
        "trainings/certificate_upload.html",
        {"course": course, "form": form, "max_mb": services.certificate_max_megabytes()},
        status=status,
    )


@login_required
@require_safe
def certificate_file(request: AuthenticatedRequest, pk: int) -> FileResponse:
    certificate = get_for_user_or_404(
        Certificate.objects.all(), user=request.user, permission="trainings.view_certificate", pk=pk
    )
    try:
        handle = certificate.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    extension = FILE_EXTENSION_FOR_TYPE.get(certificate.content_type, "bin")
    # Downloaded, never shown inline: the file came from outside the program.
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"certificate-{certificate.pk}.{extension}",
        content_type=certificate.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- registering for live sessions ----------------------------------------------------------


@login_required
@require_POST
def session_register(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session = get_for_user_or_404(
        LiveSession.objects.select_related("course"),
        user=request.user,
        permission="trainings.register_session",
        pk=pk,
    )
    try:
        registration = services.session_register(session=session, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("trainings:course", pk=session.course_id)
    if registration.status == Registration.Status.REGISTERED:
        messages.success(
            request, _("You are registered; the invitation is on its way to your e-mail.")
        )
    else:
        messages.info(
            request,
            _("The session is full: you are number %(position)s on the waiting list.")
            % {"position": waitlist_position(registration=registration)},
        )
    return redirect("trainings:course", pk=session.course_id)


@login_required
@require_POST
def registration_cancel(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    registration = get_for_user_or_404(
        Registration.objects.select_related("session__course"),
        user=request.user,
        permission="trainings.cancel_registration",
        pk=pk,
    )
    try:
        services.registration_cancel(registration=registration, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect("trainings:course", pk=registration.session.course_id)


@login_required
@require_safe
def session_calendar(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The invitation again, for a person who holds a seat."""
    session = get_for_user_or_404(
        LiveSession.objects.select_related("course"),
        user=request.user,
        permission="trainings.view_course",
        pk=pk,
    )
    if not Registration.objects.filter(
        session=session, user=request.user, status=Registration.Status.REGISTERED
    ).exists():
        raise Http404
    response = HttpResponse(
        session_ics(session=session), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="training-{session.pk}.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
