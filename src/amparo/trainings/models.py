"""Trainings (PRODUCT.md point 2): the program's own courses, the mentoring intro video, courses
taken elsewhere (certificate verified by staff), live sessions, completions and the gates that
name the courses an action needs."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from amparo.core.models import TimeStampedModel

VIDEO_EXTENSIONS = ["mp4", "webm", "ogv"]


def _in_language(english: str, spanish: str) -> str:
    """The Spanish text for Spanish readers when there is one, the English otherwise."""
    language = (get_language() or "en")[:2]
    return spanish if language == "es" and spanish else english


def _video_path(instance: Any, filename: str) -> str:
    # Never the sender's file name in the path: it is kept in no URL and in no directory listing.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"trainings/videos/{uuid.uuid4().hex}.{extension}"


def certificate_path(instance: Any, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"trainings/certificates/{uuid.uuid4().hex}.{extension}"


class Course(TimeStampedModel):
    class Kind(models.TextChoices):
        PROGRAM = "program", _("Program training (modules)")
        INTRO_VIDEO = "intro_video", _("Mentoring intro video")
        EXTERNAL = "external", _("Course taken elsewhere (certificate)")
        LIVE = "live", _("Live training")

    # Kinds completed by doing every module; external courses by a verified certificate; live
    # trainings by attending a session (a program training can also be given live).
    MODULE_KINDS = (Kind.PROGRAM, Kind.INTRO_VIDEO)
    SESSION_KINDS = (Kind.LIVE, Kind.PROGRAM)

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_es = models.CharField(_("title (Spanish)"), max_length=200, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_es = models.TextField(_("description (Spanish)"), blank=True)
    external_url = models.URLField(
        _("where to take it"),
        blank=True,
        help_text=_("For a course taken elsewhere: the address of the provider's course page."),
    )
    valid_for_months = models.PositiveSmallIntegerField(
        _("valid for (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("Empty: a completion never expires. Otherwise it must be renewed after this."),
    )
    position = models.PositiveSmallIntegerField(_("order in the catalogue"), default=0)
    active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Inactive courses leave the catalogue and no gate requires them any more."),
    )

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["position", "title_en", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_for_months__isnull=True) | Q(valid_for_months__gte=1),
                name="course_validity_at_least_a_month",
            ),
        ]

    def __str__(self) -> str:
        return self.title_en

    @property
    def title(self) -> str:
        return _in_language(self.title_en, self.title_es)

    @property
    def description(self) -> str:
        return _in_language(self.description_en, self.description_es)

    @property
    def has_modules(self) -> bool:
        return self.kind in self.MODULE_KINDS

    @property
    def takes_certificate(self) -> bool:
        return self.kind == self.Kind.EXTERNAL

    @property
    def has_sessions(self) -> bool:
        return self.kind in self.SESSION_KINDS


class Module(TimeStampedModel):
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="modules"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_es = models.CharField(_("title (Spanish)"), max_length=200, blank=True)
    video_url = models.URLField(_("video link"), blank=True)
    video_file = models.FileField(
        _("uploaded video"),
        upload_to=_video_path,
        blank=True,
        validators=[FileExtensionValidator(VIDEO_EXTENSIONS)],
        help_text=_("Kept private: shown only to people who may take the course."),
    )
    reading_en = models.TextField(_("reading (English)"), blank=True)
    reading_es = models.TextField(_("reading (Spanish)"), blank=True)
    quiz_pass_mark = models.PositiveSmallIntegerField(
        _("quiz pass mark (% of questions right)"),
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Used when the module has quiz questions."),
    )

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        ordering = ["course", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "position"], name="module_position_unique_in_course"
            ),
            models.CheckConstraint(
                condition=Q(quiz_pass_mark__gte=1) & Q(quiz_pass_mark__lte=100),
                name="module_pass_mark_is_a_percentage",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course} · {self.position}. {self.title_en}"

    def clean(self) -> None:
        course = self.course if self.course_id else None
        if course is None:
            return
        if not course.has_modules:
            raise ValidationError(
                _("Only program trainings and the mentoring intro video have modules.")
            )
        if (
            course.kind == Course.Kind.INTRO_VIDEO
            and Module.objects.filter(course=course).exclude(pk=self.pk).exists()
        ):
            raise ValidationError(_("The mentoring intro video is a one-module course."))

    @property
    def title(self) -> str:
        return _in_language(self.title_en, self.title_es)

    @property
    def reading(self) -> str:
        return _in_language(self.reading_en, self.reading_es)


class Question(models.Model):
    module = models.ForeignKey(
        Module, verbose_name=_("module"), on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    text_en = models.CharField(_("question (English)"), max_length=500)
    text_es = models.CharField(_("question (Spanish)"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("quiz question")
        verbose_name_plural = _("quiz questions")
        ordering = ["module", "position", "pk"]

    def __str__(self) -> str:
        return self.text_en

    @property
    def text(self) -> str:
        return _in_language(self.text_en, self.text_es)


class Choice(models.Model):
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="choices"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    text_en = models.CharField(_("answer (English)"), max_length=300)
    text_es = models.CharField(_("answer (Spanish)"), max_length=300, blank=True)
    is_correct = models.BooleanField(_("right answer"), default=False)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["question", "position", "pk"]

    def __str__(self) -> str:
        return self.text_en

    @property
    def text(self) -> str:
        return _in_language(self.text_en, self.text_es)


class QuizAttempt(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="quiz_attempts",
    )
    module = models.ForeignKey(
        Module, verbose_name=_("module"), on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    # {question id: chosen choice id}, as answered.
    answers = models.JSONField(_("answers"), default=dict)
    correct = models.PositiveSmallIntegerField(_("right answers"))
    total = models.PositiveSmallIntegerField(_("questions"))
    percent = models.PositiveSmallIntegerField(_("score (%)"))
    passed = models.BooleanField(_("passed"))

    class Meta:
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "module"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.module} · {self.percent}%"


class ModuleCompletion(models.Model):
    """One completion of a module; a renewal adds new rows, so earlier dates are kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="module_completions",
    )
    module = models.ForeignKey(
        Module, verbose_name=_("module"), on_delete=models.CASCADE, related_name="completions"
    )
    completed_at = models.DateTimeField(_("completed at"), default=timezone.now)
    quiz_attempt = models.OneToOneField(
        QuizAttempt,
        verbose_name=_("passing quiz attempt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="module_completion",
    )

    class Meta:
        verbose_name = _("module completion")
        verbose_name_plural = _("module completions")
        ordering = ["-completed_at", "-pk"]
        indexes = [models.Index(fields=["user", "module", "completed_at"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.module} · {self.completed_at:%Y-%m-%d}"


class CourseCompletion(models.Model):
    """One completion of a course (all its modules, a verified certificate, or attendance).

    Kept forever: the latest one says whether the course is valid or expired."""

    class Source(models.TextChoices):
        MODULES = "modules", _("All modules completed")
        CERTIFICATE = "certificate", _("Certificate verified")
        ATTENDANCE = "attendance", _("Attended a live session")
        STAFF = "staff", _("Recorded by staff")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="course_completions",
    )
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="completions"
    )
    completed_on = models.DateField(_("completed on"))
    source = models.CharField(_("how"), max_length=16, choices=Source.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # When the row was written: modules completed after it count toward the next renewal.
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("course completion")
        verbose_name_plural = _("course completions")
        ordering = ["-completed_on", "-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "course", "completed_on"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.course} · {self.completed_on}"


class Certificate(TimeStampedModel):
    """A certificate of a course completed elsewhere, uploaded by the person, checked by staff."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for verification")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Not accepted")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="training_certificates",
    )
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="certificates"
    )
    file = models.FileField(_("file"), upload_to=certificate_path)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("file type"), max_length=40)
    size = models.PositiveIntegerField(_("size (bytes)"))
    completed_on = models.DateField(_("completed on"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason it was not accepted"), blank=True)
    completion = models.OneToOneField(
        CourseCompletion,
        verbose_name=_("completion"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificate",
    )

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course"],
                condition=Q(status="pending"),
                name="one_pending_certificate_per_course",
            ),
            models.CheckConstraint(
                condition=Q(status="pending")
                | (Q(reviewed_by__isnull=False) & Q(reviewed_at__isnull=False)),
                name="reviewed_certificate_records_who_and_when",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="rejected_certificate_has_a_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.course} · {self.get_status_display()}"


class LiveSession(TimeStampedModel):
    """One scheduled session of a live training, at a place, by video, or both."""

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="sessions"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    time_zone = models.CharField(_("time zone"), max_length=64)
    location = models.CharField(_("place"), max_length=300, blank=True)
    video_url = models.URLField(_("video link"), blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("seats"), validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    details = models.TextField(_("details"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("scheduled by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("live session")
        verbose_name_plural = _("live sessions")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="session_has_a_seat"),
            models.CheckConstraint(
                condition=~Q(location="") | ~Q(video_url=""), name="session_has_place_or_link"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course} · {self.starts_at:%Y-%m-%d %H:%M} UTC"

    @property
    def local_start(self) -> dt.datetime:
        """The start as a wall-clock time where the session happens."""
        return self.starts_at.astimezone(ZoneInfo(self.time_zone))

    @property
    def local_end(self) -> dt.datetime:
        return self.ends_at.astimezone(ZoneInfo(self.time_zone))


class Registration(TimeStampedModel):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    session = models.ForeignKey(
        LiveSession,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="training_registrations",
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    promoted_at = models.DateTimeField(_("moved off the waiting list at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    # None until a coordinator marks attendance.
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    attendance_marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attendance marked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    attendance_marked_at = models.DateTimeField(_("attendance marked at"), null=True, blank=True)
    completion = models.OneToOneField(
        CourseCompletion,
        verbose_name=_("completion"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registration",
    )

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        # The waiting list is first come, first served.
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=~Q(status="cancelled"),
                name="one_active_registration_per_session",
            ),
        ]
        indexes = [models.Index(fields=["session", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.session} · {self.get_status_display()}"


class Gate(TimeStampedModel):
    """An action of the program and the courses it needs (all of them, each valid today)."""

    class Action(models.TextChoices):
        TAKE_DEFENSIVE_ASYLUM = "take_case:defensive_asylum", _("Take a defensive asylum case")
        TAKE_AFFIRMATIVE_ASYLUM = (
            "take_case:affirmative_asylum",
            _("Take an affirmative asylum case"),
        )
        TAKE_U_VISA = "take_case:u_visa", _("Take a U visa case")
        MENTOR_MATCH = "mentor_match", _("Be matched with a mentor")
        MENTOR_FIRST_MEETING = "mentor_first_meeting", _("Hold the first meeting with a mentor")

    action = models.CharField(_("action"), max_length=40, choices=Action.choices, unique=True)
    required_courses = models.ManyToManyField(
        Course, verbose_name=_("required courses"), blank=True, related_name="gates"
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("gate")
        verbose_name_plural = _("gates")
        ordering = ["action"]

    def __str__(self) -> str:
        return str(self.get_action_display())
