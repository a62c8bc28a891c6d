from django.urls import path

from amparo.trainings import staff_views, views

app_name = "trainings"
urlpatterns = [
    path("trainings/", views.catalogue, name="catalogue"),
    path("trainings/courses/<int:pk>/", views.course_detail, name="course"),
    path(
        "trainings/courses/<int:pk>/certificate/",
        views.certificate_upload,
        name="certificate_upload",
    ),
    path("trainings/modules/<int:pk>/", views.module_detail, name="module"),
    path("trainings/modules/<int:pk>/done/", views.module_complete, name="module_complete"),
    path("trainings/modules/<int:pk>/quiz/", views.module_quiz, name="module_quiz"),
    path("trainings/modules/<int:pk>/video/", views.module_video, name="module_video"),
    path(
        "trainings/certificates/",
        staff_views.certificate_review_queue,
        name="certificate_queue",
    ),
    path(
        "trainings/certificates/<int:pk>/",
        staff_views.certificate_review,
        name="certificate_review",
    ),
    path("trainings/certificates/<int:pk>/file/", views.certificate_file, name="certificate_file"),
    path("trainings/sessions/", staff_views.session_index, name="sessions"),
    path("trainings/sessions/new/", staff_views.session_new, name="session_new"),
    path("trainings/sessions/<int:pk>/", staff_views.session_detail, name="session"),
    path(
        "trainings/sessions/<int:pk>/attendance/",
        staff_views.session_attendance,
        name="session_attendance",
    ),
    path("trainings/sessions/<int:pk>/register/", views.session_register, name="session_register"),
    path("trainings/sessions/<int:pk>/calendar/", views.session_calendar, name="session_calendar"),
    path(
        "trainings/registrations/<int:pk>/cancel/",
        views.registration_cancel,
        name="registration_cancel",
    ),
]
