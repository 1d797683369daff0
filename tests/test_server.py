import html
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import facet_counts

from claims import model
from claims.db import open_db
from claims.errors import InvalidValue
from claims.web.server import build_datasette, check_host, is_local


class Links(HTMLParser):
    """Collects (href, text) of every link on a page."""

    def __init__(self):
        super().__init__()
        self.links, self._href, self._text = [], None, []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._href, self._text = dict(attrs).get("href"), []

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append((self._href, "".join(self._text).strip()))
            self._href = None


def link_to(page_html, text, containing, *, base):
    """Path and query of the link labelled `text` whose URL contains `containing`, as a browser would follow it."""
    parser = Links()
    parser.feed(page_html)
    matches = [href for href, label in parser.links if label == text and containing in href]
    assert matches, f"no link {text!r} with {containing!r} in its URL"
    url = urlsplit(urljoin(base, html.unescape(matches[0])))
    return f"{url.path}?{url.query}"


async def test_claims_table_has_configured_facets(datasette):
    response = await datasette.client.get("/claims/claims.json")
    assert response.status_code == 200
    data = response.json()
    assert data["filtered_table_rows_count"] == 19
    assert facet_counts(data, "status") == {"unconfirmed": 16, "corroborated": 2, "confirmed": 1}
    assert facet_counts(data, "language") == {"fr": 12, "en": 7}
    assert facet_counts(data, "asserted_by") == {
        "ATS": 5,
        "KCNA": 4,
        "Kim Jong Un": 3,
        "South Korean intelligence": 5,
        "Western intelligence": 4,
        "Seoul": 2,
    }
    assert facet_counts(data, "relayed_by") == {"ATS": 7, "KCNA": 2, "Northgate Wire": 7}
    assert facet_counts(data, "not_confirmed_by") == {"Pyongyang": 3}
    source_facet = data["facet_results"]["source_id"]["results"]
    assert [(s["count"], s["label"]) for s in source_facet] == [
        (12, "Soutien à la Russie: Kim Jong Un réconforte familles de ses soldats morts"),
        (7, "Seoul now puts North Korean deaths in Russia at about 2,000 (invented for the demo)"),
    ]


async def test_filter_asserted_by_seoul_and_unconfirmed_by_clicking(datasette):
    page = await datasette.client.get("/claims/claims")
    assert page.status_code == 200
    by_seoul = link_to(page.text, "Seoul", "_asserted_by", base="http://localhost/claims/claims")
    page = await datasette.client.get(by_seoul)
    assert page.status_code == 200
    unconfirmed = link_to(page.text, "unconfirmed", "status", base=f"http://localhost{by_seoul}")
    query = urlsplit(unconfirmed).query
    assert "_asserted_by=Seoul" in query and "status=unconfirmed" in query
    response = await datasette.client.get(f"/claims/claims.json?{query}&_shape=objects")
    rows = response.json()["rows"]
    assert [row["text"][:28] for row in rows] == ["Selon Séoul, environ 600 sol", "In August, Seoul had put the"]
    assert rows[0]["group_id"] == rows[1]["group_id"] == 4, "two reports of one claim"


@pytest.mark.parametrize(
    "query,fragment,found",
    [
        ("seoul", "Selon Séoul", 2),
        ("SÉOUL", "Selon Séoul", 2),
        ("confirme", "Selon Séoul", 2),
        ("koursk", "10'000", 1),
        ("ceremony", "Kim s'est adressé", 1),
        ("pekin", "assistera mercredi à Pékin", 1),
    ],
)
async def test_search_ignores_case_and_accents(datasette, query, fragment, found):
    response = await datasette.client.get(f"/claims/claims.json?_search={query}&_shape=objects")
    rows = response.json()["rows"]
    assert [r for r in rows if fragment in r["text"]], rows
    assert len(rows) == found  # Seoul's estimate is also recalled by the later report, in English


async def test_search_box_is_shown(datasette):
    page = await datasette.client.get("/claims/claims")
    assert 'name="_search"' in page.text


async def test_foreign_keys_show_labels(datasette):
    response = await datasette.client.get("/claims/claims.json?_labels=on&_size=1&_shape=objects")
    row = response.json()["rows"][0]
    assert row["source_id"]["label"].startswith("Soutien à la Russie")
    response = await datasette.client.get("/claims/attributions.json?_labels=on&_size=1&_shape=objects")
    row = response.json()["rows"][0]
    assert row["actor_id"]["label"] == "KCNA"
    assert row["claim_id"]["label"].startswith("Le dirigeant nord-coréen")


async def test_internal_tables_are_hidden_and_instance_is_described(datasette):
    home = await datasette.client.get("/")
    assert "Claims tracker" in home.text
    data = (await datasette.client.get("/claims.json")).json()
    hidden = {t["name"] for t in data["tables"] if t["hidden"]}
    visible = {t["name"] for t in data["tables"] if not t["hidden"]}
    assert {"_sqlite_migrations", "claims_fts", "actor_kinds", "qualifiers"} <= hidden
    assert {"claims", "sources", "actors", "attributions", "status_changes", "figures", "statuses"} <= visible
    metadata = (await datasette.client.get("/-/metadata.json")).json()
    assert metadata["description_html"]
    # Both were the bundled example's, shown for every database: the footer describes the one served instead.
    assert "source" not in metadata and "license" not in metadata


async def test_figures_are_numbers_in_datasette(datasette):
    response = await datasette.client.get("/claims/figures.json?low__gte=1000&_shape=objects")
    measures = sorted(r["measure"] for r in response.json()["rows"])
    assert measures == ["killed", "troops_sent", "troops_sent", "wounded", "wounded"]  # ~2,000 killed, in September


async def test_datasette_is_read_only(datasette):
    response = await datasette.client.get("/claims.json?sql=delete+from+claims")
    assert response.status_code == 400
    assert (await datasette.client.get("/claims/claims.json")).json()["filtered_table_rows_count"] == 19
    connection = datasette.get_database("claims").connect()
    with pytest.raises(Exception, match="readonly"):
        connection.execute("delete from sources")


async def test_claim_text_is_escaped(tmp_path):
    path = tmp_path / "hostile.db"
    with open_db(path, create=True) as db:
        source = model.add_source(db, "<b>Title</b>")
        claim_id = model.add_claim(db, "<script>alert('x')</script><img src=x onerror=alert(1)>", source=source)
    datasette = build_datasette(path)
    for url in [f"/claims/claims/{claim_id}", "/claims/claims", "/claims/sources"]:
        page = (await datasette.client.get(url)).text
        assert "<script>alert" not in page and "<img src=x" not in page and "<b>Title</b>" not in page
    assert "&lt;script&gt;alert" in (await datasette.client.get(f"/claims/claims/{claim_id}")).text


async def test_any_file_is_served_as_the_claims_database(tmp_path):
    path = tmp_path / "newsroom.db"
    open_db(path, create=True).close()
    datasette = build_datasette(path)
    assert [name for name in datasette.databases if name != "_internal"] == ["claims"]
    response = await datasette.client.get("/claims/claims.json")
    assert "asserted_by" in response.json()["facet_results"]


def test_only_local_hosts_without_public():
    assert is_local("127.0.0.1") and is_local("localhost") and is_local("::1") and is_local("127.0.0.2")
    assert not is_local("0.0.0.0") and not is_local("192.168.1.10") and not is_local("example.org")
    check_host("0.0.0.0", public=True)
    with pytest.raises(InvalidValue, match="pass --public"):
        check_host("::", public=False)


async def test_robots_are_kept_out_unless_allowed(example_db_path):
    closed = await build_datasette(example_db_path).client.get("/robots.txt")
    assert closed.status_code == 200 and closed.text == "User-agent: *\nDisallow: /\n"
    opened = await build_datasette(example_db_path, allow_robots=True).client.get("/robots.txt")
    assert opened.text == "User-agent: *\nDisallow:\n"


async def test_arbitrary_sql_is_bounded_by_a_time_limit(datasette):
    settings = (await datasette.client.get("/-/settings.json")).json()
    assert settings["sql_time_limit_ms"] == 1000 and settings["max_returned_rows"] == 1000
    slow = "with recursive n(i) as (select 1 union all select i + 1 from n) select count(*) from n"
    response = await datasette.client.get("/claims.json", params={"sql": slow})
    assert response.status_code == 400
    assert response.json()["title"] == "SQL Interrupted" and "took too long" in response.json()["error"]


async def test_no_write_endpoint_answers(datasette):
    for path in ["/claims/claims/-/insert", "/claims/-/create", "/claims/claims/1/-/delete"]:
        response = await datasette.client.post(path, json={"row": {"text": "x"}})
        assert response.status_code in (403, 404, 405), path
    assert (await datasette.client.get("/claims/claims.json")).json()["filtered_table_rows_count"] == 19


async def test_immutable_copy_serves_counts_taken_at_start(tmp_path, example_db_path):
    """--immutable: Datasette reads a published copy without locking and counts its tables once."""
    import shutil

    from claims import model
    from claims.db import open_db

    path = tmp_path / "published.db"
    shutil.copy(example_db_path, path)
    datasette = build_datasette(path, immutable=True)
    assert not datasette.get_database("claims").is_mutable
    assert datasette.inspect_data["claims"]["tables"]["claims"]["count"] == 19
    with open_db(path) as db:  # nothing should write to a published copy: this shows why
        model.add_claim(db, "Added after publication", source=1)
    data = (await datasette.client.get("/claims/claims.json")).json()
    assert data["filtered_table_rows_count"] == 19
    filtered = (await datasette.client.get("/claims/claims.json?status=unconfirmed")).json()
    assert filtered["filtered_table_rows_count"] == 17  # filtered counts are still queried
    for page in ["/", "/claims", "/claims/claims/1"]:  # home and database pages failed: no hash or size given
        response = await datasette.client.get(page)
        assert response.status_code == 200, page
        described = "Data source: 2 sources from ATS and Northgate Wire, published 30 Aug 2025 – 24 Sep 2025"
        assert described in " ".join(response.text.split())
