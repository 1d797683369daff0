import re
import socket

import pytest
from conftest import ARTICLES, PAGES

from claims.errors import InvalidValue
from claims.io.extract import article_metadata
from claims.io.pages import read_article

# What surrounds the articles in the test pages: none of it is the article's text.
AROUND_THE_ARTICLE = {
    "afp-inondations.html": [
        "cookies",
        "Publicité",
        "Tout accepter",
        "Politique",
        "Lire aussi",
        "alerte rouge",
        "Sur le même sujet",
        "Réactions",
        "Jeanne B.",
        "mon cousin",
        "matelas",
        "Mentions légales",
        "Abonnez-vous",
        "PHOTO AFP",
        "Partager",
        "dataLayer",
        "Mots-clés",
    ],
    "reuters-drone-strikes.html": [
        "cookies",
        "Accept All",
        "Advertisement",
        "energy bill",
        "Breakingviews",
        "Read Next",
        "More from Reuters",
        "truthseeker99",
        "Stay safe",
        "All quotes delayed",
        "Reporting by",
        "Fusion",
        "Jane Holt",
    ],
}


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Reading a page fetches nothing: any connection fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("a page was read over the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_a_french_page_gives_its_article_and_its_json_ld_metadata():
    article = read_article(PAGES / "afp-inondations.html")
    assert article.title == "Inondations au Valdor: au moins 32 morts, selon un nouveau bilan"
    assert article.outlet == "AFP"
    assert article.published == "2025-03-12"
    assert article.language == "fr"
    assert article.url == "https://www.afp.example/monde/2025/03/12/inondations-au-valdor-au-moins-32-morts_4521.html"
    assert article.html == (PAGES / "afp-inondations.html").read_bytes(), "the page as saved"
    assert article.notes == []
    paragraphs = article.text.split("\n\n")
    assert len(paragraphs) == 11
    assert paragraphs[0].startswith("Brenne (Valdor), 12 mars 2025 (AFP) - Au moins 32 personnes ont été tuées")
    assert (
        paragraphs[-1]
        == "La semaine dernière, le président Marc Orvel avait déjà décrété l'état d'urgence dans trois provinces."
    )
    for words in AROUND_THE_ARTICLE["afp-inondations.html"]:
        assert words not in article.text, words


def test_an_english_page_gives_its_article_and_its_opengraph_metadata():
    article = read_article(PAGES / "reuters-drone-strikes.html")
    assert (article.title, article.outlet, article.published, article.language) == (
        "Drone strikes kill at least 14 in Marenian port city, governor says",
        "Reuters",
        "2025-09-03",
        "en",
    )
    assert article.url.startswith("https://www.reuters.example/world/europe/drone-strikes-kill-least-14")
    assert article.text.startswith("KARVONA, Marenia, Sept 3 (Reuters) - Drones killed at least 14 people")
    assert article.text.count("\n\n") == 11
    for words in AROUND_THE_ARTICLE["reuters-drone-strikes.html"]:
        assert words not in article.text, words


def test_a_page_read_gives_the_text_of_its_wire_copy():
    """The article's paragraphs as the text file of the same story holds them, under its header lines."""
    for name in ("afp-inondations", "reuters-drone-strikes"):
        page = read_article(PAGES / f"{name}.html")
        text = read_article(ARTICLES / f"{name}.txt")
        assert text.text.endswith(page.text + "\n"), name
        assert page.source_fields() == text.source_fields() | {"url": page.url}, name


def test_a_page_without_metadata_gives_its_text_and_says_what_it_lacks():
    article = read_article(PAGES / "no-metadata.html")
    assert article.text.startswith("The regional council said on Monday that at least 12 bridges had been closed")
    assert "Home" not in article.text and "Posted by admin" not in article.text
    assert article.source_fields() == dict.fromkeys(("title", "url", "outlet", "published", "language"))
    assert article.notes == [
        f"{PAGES / 'no-metadata.html'}: the page gives no title, site name, publication date, canonical URL, language"
    ]


def test_a_page_in_the_encoding_it_declares_is_read_in_it():
    article = read_article(PAGES / "latin1-declared.html")
    assert article.text.startswith("Le conseil régional a déclaré lundi à la presse que la région était «dévastée».")
    assert (article.title, article.language) == ("Routes coupées", "fr")


@pytest.mark.parametrize(
    "name,error",
    [
        ("truncated.html", "the page is cut short (it ends before </body></html>): save it again, whole"),
        ("latin1-undeclared.html", "is not valid UTF-8 (byte 157), and the page declares no other encoding"),
    ],
)
def test_a_broken_page_is_refused_in_one_line_naming_it(name, error):
    with pytest.raises(InvalidValue) as e:
        read_article(PAGES / name)
    assert str(e.value).startswith(str(PAGES / name)) and error in str(e.value)
    assert "\n" not in str(e.value)


@pytest.mark.parametrize(
    "content,error",
    [
        (b"", "no article text found in the page"),
        (
            b"<html><body><script>var said = 'Seoul said 600';</script></body></html>",
            "no article text found in the page",
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR</html>", "is not valid UTF-8 (byte 1)"),
        (b'<html><head><meta charset="klingon-8"></head><body><p>x</p></body></html>', "unknown encoding 'klingon-8'"),
        (
            b'<html><head><meta charset="utf-8"></head><body><p>caf\xe9</p></body></html>',
            "not valid utf-8, the encoding it declares",
        ),
    ],
)
def test_a_file_that_is_no_article_page_is_refused_in_one_line(tmp_path, content, error):
    path = tmp_path / "saved.html"
    path.write_bytes(content if content else b"")
    if not content:
        path.write_bytes(b"</html>")  # whole, but empty
    with pytest.raises(InvalidValue, match=error.replace("(", r"\(").replace(")", r"\)")):
        read_article(path)


def test_metadata_that_is_not_a_value_is_left_out_with_a_note(tmp_path):
    page = (PAGES / "reuters-drone-strikes.html").read_text(encoding="utf-8")
    canonical = re.search(r'og:url" content="([^"]+)"', page)[1]
    page = page.replace(canonical, "javascript:alert(1)").replace('lang="en"', 'lang="not a language"')
    path = tmp_path / "hostile.html"
    path.write_text(page, encoding="utf-8")
    article = read_article(path)
    assert article.url is None and article.language is None
    assert article.notes == [
        f"{path}: language left out: invalid language 'not a language': use an ISO 639 code such as fr or en",
        f"{path}: the page gives no canonical URL",
    ]


def test_a_text_file_is_read_with_its_header_lines_as_extract_reads_them():
    for path in (ARTICLES / "afp-inondations.txt", ARTICLES / "reuters-drone-strikes.txt"):
        article = read_article(path)
        assert article.text == path.read_text(encoding="utf-8")
        meta = article_metadata(article.text)
        assert (article.title, article.outlet, article.published, article.language) == (
            meta["title"],
            meta["outlet"],
            meta["published"],
            meta["language"],
        )
        assert article.url is None and article.html is None and article.title


def test_a_text_file_not_in_utf8_or_missing_is_refused_in_one_line(tmp_path):
    path = tmp_path / "article.txt"
    path.write_bytes(b"caf\xe9 au lait")
    with pytest.raises(InvalidValue, match=r"article.txt is not valid UTF-8 \(byte 4\)$"):
        read_article(path)
    with pytest.raises(InvalidValue, match=r"cannot read .*missing\.html"):
        read_article(tmp_path / "missing.html")
