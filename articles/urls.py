from django.urls import path
from django.views.generic import TemplateView

from articles import feeds, preview_links, sitemaps, views
from articles.models import Release, Speech

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("releases/", views.ReleaseListView.as_view(), name="release-list"),
    path("releases/<str:slug>/", views.ReleaseDetailView.as_view(), name="release-detail"),
    path("speeches/", views.SpeechListView.as_view(), name="speech-list"),
    path("speeches/<str:slug>/", views.SpeechDetailView.as_view(), name="speech-detail"),
    # Corrections and withdrawals (issue 18): an item's public versions and what changed
    path(
        "releases/<str:slug>/versions/",
        views.VersionListView.as_view(model=Release),
        name="release-versions",
    ),
    path(
        "releases/<str:slug>/versions/<uuid:version>/",
        views.VersionDetailView.as_view(model=Release),
        name="release-version",
    ),
    path(
        "releases/<str:slug>/versions/<uuid:version>/changes/",
        views.VersionChangesView.as_view(model=Release),
        name="release-version-changes",
    ),
    path(
        "speeches/<str:slug>/versions/",
        views.VersionListView.as_view(model=Speech),
        name="speech-versions",
    ),
    path(
        "speeches/<str:slug>/versions/<uuid:version>/",
        views.VersionDetailView.as_view(model=Speech),
        name="speech-version",
    ),
    path(
        "speeches/<str:slug>/versions/<uuid:version>/changes/",
        views.VersionChangesView.as_view(model=Speech),
        name="speech-version-changes",
    ),
    # A speech as delivered beside its script as released ("Check against delivery").
    path(
        "speeches/<str:slug>/versions/script/changes/",
        views.ScriptChangesView.as_view(model=Speech),
        name="speech-script-changes",
    ),
    # A draft's read-only preview for an approver without an account (issue 22).
    path("preview/<str:token>/", preview_links.preview_link, name="preview-link"),
    path("corrections/", views.CorrectionListView.as_view(), name="correction-list"),
    path("feeds/corrections/", feeds.CorrectionFeed(), name="correction-feed"),
    path("feeds/corrections/atom/", feeds.CorrectionAtomFeed(), name="correction-feed-atom"),
    path("speakers/", views.SpeakerListView.as_view(), name="speaker-list"),
    path("speakers/<str:slug>/", views.SpeakerDetailView.as_view(), name="speaker-detail"),
    path("events/", views.EventListView.as_view(), name="event-list"),
    path("events/<str:slug>/", views.EventDetailView.as_view(), name="event-detail"),
    path("tags/", views.TagListView.as_view(), name="tag-list"),
    path("tags/<str:slug>/", views.tag_detail, name="tag-detail"),
    # Discovery (issue 6): search, archive, feeds, sitemap, robots.txt
    path("search/", views.search_page, name="search"),
    path("archive/", views.archive, name="archive"),
    path("archive/<int:year>/", views.archive_year, name="archive-year"),
    path("feeds/releases/", feeds.ReleaseFeed(), name="release-feed"),
    path("feeds/releases/atom/", feeds.ReleaseAtomFeed(), name="release-feed-atom"),
    path("feeds/speeches/", feeds.SpeechFeed(), name="speech-feed"),
    path("feeds/speeches/atom/", feeds.SpeechAtomFeed(), name="speech-feed-atom"),
    path("sitemap.xml", sitemaps.index, name="sitemap"),
    path("sitemap-<str:section>.xml", sitemaps.section, name="sitemap-section"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),  # fmt: skip
]
