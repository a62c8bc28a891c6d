from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError("The audit log is append-only.")

    def delete(self) -> NoReturn:
        raise PermissionError("The audit log is append-only.")


class AuditEvent(models.Model):
    """One thing someone did or saw: append-only, written by services in their transaction."""

    class Action(models.TextChoices):
        CLIENT_FILE_VIEWED = "client_file.viewed", _("Client file viewed")
        CLIENT_CREATED = "client.created", _("Client created")
        CASE_CREATED = "case.created", _("Case created")
        CASE_UPDATED = "case.updated", _("Case updated")
        CASE_PLACED = "case.placed", _("Case placed")
        CASE_WITHDRAWN = "case.withdrawn", _("Attorney's withdrawal recorded")
        PARTIES_REVEALED = "case.parties_revealed", _("Party names shown to an attorney")
        ATTORNEY_VERIFIED = "attorney.verified", _("Attorney verified")
        ATTORNEY_DECLINED = "attorney.declined", _("Attorney declined")
        ATTORNEY_SUSPENDED = "attorney.suspended", _("Attorney suspended")
        CONFLICT_HIT_RESOLVED = "conflict_hit.resolved", _("Possible conflict resolved")
        TRAINING_SESSION_SCHEDULED = "training_session.scheduled", _("Live training scheduled")
        TRAINING_ATTENDANCE_MARKED = (
            "training_session.attendance_marked",
            _("Training attendance marked"),
        )
        CERTIFICATE_UPLOADED = "training_certificate.uploaded", _("Training certificate uploaded")
        CERTIFICATE_VERIFIED = "training_certificate.verified", _("Training certificate verified")
        CERTIFICATE_REJECTED = "training_certificate.rejected", _("Training certificate rejected")
        MENTORING_REQUESTED = "mentoring_request.created", _("Mentor requested for a case")
        MENTORING_REQUEST_WITHDRAWN = "mentoring_request.withdrawn", _("Mentor request withdrawn")
        ELIGIBILITY_OVERRIDDEN = (
            "mentoring_eligibility.overridden",
            _("Mentee requirement overridden"),
        )
        MENTOR_CONFIRMED = "mentorship.confirmed", _("Mentor confirmed and invited")
        MENTORSHIP_ACCEPTED = "mentorship.accepted", _("Mentor accepted a mentorship")
        MENTORSHIP_DECLINED = "mentorship.declined", _("Mentor declined a mentorship")
        AGREEMENT_SIGNED = "mentoring_agreement.signed", _("Mentoring agreement signed")
        API_TOKEN_CREATED = "api_token.created", _("API token created")
        API_TOKEN_REVOKED = "api_token.revoked", _("API token revoked")
        KEYS_ROTATED = "keys.rotated", _("Encryption keys rotated")
        EXPORT = "export", _("Export containing personal data")
        DEMO_LOADED = "demo.loaded", _("Demo data loaded")
        CLIENT_DOCUMENT_DOWNLOADED = "client_document.downloaded", _("Client document downloaded")
        AUDIT_LOG_SEARCHED = "audit_log.searched", _("Audit log searched")
        SIGNED_IN = "user.signed_in", _("Signed in")
        SIGNED_OUT_EVERYWHERE = "user.signed_out_everywhere", _("Signed out everywhere")
        BACKUP_CREATED = "backup.created", _("Backup created")
        BACKUP_RESTORED = "backup.restored", _("Backup restored")
        CASE_ARCHIVED = "case.archived", _("Case archived")
        CASE_PURGED = "case.purged", _("Case purged of personal data")

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("what"), max_length=64, choices=Action.choices, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    # Never personal data here: ids and codes only.
    data = models.JSONField(_("details"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_id} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("The audit log is append-only.")
