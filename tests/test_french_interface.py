"""The public site's interface in French (under /fr/), from the gettext catalogue in
locale/fr/, and the English site left exactly as it was.

French typography: a non-breaking space (U+00A0) before « : ; ? ! » and inside « ».
"""

import gettext
import re
import shutil
import subprocess
from datetime import timedelta
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.template.loader import render_to_string
from django.utils import timezone, translation

from articles.models import Speaker
from newsroom.distribution.forms import SubscribeForm
from tests.factories import make_release, make_speech

pytestmark = pytest.mark.usefixtures("uncached_pages")

NBSP = "\u00a0"
SITE = settings.NEWSROOM_NAME
CATALOGUE = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES"


@pytest.fixture
def archive(db):
    """The seed archive (English) and 25 French releases and a French speech, all with
    the tag Ukraine and quoting Jens Stoltenberg: two pages of French releases."""
    call_command("loaddata", "seed", verbosity=0)
    speaker = Speaker.objects.get(slug="jens-stoltenberg")
    now = timezone.now().replace(microsecond=0)
    releases = [
        make_release(
            language="fr",
            title=f"Communiqué numéro {n}",
            slug=f"communique-{n}",
            tags=["Ukraine"],
            speakers=[speaker],
            published_at=now - timedelta(days=n),
        )
        for n in range(1, 26)
    ]
    speech = make_speech(
        language="fr",
        title="Discours du Secrétaire général",
        slug="discours-du-secretaire-general",
        speakers=[speaker],
        tags=["Ukraine"],
        delivery_status="as-delivered",
    )
    return {"releases": releases, "speech": speech}


def text(response) -> str:
    """The page as read: tags out, entities decoded, spaces collapsed (not NBSP)."""
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"[ \t\r\n]+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def assert_all_in(page: str, expected: list[str]) -> None:
    missing = [words for words in expected if words not in page]
    assert not missing, f"missing: {missing}"


# Interface words of the English site that must not be left on its French pages.
ENGLISH_FURNITURE = [
    "Skip to content",
    "Search releases and speeches",
    ">Releases<",
    ">Speeches<",
    ">Speakers<",
    ">Topics<",
    ">Archive<",
    "Corrections and withdrawals",
    "Times are shown in",
    "Apply filters",
    "match the filters",
    "Clear all filters",
    "Get email alerts",
    "Newer<",
    "Older<",
]


def assert_no_english_furniture(response) -> None:
    html = response.content.decode()
    left = [words for words in ENGLISH_FURNITURE if words in html]
    assert not left, f"English left on a French page: {left}"


# --- French pages ----------------------------------------------------------------------


def test_french_home_has_french_navigation_and_footer(client, archive):
    response = client.get("/fr/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert '<nav aria-label="Menu principal">' in html
    page = text(response)
    assert_all_in(
        page,
        [
            "Aller au contenu",
            "Communiqués Discours Intervenants Événements Thèmes Archives",
            "Derniers communiqués et actualités",
            "Tous les communiqués et actualités",
            "Discours et transcriptions",
            "Événements récents",
            "Citations de Jens Stoltenberg",
            "Heures indiquées selon le fuseau horaire",
            "Corrections et retraits",
        ],
    )
    assert 'placeholder="Rechercher dans les communiqués et les discours"' in html
    assert_no_english_furniture(response)


def test_french_release_list_has_french_filters_chips_and_pagination(client, archive):
    response = client.get("/fr/releases/?tag=ukraine")
    assert response.status_code == 200
    page = text(response)
    assert_all_in(
        page,
        [
            "Communiqués de presse et actualités",
            "25 communiqués correspondent aux filtres · page 1 sur 2",
            "Filtres (1 actif)",
            "Filtrer",
            "Mots",
            "Ajouter un thème",
            f"Tapez pour choisir{NBSP}; chaque thème choisi doit correspondre.",
            "Tous les thèmes",
            "Intervenant",
            "Les plus cités sont proposés.",
            "Tous les intervenants",
            "Événement",
            "Type Tous les types",
            "Communiqué de presse",
            "Du (AAAA-MM-JJ)",
            "Au (AAAA-MM-JJ)",
            "Appliquer les filtres",
            "Recevoir des alertes par e-mail pour ces filtres",
            "Filtres actifs",
            f"Thème{NBSP}: Ukraine",
            "Effacer tous les filtres",
            "Plus anciens ›",
            f"Suivre cette liste{NBSP}:",
        ],
    )
    html = response.content.decode()
    assert f'aria-label="Retirer le filtre Thème{NBSP}: Ukraine"' in html
    assert "<legend>Date</legend>" in html
    assert 'placeholder="AAAA-MM-JJ"' in html
    assert 'title="Flux RSS de cette liste"' in html
    assert '<span class="visually-hidden">Page </span>1' in html
    assert_no_english_furniture(response)

    second = client.get("/fr/releases/?tag=ukraine&page=2")
    assert "25 communiqués correspondent aux filtres · page 2 sur 2" in text(second)
    assert '‹ <span class="visually-hidden">Éléments </span>Plus récents' in second.content.decode()


def test_french_list_counts_follow_french_plurals(client, archive):
    """French counts 0 and 1 in the singular."""
    one = text(client.get("/fr/speeches/"))
    assert "1 discours" in one and "Discours et transcriptions" in one
    assert "Aucun discours ne correspond" not in one
    nothing = text(client.get("/fr/speeches/?kind=interview"))
    assert "0 discours correspond aux filtres" in nothing
    assert (
        "Aucun discours ne correspond à ces filtres. Retirez un filtre pour en voir davantage."
        in (nothing)
    )
    unknown = text(client.get("/fr/releases/?speaker=nobody-at-all"))
    assert f"Il n’existe aucun intervenant «{NBSP}nobody-at-all{NBSP}». Aucun contenu" in unknown


def test_french_detail_pages_label_their_facts_in_french(client, archive):
    release = archive["releases"][0]
    page = text(client.get(f"/fr/releases/{release.slug}/"))
    assert_all_in(
        page,
        ["Communiqué de presse", "Publié le", "Personnes citées", "Thèmes", "Intervenant"],
    )
    html = client.get(f"/fr/releases/{release.slug}/").content.decode()
    assert 'aria-label="À propos de ce communiqué"' in html

    speech = text(client.get(f"/fr/speeches/{archive['speech'].slug}/"))
    assert_all_in(
        speech,
        ["Discours · Tel que prononcé", "Prononcé le", "Ceci est le texte tel que prononcé ."],
    )


def test_french_directory_archive_and_record_pages(client, archive):
    pages = {
        "/fr/speakers/": ["Intervenants", "personnes qui s’expriment ou sont citées"],
        "/fr/speakers/jens-stoltenberg/": [
            "Suivre Jens Stoltenberg",  # in a lang="en" span: no French version
            "Flux RSS des communiqués",
            "Citations dans les communiqués (25)",
            "Les 25 communiqués",
        ],
        "/fr/events/": ["Événements", "réunions, sommets, exercices et cérémonies"],
        "/fr/tags/": ["Thèmes", "1 thème avec des contenus publiés", "25 communiqués, 1 discours"],
        "/fr/tags/ukraine/": ["Thème", "Communiqués (25)", "Discours (1)"],
        "/fr/archive/": ["Archives", "Choisissez une année pour en voir les mois.", "Année"],
        "/fr/corrections/": ["Corrections et retraits", "Aucun contenu publié n’a été corrigé"],
        "/fr/search/": ["Recherche", "Saisissez quelques mots pour rechercher"],
    }
    for url, expected in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert_all_in(text(response), expected)
        assert_no_english_furniture(response)


def test_french_search_page(client, archive):
    page = text(client.get("/fr/search/?q=zzzqqq"))
    assert_all_in(
        page,
        [
            f"0 résultat pour «{NBSP}zzzqqq{NBSP}»",
            "Tous les mots doivent correspondre.",
            "Tout Communiqués et actualités Discours",
            f"Aucun résultat pour «{NBSP}zzzqqq{NBSP}». Essayez avec moins de mots",
        ],
    )


def test_a_french_400_names_the_field_with_a_french_message(client, archive):
    response = client.get("/fr/releases/?date_after=nonsense")
    assert response.status_code == 400
    page = text(response)
    assert_all_in(
        page,
        [
            "Requête incorrecte",
            "Nous n’avons pas pu comprendre cette requête",
            f"Veuillez corriger les points suivants, puis réessayer{NBSP}:",
            f"date_after {NBSP}: Saisissez une date au format AAAA-MM-JJ, par exemple 2024-03-14.",
            "Recommencer sans filtres",
        ],
    )
    assert "Enter a date" not in page

    swapped = text(client.get("/fr/releases/?date_after=2024-05-01&date_before=2024-01-01"))
    assert (
        f"La date «{NBSP}Au{NBSP}» (date_before=2024-01-01) précède la date «{NBSP}Du{NBSP}» "
        f"(date_after=2024-05-01){NBSP}: inversez les deux dates."
    ) in swapped


def test_the_french_404_page_is_french(client, archive):
    response = client.get("/fr/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert_all_in(
        text(response),
        ["Page introuvable", "Il n’y a aucune page à cette adresse.", "tous les communiqués"],
    )
    assert '<a href="/fr/">Aller à l’accueil de la salle de presse</a>' in html


def test_french_feeds_have_french_titles(client, archive):
    rss = client.get("/fr/feeds/releases/?tag=ukraine").content.decode()
    assert (
        f"<title>{SITE}{NBSP}: Communiqués de presse et actualités — thème Ukraine</title>" in rss
    )
    assert (
        f"<description>Les derniers communiqués de presse et actualités publiés par {SITE}."
        "</description>"
    ) in rss
    assert "<language>fr</language>" in rss
    atom = client.get("/fr/feeds/speeches/atom/").content.decode()
    assert f"<title>{SITE}{NBSP}: Discours et transcriptions</title>" in atom
    corrections = client.get("/fr/feeds/corrections/").content.decode()
    assert f"<title>{SITE}{NBSP}: corrections et retraits</title>" in corrections


def test_french_error_and_alert_pages_render_in_french(db):
    with translation.override("fr"):
        server_error = render_to_string("500.html")
        unavailable = render_to_string("503.html")
        subscribe = render_to_string(
            "distribution/subscribe.html",
            {
                "form": SubscribeForm(),
                "filter": {"scope": "releases"},
                "filter_words": "x",
                "filter_url": "/",
            },  # fmt: skip
        )
    assert '<html lang="fr">' in server_error
    assert "Un problème est survenu de notre côté" in server_error
    assert "La salle de presse est temporairement indisponible" in unavailable
    assert_all_in(
        subscribe,
        [
            "Recevoir des alertes par e-mail",
            "Votre adresse e-mail",
            "Dès qu’un élément est publié",
            "Un e-mail par jour (un récapitulatif)",
            "M’envoyer un lien de confirmation",
        ],
    )


# --- the English site is unchanged -----------------------------------------------------


def test_english_pages_keep_their_english_interface(client, archive):
    response = client.get("/releases/?tag=ukraine")
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert_all_in(
        html,
        [
            '<a class="skip-link" href="#main">Skip to content</a>',
            '<nav aria-label="Main">',
            'aria-current="page">Releases</a>',
            '<button type="submit">Search</button>',
            "<h1>Press releases and news</h1>",
            '<p class="count" role="status">4 releases match the filters</p>',
            '<span class="filter-panel__count">(1 active)</span>',
            '<label for="id_tag">Add a tag</label>',
            '<option value="">Any kind</option>',
            "<legend>Date</legend>",
            '<label for="id_date_after">From <span class="help">(YYYY-MM-DD)</span></label>',
            '<li class="chip">Tag: <strong>Ukraine</strong>',
            'aria-label="Remove filter Tag: Ukraine"',
            "Times are shown in Europe/Brussels time.",
            ">Corrections and withdrawals</a>",
        ],
    )
    assert "Communiqué" not in html

    bad = client.get("/releases/?date_after=nonsense")
    assert (
        "<li><strong>date_after</strong>: Enter a date as YYYY-MM-DD, for example 2024-03-14.</li>"
        in bad.content.decode()
    )
    missing = client.get("/no-such-page/")
    assert "<h1>Page not found</h1>" in missing.content.decode()
    rss = client.get("/feeds/releases/?tag=ukraine").content.decode()
    assert f"<title>{SITE}: Press releases and news — tagged Ukraine</title>" in rss
    assert "<language>en</language>" in rss


# --- the catalogue ---------------------------------------------------------------------


def _unquote(lines: list[str]) -> str:
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    joined = "".join(line[line.index('"') + 1 : line.rindex('"')] for line in lines)
    return re.sub(r"\\(.)", lambda match: escapes[match.group(1)], joined)


def read_po(path: Path) -> list[dict]:
    """Every entry of a .po file (obsolete `#~` ones left out): its flags, msgctxt,
    msgid, msgid_plural and msgstr (or msgstr[n])."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.strip().splitlines() if not line.startswith("#~")]
        if not lines:
            continue
        entry: dict = {"flags": set(), "fields": {}}
        current = None
        for line in lines:
            if line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif match := re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) ", line):
                current = match.group(1)
                entry["fields"][current] = [line]
            else:
                entry["fields"][current].append(line)
        entry["fields"] = {name: _unquote(lines) for name, lines in entry["fields"].items()}
        entries.append(entry)
    return entries


def expected_catalogue(entries: list[dict]) -> dict:
    """What the compiled .mo holds for these entries (Python's gettext keys)."""
    catalogue = {}
    for entry in entries:
        fields = entry["fields"]
        if fields["msgid"] == "":
            continue  # the header
        key = fields["msgid"]
        if "msgctxt" in fields:
            key = f"{fields['msgctxt']}\x04{key}"
        if "msgid_plural" in fields:
            for name, value in fields.items():
                if match := re.fullmatch(r"msgstr\[(\d+)\]", name):
                    catalogue[(key, int(match.group(1)))] = value
        else:
            catalogue[key] = fields["msgstr"]
    return catalogue


def test_every_french_message_is_translated_and_not_fuzzy():
    entries = read_po(CATALOGUE / "django.po")
    header = entries[0]["fields"]
    assert header["msgid"] == ""
    assert "Language: fr\n" in header["msgstr"]
    assert "Plural-Forms: nplurals=2; plural=(n > 1);\n" in header["msgstr"]
    messages = entries[1:]
    assert len(messages) > 300
    fuzzy = [entry["fields"]["msgid"] for entry in entries if "fuzzy" in entry["flags"]]
    assert not fuzzy, f"fuzzy: {fuzzy}"
    untranslated = [
        entry["fields"]["msgid"]
        for entry in messages
        if any(value == "" for name, value in entry["fields"].items() if name.startswith("msgstr"))
    ]
    assert not untranslated, f"untranslated: {untranslated}"
    for entry in messages:  # each plural entry has both French forms
        if "msgid_plural" in entry["fields"]:
            assert {"msgstr[0]", "msgstr[1]"} <= set(entry["fields"]), entry["fields"]["msgid"]


def test_the_compiled_catalogue_matches_the_po_file():
    """django.mo says what django.po says: a .po edited without compilemessages fails."""
    with open(CATALOGUE / "django.mo", "rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)._catalog
    catalogue = {key: value for key, value in catalogue.items() if key != ""}
    assert catalogue == expected_catalogue(read_po(CATALOGUE / "django.po"))


def test_msgfmt_accepts_the_po_file_and_compiles_the_same_catalogue(tmp_path):
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("GNU gettext's msgfmt is not installed: its checks of the .po file are skipped")
    compiled = tmp_path / "django.mo"
    subprocess.run(
        [msgfmt, "--check", "-o", str(compiled), str(CATALOGUE / "django.po")],
        check=True,
        capture_output=True,
    )
    with open(compiled, "rb") as fresh, open(CATALOGUE / "django.mo", "rb") as committed:
        assert (
            gettext.GNUTranslations(fresh)._catalog == gettext.GNUTranslations(committed)._catalog
        )
