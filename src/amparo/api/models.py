"""Bearer tokens for the JSON API: each belongs to one user, and so to that user's role and
organization; the policy decides what a token may do exactly as it decides for the person.

Only the SHA-256 of a token is stored (a token is 256 random bits, so a plain hash is enough:
nothing to brute-force); the token itself is shown once, when it is created. The prefix lets
people tell their tokens apart in the admin without revealing them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("What the token is for, e.g. the partner's system.")
    )
    token_hash = models.CharField(_("SHA-256 of the token"), max_length=64, unique=True)
    prefix = models.CharField(_("prefix"), max_length=16)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
