from django.urls import path

from amparo.deadlines import feed_views, views

app_name = "deadlines"
urlpatterns = [
    path("calendar/", feed_views.calendar_settings, name="calendar_settings"),
    path("calendar/<str:token>.ics", feed_views.calendar_feed, name="calendar_feed"),
    path("cases/<str:code>/deadlines/", views.case_deadlines, name="case_deadlines"),
]
