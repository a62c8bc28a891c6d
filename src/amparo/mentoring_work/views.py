"""Pages of a mentorship for its mentor and mentee (program staff read them): the workspace with
the plan, a milestone with its drafts, the messages, the mentor's time, closing and feedback.
Every page asks the policy; a mentorship the viewer may not see answers 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from amparo.core.http import AuthenticatedRequest
from amparo.core.policy import authorize, can
from amparo.library.filetypes import CONTENT_TYPES, FileType
from amparo.mentoring.models import Mentorship
from amparo.mentoring_work import pay, selectors, services
from amparo.mentoring_work.forms import (
    CloseForm,
    CommentForm,
    DraftUploadForm,
    FeedbackForm,
    FirstMeetingForm,
    MessageForm,
    MilestoneEditForm,
    MilestoneForm,
    TimeEntryForm,
    apply_service_errors,
)
from amparo.mentoring_work.models import MentoringPlan, PlanMilestone

VIEW = "mentoring_work.view_mentorship"
WORK = "mentoring_work.work_on_mentorship"


def _header(request: AuthenticatedRequest, mentorship: Mentorship) -> dict[str, Any]:
    user = request.user
    return {
        "mentorship": mentorship,
        "case": mentorship.case,
        "is_mentor": user.pk == mentorship.mentor_id,
        "is_mentee": user.pk == mentorship.mentee_id,
        "can_work": can(user, WORK, mentorship),
        "can_log_time": can(user, "mentoring_work.log_time", mentorship),
        "can_see_time": can(user, "mentoring_work.log_time", mentorship)
        or can(user, "mentoring_work.approve_time"),
        "can_close": can(user, "mentoring_work.close_mentorship", mentorship),
        "can_give_feedback": can(user, "mentoring_work.give_feedback", mentorship),
        "can_see_case_file": can(user, "cases.view_case_file", mentorship.case),
    }


# --- the list and the workspace -----------------------------------------------------------------


@login_required
@require_safe
def mentorship_list(request: AuthenticatedRequest) -> HttpResponse:
    authorize(request.user, "mentoring_work.view_mentorship_list")
    user = request.user
    context = {
        "mentorships": list(selectors.mentorship_list_for_user(viewer=user)),
        "can_approve_time": can(user, "mentoring_work.approve_time"),
        "can_manage_pay": can(user, "mentoring_work.manage_pay"),
        "can_view_overview": can(user, "mentoring_work.view_overview"),
    }
    return render(request, "mentoring_work/mentorship_list.html", context)


def _workspace(
    request: AuthenticatedRequest,
    mentorship: Mentorship,
    *,
    meeting_form: FirstMeetingForm | None = None,
    milestone_form: MilestoneForm | None = None,
    status: int = 200,
) -> HttpResponse:
    plan = MentoringPlan.objects.filter(mentorship=mentorship).first()
    context = {
        **_header(request, mentorship),
        "plan": plan,
        "milestones": selectors.plan_milestone_list(mentorship=mentorship) if plan else [],
        "meeting_form": meeting_form
        or FirstMeetingForm(
            initial={"met_at": timezone.localtime().replace(second=0, microsecond=0)}
        ),
        "milestone_form": milestone_form or MilestoneForm(),
        # Program staff read both sides' feedback; the two sides do not read each other's.
        "feedback": selectors.feedback_for_mentorship(mentorship=mentorship)
        if mentorship.status == Mentorship.Status.CLOSED
        and can(request.user, "mentoring_work.view_overview")
        else [],
    }
    return render(request, "mentoring_work/workspace.html", context, status=status)


@login_required
@require_safe
def workspace(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    mentorship = selectors.mentorship_get_for_user(viewer=request.user, pk=pk)
    return _workspace(request, mentorship)


@login_required
@require_POST
def first_meeting(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    mentorship = selectors.mentorship_get_for_user(viewer=request.user, pk=pk, permission=WORK)
    form = FirstMeetingForm(request.POST)
    if form.is_valid():
        try:
            services.plan_create_at_first_meeting(
                mentorship=mentorship,
                actor=request.user,
                met_at=form.cleaned_data["met_at"],
                mode=form.cleaned_data["mode"],
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The first meeting is logged and the plan is written."))
            return redirect("mentoring_work:workspace", pk=mentorship.pk)
    return _workspace(request, mentorship, meeting_form=form, status=422)


@login_required
@require_POST
def milestone_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    mentorship = selectors.mentorship_get_for_user(viewer=request.user, pk=pk, permission=WORK)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        try:
            milestone = services.milestone_add(
                mentorship=mentorship, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Milestone added."))
            url = reverse("mentoring_work:workspace", args=[mentorship.pk])
            return redirect(f"{url}#milestone-{milestone.pk}")
    return _workspace(request, mentorship, milestone_form=form, status=422)


# --- a milestone and its drafts ----------------------------------------------------------------


def _milestone_page(
    request: AuthenticatedRequest,
    milestone: PlanMilestone,
    *,
    edit_form: MilestoneEditForm | None = None,
    upload_form: DraftUploadForm | None = None,
    comment_form: CommentForm | None = None,
    comment_draft: int | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    mentorship = milestone.mentorship
    drafts = (
        milestone.drafts.select_related("uploaded_by", "reviewed_by")
        .prefetch_related("comments__author")
        .order_by("-number")
    )
    context = {
        **_header(request, mentorship),
        "milestone": milestone,
        "drafts": list(drafts),
        "edit_form": edit_form
        or MilestoneEditForm(
            initial={
                "title": milestone.title,
                "kind": milestone.kind,
                "owner": milestone.owner,
                "due_date": milestone.due_date,
                "status": milestone.status,
            }
        ),
        "upload_form": upload_form or DraftUploadForm(),
        "comment_form": comment_form or CommentForm(),
        "comment_draft": comment_draft,
        "can_review": can(request.user, "mentoring_work.review_draft", mentorship),
        "errors": errors or [],
    }
    return render(request, "mentoring_work/milestone_detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def milestone_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        milestone = selectors.milestone_get_for_user(viewer=request.user, pk=pk, permission=VIEW)
        return _milestone_page(request, milestone)
    milestone = selectors.milestone_get_for_user(viewer=request.user, pk=pk, permission=WORK)
    form = MilestoneEditForm(request.POST)
    if form.is_valid():
        try:
            services.milestone_update(milestone=milestone, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Milestone saved."))
            return redirect("mentoring_work:milestone", pk=milestone.pk)
    return _milestone_page(request, milestone, edit_form=form, status=422)


@login_required
@require_POST
def draft_upload(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    milestone = selectors.milestone_get_for_user(viewer=request.user, pk=pk, permission=WORK)
    form = DraftUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            draft = services.draft_upload(
                milestone=milestone,
                actor=request.user,
                file=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                apply_service_errors(form, error)
            else:
                form.add_error("file", error.messages)
        else:
            messages.success(
                request, _("Version %(number)s is uploaded.") % {"number": draft.number}
            )
            return redirect("mentoring_work:milestone", pk=milestone.pk)
    return _milestone_page(request, milestone, upload_form=form, status=422)


@login_required
@require_safe
def draft_download(request: AuthenticatedRequest, pk: int) -> FileResponse:
    draft = selectors.draft_get_for_user(viewer=request.user, pk=pk, permission=VIEW)
    try:
        handle = draft.file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404 from error
    services.draft_download_record(draft=draft, viewer=request.user, request=request)
    file_type = FileType(draft.file_type)
    code = draft.milestone.mentorship.case.code
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{code}-draft-{draft.milestone_id}-v{draft.number}.{file_type.value}",
        content_type=CONTENT_TYPES[file_type],
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def draft_comment(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    draft = selectors.draft_get_for_user(viewer=request.user, pk=pk, permission=WORK)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.draft_comment_add(
                draft=draft, actor=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Comment added."))
            return redirect("mentoring_work:milestone", pk=draft.milestone_id)
    return _milestone_page(
        request, draft.milestone, comment_form=form, comment_draft=draft.pk, status=422
    )


@login_required
@require_POST
def draft_reviewed(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    draft = selectors.draft_get_for_user(
        viewer=request.user, pk=pk, permission="mentoring_work.review_draft"
    )
    try:
        services.draft_mark_reviewed(draft=draft, actor=request.user)
    except ValidationError as error:
        return _milestone_page(request, draft.milestone, errors=error.messages, status=422)
    messages.success(
        request, _("Version %(number)s is marked reviewed.") % {"number": draft.number}
    )
    return redirect("mentoring_work:milestone", pk=draft.milestone_id)


# --- messages -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def message_thread(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    mentorship = selectors.mentorship_get_for_user(viewer=request.user, pk=pk)
    form = MessageForm()
    status = 200
    if request.method == "POST":
        authorize(request.user, WORK, mentorship)
        form = MessageForm(request.POST)
        if form.is_valid():
            try:
                services.message_send(
                    mentorship=mentorship, author=request.user, body=form.cleaned_data["body"]
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Message sent."))
                return redirect("mentoring_work:messages", pk=mentorship.pk)
        status = 422
    context = {
        **_header(request, mentorship),
        "thread": selectors.message_list(mentorship=mentorship),
        "form": form,
        "now": timezone.now(),
    }
    template = "mentoring_work/message_thread.html"
    if request.htmx and request.method != "POST":
        template += "#thread"
    return render(request, template, context, status=status)


# --- the mentor's time ---------------------------------------------------------------------------


def _time_page(
    request: AuthenticatedRequest,
    mentorship: Mentorship,
    *,
    form: TimeEntryForm | None = None,
    status: int = 200,
) -> HttpResponse:
    entries = selectors.time_entry_list_for_mentorship(mentorship=mentorship)
    context = {
        **_header(request, mentorship),
        "entries": list(entries),
        "totals": selectors.time_totals(entries=entries),
        "form": form or TimeEntryForm(initial={"date": timezone.localdate()}),
    }
    return render(request, "mentoring_work/time_log.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def time_log(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    mentorship = selectors.mentorship_get_for_user(viewer=request.user, pk=pk)
    if not (
        can(request.user, "mentoring_work.log_time", mentorship)
        or can(request.user, "mentoring_work.approve_time")
    ):
        raise Http404
    if request.method != "POST":
        return _time_page(request, mentorship)
    authorize(request.user, "mentoring_work.log_time", mentorship)
    form = TimeEntryForm(request.POST)
    if form.is_valid():
        try:
            pay.time_entry_log(mentorship=mentorship, mentor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Time logged; a program admin will approve it."))
            return redirect("mentoring_work:time_log", pk=mentorship.pk)
    return _time_page(request, mentorship, form=form, status=422)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def time_entry_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    entry = selectors.time_entry_get_for_user(
        viewer=request.user, pk=pk, permission="mentoring_work.change_time_entry"
    )
    status = 200
    if request.method == "POST":
        form = TimeEntryForm(request.POST)
        if form.is_valid():
            try:
                pay.time_entry_update(entry=entry, mentor=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Time entry saved."))
                return redirect("mentoring_work:time_log", pk=entry.mentorship_id)
        status = 422
    else:
        form = TimeEntryForm(
            initial={
                "date": entry.date,
                "minutes": entry.minutes,
                "activity": entry.activity,
                "description": entry.description,
            }
        )
    context = {"entry": entry, "mentorship": entry.mentorship, "form": form}
    return render(request, "mentoring_work/time_entry_form.html", context, status=status)


@login_required
@require_POST
def time_entry_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    entry = selectors.time_entry_get_for_user(
        viewer=request.user, pk=pk, permission="mentoring_work.change_time_entry"
    )
    mentorship_id = entry.mentorship_id
    try:
        pay.time_entry_delete(entry=entry, mentor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Time entry deleted."))
    return redirect("mentoring_work:time_log", pk=mentorship_id)


# --- closing and feedback ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def mentorship_close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    mentorship = selectors.mentorship_get_for_user(
        viewer=request.user, pk=pk, permission="mentoring_work.close_mentorship"
    )
    form = CloseForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.mentorship_close(
                    mentorship=mentorship, actor=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(
                    request, _("The mentoring is closed. Both of you are asked for feedback.")
                )
                return redirect("mentoring_work:workspace", pk=mentorship.pk)
        status = 422
    context = {**_header(request, mentorship), "form": form}
    return render(request, "mentoring_work/mentorship_close.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def feedback(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    mentorship = selectors.mentorship_get_for_user(viewer=request.user, pk=pk)
    given = selectors.feedback_for_mentorship(mentorship=mentorship)
    mine = next((f for f in given if f.author_id == request.user.pk), None)
    can_give = can(request.user, "mentoring_work.give_feedback", mentorship) and mine is None
    if not (can_give or mine or can(request.user, "mentoring_work.view_overview")):
        raise Http404
    form = FeedbackForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not can_give:
            raise Http404
        if form.is_valid():
            try:
                services.feedback_give(
                    mentorship=mentorship,
                    author=request.user,
                    rating=form.cleaned_data["rating"],
                    comments=form.cleaned_data["comments"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Thank you for your feedback."))
                return redirect("mentoring_work:workspace", pk=mentorship.pk)
        status = 422
    context = {
        **_header(request, mentorship),
        "form": form,
        "can_give": can_give,
        "mine": mine,
        # Staff read both sides; each side sees only their own answer.
        "given": given if can(request.user, "mentoring_work.view_overview") else [],
    }
    return render(request, "mentoring_work/feedback_form.html", context, status=status)
