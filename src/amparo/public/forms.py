"""Forms of the public pages. Each public form carries a honeypot field (hidden from people and
screen readers, filled by bots): a submission that fills it is answered like a success and
nothing is saved. The services check everything again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from amparo.people.forms import BootstrapFormMixin
from amparo.public import services
from amparo.public.models import INQUIRY_NUMBER_MAX, SITE_LANGUAGES, PartnerInquiry

HONEYPOT_FIELD = "website"


class HoneypotForm(BootstrapFormMixin, forms.Form):
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style_widgets()

    @property
    def is_spam(self) -> bool:
        return bool(str(self.data.get(self.add_prefix(HONEYPOT_FIELD), "")).strip())


class NewsletterSubscribeForm(HoneypotForm):
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=services.EMAIL_MAX_LENGTH,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Enter your e-mail address."),
            "invalid": _("Enter a valid e-mail address, for example name@example.org."),
        },
    )
    language = forms.ChoiceField(
        label=_("Newsletter language"),
        choices=SITE_LANGUAGES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a language.")},
    )

    field_order = ["email", "language"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"language": "es" if get_language() == "es" else "en"})
        super().__init__(*args, **kwargs)


class PartnerInquiryForm(HoneypotForm):
    organization_name = forms.CharField(
        label=_("Organization"),
        max_length=services.NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
        error_messages={"required": _("Enter your organization's name.")},
    )
    contact_name = forms.CharField(
        label=_("Your name"),
        max_length=services.NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Enter the name of the person we should contact.")},
    )
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=services.EMAIL_MAX_LENGTH,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Enter your e-mail address."),
            "invalid": _("Enter a valid e-mail address, for example name@example.org."),
        },
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=services.PHONE_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    wants = forms.ChoiceField(
        label=_("What would your organization like?"),
        choices=PartnerInquiry.Wants.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what your organization would like.")},
    )
    approximate_number = forms.IntegerField(
        label=_("About how many cases?"),
        min_value=1,
        max_value=INQUIRY_NUMBER_MAX,
        help_text=_("An estimate is fine, for example over the next year."),
        error_messages={
            "required": _("Enter about how many cases, for example 10."),
            "invalid": _("Enter a whole number, for example 10."),
        },
    )
    message = forms.CharField(
        label=_("Anything we should know"),
        max_length=services.MESSAGE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "For example case types, courts, languages or deadlines. Please do not include "
            "clients' names or other identifying details."
        ),
    )

    field_order = [
        "organization_name",
        "contact_name",
        "email",
        "phone",
        "wants",
        "approximate_number",
        "message",
    ]


class InquiryUpdateForm(BootstrapFormMixin, forms.Form):
    optional_hint = False

    status = forms.ChoiceField(
        label=_("Status"),
        choices=PartnerInquiry.Status.choices,
        error_messages={"invalid_choice": _("Choose a status from the list.")},
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=services.MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example whom you spoke with and what was agreed."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style_widgets()
