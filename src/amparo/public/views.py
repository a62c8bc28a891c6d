"""Pages without sign-in (urgent needs, newsletter, support, partner inquiries) and the staff's
pages behind them (the inquiries, the subscribers' export)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from amparo.core.http import AuthenticatedRequest
from amparo.core.middleware import indexable_paths
from amparo.core.policy import authorize
from amparo.public import selectors, services
from amparo.public.forms import InquiryUpdateForm, NewsletterSubscribeForm, PartnerInquiryForm
from amparo.public.models import PartnerInquiry
from amparo.public.ratelimit import rate_limit_exceeded

URGENT_PAGE_SIZE = 20
INQUIRIES_PER_PAGE = 50
# At most this many submissions of each public form per address and hour (spam and abuse).
FORM_RATE_LIMIT = 5
FORM_RATE_WINDOW_SECONDS = 60 * 60


def _language() -> str:
    return "es" if get_language() == "es" else "en"


def _rate_limited(request: HttpRequest, scope: str) -> HttpResponse | None:
    if not rate_limit_exceeded(
        request, scope=scope, limit=FORM_RATE_LIMIT, window_seconds=FORM_RATE_WINDOW_SECONDS
    ):
        return None
    response = render(request, "public/rate_limited.html", status=429)
    response["Retry-After"] = str(FORM_RATE_WINDOW_SECONDS)
    return response


# --- urgent needs ------------------------------------------------------------------------------


@require_safe
def urgent(request: HttpRequest) -> HttpResponse:
    """Cases a coordinator opted in, anonymized as on the board, with a call to join."""
    page = Paginator(selectors.urgent_case_list(), URGENT_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    language = _language()
    context = {
        "page": page,
        "cards": [selectors.urgent_card(case=case, language=language) for case in page],
        "support": selectors.support_page_get(),
        "board_sign_in_url": f"{reverse('account_login')}?next={reverse('board:board')}",
    }
    return render(request, "public/urgent.html", context)


# --- newsletter --------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def newsletter(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "public/newsletter.html", {"form": NewsletterSubscribeForm()})
    if limited := _rate_limited(request, "newsletter"):
        return limited
    form = NewsletterSubscribeForm(request.POST)
    if form.is_spam:
        return redirect("public:newsletter_sent")  # answered like a success; nothing saved
    if form.is_valid():
        try:
            # The same answer whether the address was new, pending or already on the list, so
            # the form never tells who subscribes.
            services.subscriber_subscribe(
                email=form.cleaned_data["email"], language=form.cleaned_data["language"]
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return redirect("public:newsletter_sent")
    return render(request, "public/newsletter.html", {"form": form}, status=422)


@require_safe
def newsletter_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "public/newsletter_sent.html")


def _link_refused(request: HttpRequest, error: services.NewsletterLinkError) -> HttpResponse:
    context = {"problem": error.kind}  # expired, invalid or used: each has its explanation
    return render(request, "public/newsletter_link_refused.html", context, status=400)


@require_http_methods(["GET", "HEAD", "POST"])
def newsletter_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the confirmation e-mail opens a page with a button: mail scanners that
    open links must not subscribe anyone; the person's click does."""
    try:
        if request.method == "POST":
            subscriber = services.subscriber_confirm(token=token)
            context = {
                "unsubscribe_url": reverse(
                    "public:newsletter_unsubscribe",
                    args=[services.subscriber_unsubscribe_token(subscriber)],
                )
            }
            return render(request, "public/newsletter_confirmed.html", context)
        services.subscriber_get_for_confirmation(token=token)
    except services.NewsletterLinkError as error:
        return _link_refused(request, error)
    return render(request, "public/newsletter_confirm.html")


@require_http_methods(["GET", "HEAD", "POST"])
def newsletter_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        if request.method == "POST":
            services.subscriber_unsubscribe(token=token)
            return render(request, "public/newsletter_unsubscribed.html")
        subscriber = services.subscriber_get_for_unsubscribe(token=token)
    except services.NewsletterLinkError as error:
        return _link_refused(request, error)
    context = {"already": subscriber.unsubscribed_at is not None}
    return render(request, "public/newsletter_unsubscribe.html", context)


@login_required
@require_safe
def subscriber_list(request: AuthenticatedRequest) -> HttpResponse:
    authorize(request.user, "public.export_newsletter_subscribers")
    return render(request, "public/subscriber_list.html", {"counts": selectors.subscriber_counts()})


@login_required
@require_safe
def subscriber_export(request: AuthenticatedRequest) -> HttpResponse:
    authorize(request.user, "public.export_newsletter_subscribers")
    body = services.subscriber_export_csv(actor=request.user, request=request)
    # A byte-order mark so that spreadsheet programs read accents as UTF-8.
    response = HttpResponse("\ufeff" + body, content_type="text/csv; charset=utf-8")
    filename = f"newsletter-subscribers-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- support -----------------------------------------------------------------------------------


@require_safe
def support(request: HttpRequest) -> HttpResponse:
    page = selectors.support_page_get()
    text = page.text_for(_language()).strip() if page else ""
    context = {
        "text": text,
        "donation_url": page.donation_url if page else "",
        "contact_email": page.contact_email if page else "",
    }
    return render(request, "public/support.html", context)


# --- partner inquiries ---------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def partners(request: HttpRequest) -> HttpResponse:
    """A nonprofit asks to place cases or mentorship requests in bulk."""
    if request.method != "POST":
        return render(request, "public/partners.html", {"form": PartnerInquiryForm()})
    if limited := _rate_limited(request, "partners"):
        return limited
    form = PartnerInquiryForm(request.POST)
    if form.is_spam:
        return redirect("public:partners_thanks")  # answered like a success; nothing saved
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.partner_inquiry_create(
                organization_name=data["organization_name"],
                contact_name=data["contact_name"],
                email=data["email"],
                phone=data["phone"],
                wants=data["wants"],
                approximate_number=data["approximate_number"],
                message=data["message"],
                language=_language(),
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return redirect("public:partners_thanks")
    return render(request, "public/partners.html", {"form": form}, status=422)


@require_safe
def partners_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "public/partners_thanks.html")


@login_required
@require_safe
def inquiry_list(request: AuthenticatedRequest) -> HttpResponse:
    authorize(request.user, "public.view_partner_inquiries")
    status = request.GET.get("status", "")
    status = status if status in PartnerInquiry.Status.values else ""
    page = Paginator(selectors.partner_inquiry_list(status=status), INQUIRIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    counts = selectors.partner_inquiry_counts()
    context: dict[str, Any] = {
        "page": page,
        "status": status,
        "statuses": [
            (value, label, counts.get(value, 0)) for value, label in PartnerInquiry.Status.choices
        ],
        "total": sum(counts.values()),
    }
    return render(request, "public/inquiry_list.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def inquiry_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inquiry = selectors.partner_inquiry_get_for_user(user=request.user, pk=pk)
    status = 200
    if request.method == "POST":
        form = InquiryUpdateForm(request.POST)
        if form.is_valid():
            try:
                services.partner_inquiry_update(
                    inquiry=inquiry,
                    actor=request.user,
                    status=form.cleaned_data["status"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(
                    request,
                    _("The inquiry from %(organization)s is saved.")
                    % {"organization": inquiry.organization_name},
                )
                return redirect("public:inquiry_detail", pk=inquiry.pk)
        status = 422
    else:
        form = InquiryUpdateForm(initial={"status": inquiry.status, "note": inquiry.staff_note})
    return render(
        request, "public/inquiry_detail.html", {"inquiry": inquiry, "form": form}, status=status
    )


# --- robots.txt ----------------------------------------------------------------------------------


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Search engines may crawl the public pages (and the static files they are drawn with),
    nothing else (RFC 9309: the longest matching rule wins, `$` ends a path). Each page is
    allowed exactly, with or without a query string (`/urgent/?page=2`), so the pages under it
    (`/newsletter/subscribers/`, `/partners/inquiries/`) stay disallowed."""
    lines = ["User-agent: *"]
    for path in indexable_paths():
        lines += [f"Allow: {path}$", f"Allow: {path}?"]
    lines += [f"Allow: {settings.STATIC_URL}", "Disallow: /", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
