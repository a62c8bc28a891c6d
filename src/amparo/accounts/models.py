from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    ATTORNEY = "attorney", _("Volunteer attorney")
    MENTOR = "mentor", _("Mentor")
    PROGRAM_ADMIN = "program_admin", _("Program administrator")
    PARTNER = "partner", _("Partner organization staff")


# Roles that see client data as staff or as a mentor: they must enrol TOTP first (PRODUCT.md,
# "staff accounts use two-factor authentication"). Attorneys: a setting can require it too.
TWO_FACTOR_ROLES = frozenset({Role.COORDINATOR, Role.PROGRAM_ADMIN, Role.PARTNER, Role.MENTOR})
STAFF_ROLES = frozenset({Role.COORDINATOR, Role.PROGRAM_ADMIN})


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("role", Role.PROGRAM_ADMIN)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in with their e-mail address. One role each."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    organization = models.ForeignKey(
        "people.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=[("en", _("English")), ("es", _("Spanish"))],
        default="en",
    )
    # Demo sign-ins may skip two-factor enrolment, and only while DEBUG is on.
    is_demo = models.BooleanField(_("demo account"), default=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    objects = UserManager()  # type: ignore[assignment,misc]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=[r.value for r in Role]), name="user_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_coordinator(self) -> bool:
        return self.role == Role.COORDINATOR

    @property
    def is_attorney(self) -> bool:
        return self.role == Role.ATTORNEY

    @property
    def is_mentor(self) -> bool:
        return self.role == Role.MENTOR

    @property
    def is_program_admin(self) -> bool:
        return self.role == Role.PROGRAM_ADMIN

    @property
    def is_partner(self) -> bool:
        return self.role == Role.PARTNER

    @property
    def is_program_staff(self) -> bool:
        return self.role in STAFF_ROLES
