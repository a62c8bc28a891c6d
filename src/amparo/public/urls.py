from django.urls import path

from amparo.public import views

app_name = "public"
urlpatterns = [
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("urgent/", views.urgent, name="urgent"),
    path("newsletter/", views.newsletter, name="newsletter"),
    path("newsletter/sent/", views.newsletter_sent, name="newsletter_sent"),
    path("newsletter/confirm/<str:token>/", views.newsletter_confirm, name="newsletter_confirm"),
    path(
        "newsletter/unsubscribe/<str:token>/",
        views.newsletter_unsubscribe,
        name="newsletter_unsubscribe",
    ),
    path("newsletter/subscribers/", views.subscriber_list, name="subscriber_list"),
    path("newsletter/subscribers.csv", views.subscriber_export, name="subscriber_export"),
    path("support/", views.support, name="support"),
    path("partners/", views.partners, name="partners"),
    path("partners/thanks/", views.partners_thanks, name="partners_thanks"),
    path("partners/inquiries/", views.inquiry_list, name="inquiry_list"),
    path("partners/inquiries/<int:pk>/", views.inquiry_detail, name="inquiry_detail"),
]
