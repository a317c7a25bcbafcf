from django.urls import path

from newsroom.media import views

app_name = "media_library"

urlpatterns = [path("<path:name>", views.serve, name="file")]
