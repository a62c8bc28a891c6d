from django.urls import path

from amparo.intake import import_views

app_name = "intake"
urlpatterns: list = [
    path("cases/import/", import_views.case_import, name="case_import"),
    path("cases/import/jobs/<str:token>/", import_views.case_import_job, name="case_import_job"),
    path(
        "cases/import/template.csv",
        import_views.case_import_template_download,
        {"file_format": "csv"},
        name="case_import_template",
    ),
    path(
        "cases/import/template.xlsx",
        import_views.case_import_template_download,
        {"file_format": "xlsx"},
        name="case_import_template_xlsx",
    ),
]
