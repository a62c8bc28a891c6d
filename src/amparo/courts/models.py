from django.db import models
from django.utils.translation import gettext_lazy as _


class ImmigrationCourt(models.Model):
    """A U.S. Immigration Court (EOIR), loaded from data/immigration-courts.csv by a migration."""

    code = models.CharField(_("EOIR code"), max_length=8, blank=True)
    name = models.CharField(_("name"), max_length=120, unique=True)
    city = models.CharField(_("city"), max_length=80)
    state = models.CharField(_("state"), max_length=2)
    time_zone = models.CharField(_("time zone"), max_length=64)
    detained_docket = models.CharField(
        _("detained docket"),
        max_length=8,
        choices=[("yes", _("Yes")), ("no", _("No")), ("unknown", _("Unknown"))],
        default="unknown",
    )
    source = models.URLField(_("source"), blank=True)
    note = models.TextField(_("note"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("immigration court")
        verbose_name_plural = _("immigration courts")
        ordering = ["state", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def needs_verification(self) -> bool:
        note = self.note.lower()
        return "uncertain" in note or "verify" in note


class DetentionFacility(models.Model):
    name = models.CharField(_("name"), max_length=160, unique=True)
    city = models.CharField(_("city"), max_length=80)
    state = models.CharField(_("state"), max_length=2)
    court = models.ForeignKey(
        ImmigrationCourt,
        verbose_name=_("immigration court"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="detention_facilities",
    )
    visiting_notes = models.TextField(_("visiting notes"), blank=True)

    class Meta:
        verbose_name = _("detention facility")
        verbose_name_plural = _("detention facilities")
        ordering = ["state", "name"]

    def __str__(self) -> str:
        return self.name
