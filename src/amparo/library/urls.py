from django.urls import path

from amparo.library import views

app_name = "library"
urlpatterns = [
    path("", views.document_list, name="document_list"),
    path("new/", views.document_create, name="document_create"),
    path("<int:pk>/", views.document_detail, name="document_detail"),
    path("<int:pk>/edit/", views.document_edit, name="document_edit"),
    path("<int:pk>/versions/new/", views.version_create, name="version_create"),
    path("versions/<int:pk>/download/", views.version_download, name="version_download"),
    path("notifications/", views.notification_list, name="notifications"),
    path("strategy/", views.strategy_note_list, name="strategy_notes"),
    path("strategy/new/", views.strategy_note_create, name="strategy_note_create"),
    path("strategy/<int:pk>/edit/", views.strategy_note_edit, name="strategy_note_edit"),
    path("strategy/<int:pk>/history/", views.strategy_note_history, name="strategy_note_history"),
]
