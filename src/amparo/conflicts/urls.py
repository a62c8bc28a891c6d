from django.urls import path

from amparo.conflicts import views

app_name = "conflicts"
urlpatterns = [
    path("cases/<str:code>/conflicts/", views.case_conflicts, name="case_conflicts"),
]
