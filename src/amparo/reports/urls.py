from django.urls import path

from amparo.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("mine/", views.my_figures, name="mine"),
    path("export/", views.table_export, name="export"),
    path("funders/", views.funder_report, name="funder_report"),
]
