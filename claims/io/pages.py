"""Reading an article from a file: a saved web page (.html, .htm) or a text file.

A page's main text and metadata (title, site name, publication date, canonical URL) are read by trafilatura, which
leaves out navigation, ads, related links, cookie banners and comments; its language is the one the page declares
(`<html lang>`, Content-Language, og:locale). Nothing is fetched: the file is all there is. A text file is read as
`claims extract` reads it: the title, outlet and date from its header lines.

`read_article(path)` gives the same `Article` for either, or refuses the file in one line naming it: not UTF-8
(nor the encoding the page declares), cut short, or holding no article text.
"""

from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InvalidValue
from ..evidence import SourceText
from ..values import parse_date, parse_language, parse_url

PAGE_SUFFIXES = (".html", ".htm", ".xhtml")
# The encoding a page declares in its first bytes (<meta charset=...>, or http-equiv Content-Type), as browsers look.
DECLARED_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)
PAGE_END = re.compile(rb"</(?:body|html)\s*>", re.I)
for _name in ("trafilatura", "htmldate", "courlan", "justext"):  # their warnings are not the user's business
    logging.getLogger(_name).addHandler(logging.NullHandler())
    logging.getLogger(_name).propagate = False


@dataclass
class Article:
    """An article as read from a file: its main text and what is known of its source."""

    text: str
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    language: str | None = None
    url: str | None = None
    html: bytes | None = None  # the page as saved, when the article was read from one
    notes: list[str] = field(default_factory=list)  # what was read but left out, and why

    def source_fields(self) -> dict:
        """The source's fields as `model.add_source` takes them (title, url, outlet, published, language)."""
        return {
            "title": self.title,
            "url": self.url,
            "outlet": self.outlet,
            "published": self.published,
            "language": self.language,
        }

    def source_text(self) -> SourceText:
        """The text a source keeps as evidence: this article's, and its page."""
        return SourceText(self.text, self.html)


def is_page(path: Path) -> bool:
    """Whether `path` is read as a saved web page (by its suffix)."""
    return path.suffix.lower() in PAGE_SUFFIXES


def read_article(path: str | Path) -> Article:
    """The article in a saved page or a text file: text, title, outlet, published, language, url (and the page)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InvalidValue(f"cannot read {path}: {e.strerror}") from None
    return read_page(data, str(path)) if is_page(path) else read_text(data, str(path))


def read_text(data: bytes, name: str) -> Article:
    """A text file's article, as `claims extract` reads it: header lines, then the body."""
    from .extract import article_metadata

    text = _decode(data, "utf-8-sig", name).replace("\r\n", "\n").replace("\r", "\n")
    meta = article_metadata(text)
    return Article(text, meta["title"], meta["outlet"], meta["published"], meta["language"])


def read_page(data: bytes, name: str) -> Article:
    """A saved page's article: its main text (paragraphs parted by blank lines) and metadata, read by trafilatura."""
    from trafilatura import bare_extraction

    declared = DECLARED_CHARSET.search(data[:4096])
    encoding = _encoding(declared.group(1).decode("ascii"), name) if declared else "utf-8-sig"
    html = _decode(data, encoding, name, declared=declared is not None)
    if not PAGE_END.search(data):
        raise InvalidValue(f"{name}: the page is cut short (it ends before </body></html>): save it again, whole")
    document = bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_images=False,
        include_links=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    paragraphs = [" ".join(line.split()) for line in (document.text or "").splitlines()] if document else []
    text = "\n\n".join(p for p in paragraphs if p)
    if not text:
        raise InvalidValue(f"{name}: no article text found in the page (is it an article, saved whole?)")
    article, missing = Article(text, html=data), []

    def read(value, parse, what: str) -> str | None:
        """A metadata value as the page gives it (one line), checked by `parse`: left out, with a note, if not one."""
        text = " ".join(str(value).split()) if value else ""
        if not text:
            missing.append(what)
            return None
        try:
            return parse(text) if parse else text
        except InvalidValue as e:
            article.notes.append(f"{name}: {what} left out: {e}")
            return None

    article.title = read(document.title, None, "title")
    article.outlet = read(document.sitename, None, "site name")
    article.published = read(document.date, lambda value: parse_date(value, "publication date"), "publication date")
    article.url = read(document.url, lambda value: parse_url(value, "canonical URL"), "canonical URL")
    article.language = read(_declared_language(html), parse_language, "language")
    if missing:
        article.notes.append(f"{name}: the page gives no {', '.join(missing)}")
    return article


def _declared_language(html: str) -> str | None:
    """The language a page declares: <html lang>, else Content-Language, else og:locale (fr_FR read as fr-FR)."""
    from trafilatura import load_html

    tree = load_html(html)
    if tree is None:
        return None
    root = tree.getroottree().getroot()
    if root.get("lang"):
        return root.get("lang")
    for meta in tree.iter("meta"):
        if (meta.get("http-equiv") or "").lower() == "content-language" and meta.get("content"):
            return meta.get("content").split(",")[0]
    for meta in tree.iter("meta"):
        if (meta.get("property") or "").lower() == "og:locale" and meta.get("content"):
            return meta.get("content").replace("_", "-")
    return None


def _encoding(label: str, name: str) -> str:
    try:
        return codecs.lookup(label).name
    except LookupError:
        raise InvalidValue(f"{name}: the page declares an unknown encoding {label!r}") from None


def _decode(data: bytes, encoding: str, name: str, *, declared: bool = False) -> str:
    """The file's text; refused in one line, naming the file and the first byte that is not of its encoding."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        if declared:
            raise InvalidValue(
                f"{name} is not valid {encoding}, the encoding it declares (byte {e.start + 1})"
            ) from None
        hint = ", and the page declares no other encoding (<meta charset>)" if is_page(Path(name)) else ""
        raise InvalidValue(f"{name} is not valid UTF-8 (byte {e.start + 1}){hint}") from None
