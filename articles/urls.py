from django.urls import path

from articles import views

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("releases/", views.ReleaseListView.as_view(), name="release-list"),
    path("releases/<str:slug>/", views.ReleaseDetailView.as_view(), name="release-detail"),
    path("speeches/", views.SpeechListView.as_view(), name="speech-list"),
    path("speeches/<str:slug>/", views.SpeechDetailView.as_view(), name="speech-detail"),
    path("speakers/", views.SpeakerListView.as_view(), name="speaker-list"),
    path("speakers/<str:slug>/", views.SpeakerDetailView.as_view(), name="speaker-detail"),
    path("events/", views.EventListView.as_view(), name="event-list"),
    path("events/<str:slug>/", views.EventDetailView.as_view(), name="event-detail"),
    path("tags/", views.TagListView.as_view(), name="tag-list"),
    path("tags/<str:slug>/", views.tag_detail, name="tag-detail"),
]
