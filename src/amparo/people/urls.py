from django.urls import path

from amparo.people import views

app_name = "people"
urlpatterns = [
    path("join/", views.join, name="join"),
    path("join/thanks/", views.join_thanks, name="join_thanks"),
    path("volunteers/verify/", views.verification_queue, name="verification_queue"),
    path("volunteers/me/", views.my_profile, name="my_profile"),
    path("volunteers/<int:pk>/", views.attorney_detail, name="attorney_detail"),
]
