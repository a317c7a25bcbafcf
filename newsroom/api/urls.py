"""`/api/v1/`: the read-only JSON API (README, "The JSON API")."""

from django.urls import path

from newsroom.api import views

app_name = "api"

urlpatterns = [
    path("releases/", views.ReleaseList.as_view(), name="release-list"),
    path("releases/<str:slug>/", views.ReleaseDetail.as_view(), name="release-detail"),
    path("speeches/", views.SpeechList.as_view(), name="speech-list"),
    path("speeches/<str:slug>/", views.SpeechDetail.as_view(), name="speech-detail"),
    path("speakers/", views.SpeakerList.as_view(), name="speaker-list"),
    path("speakers/<str:slug>/", views.SpeakerDetail.as_view(), name="speaker-detail"),
    path("events/", views.EventList.as_view(), name="event-list"),
    path("events/<str:slug>/", views.EventDetail.as_view(), name="event-detail"),
    path("tags/", views.TagList.as_view(), name="tag-list"),
    path("tags/<str:slug>/", views.TagDetail.as_view(), name="tag-detail"),
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", views.DocsView.as_view(), name="docs"),
]
