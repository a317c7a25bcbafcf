from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
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
    # Media files, through the public rule of the items that use them (newsroom/media/).
    path("media/", include("newsroom.media.urls")),
]
# The public site in each language: English at the unprefixed addresses, French under /fr/.
urlpatterns += i18n_patterns(path("", include("articles.urls")), prefix_default_language=False)
