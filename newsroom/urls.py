from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from newsroom.views import healthz

admin.site.site_header = f"{settings.NEWSROOM_NAME} — editorial workspace"
admin.site.site_title = settings.NEWSROOM_NAME
admin.site.index_title = "Releases, speeches and the people and events they are about"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include("newsroom.api.urls")),
    path("", include("newsroom.distribution.urls")),
    path("", include("articles.urls")),
]
