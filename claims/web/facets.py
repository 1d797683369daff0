"""Facets and actor filters for the claims table that stay fast at a million claims.

Datasette's own facets group every matching row on every page view, and its array
facets unpack each row's JSON with `json_each`: seconds per page at a million claims.
Here, facets configured as `counted` (metadata.yml) read the counts kept by triggers
(`claims.counts`) when the table is not filtered, and otherwise group the matching
claims by column, or their indexed `attributions` by role and actor in one query.
Datasette facets of the same columns asked for in a URL (`?_facet=status`,
`?_facet_array=asserted_by`) are answered the same way (`route_facet_arguments`).
Actor filters (`?_asserted_by=Seoul`, one parameter per role, any alias, case and
accents ignored) go through the same index. `list` facets count the names in a column
of JSON arrays (claim_groups' outlets and languages) reading that column alone.
"""

from __future__ import annotations

import asyncio
import json
from urllib.parse import parse_qsl, urlencode

from datasette.database import QueryInterrupted
from datasette.facets import Facet
from datasette.filters import FilterArguments
from datasette.utils import escape_sqlite, path_with_added_args, path_with_removed_args

from .. import counts
from ..values import fold
from ..vocabulary import PARTY_COLUMNS, ROLE_OF_COLUMN

TABLE = "claims"
# Query string arguments that change how claims are shown, not which ones.
PRESENTATION_ARGS = {
    "_next",
    "_sort",
    "_sort_desc",
    "_size",
    "_nocount",
    "_nofacet",
    "_nosuggest",
    "_col",
    "_nocol",
    "_labels",
    "_label",
    "_shape",
    "_timelimit",
    "_json",
    "_trace",
    "_context",
    "_facet_size",
    "_stream",
    "_dl",
    "_nl",
}


# Datasette's facet arguments whose columns the counted facet answers, with the same counts: Datasette would
# group every matching claim (`_facet`) or unpack each one's JSON array (`_facet_array`), seconds at 1M claims.
ROUTED_FACETS = {"_facet": set(counts.FACETS), "_facet_array": set(ROLE_OF_COLUMN)}
COUNTED_ARGUMENT = "_facet_counted"


def role_parameter(column: str) -> str:
    """The query string argument that filters claims by an actor in this role: `_asserted_by`."""
    return f"_{column}"


def shows_every_claim(request) -> bool:
    """True if the request selects no subset of the claims (facets can then use the stored counts)."""
    return all(key in PRESENTATION_ARGS or key.startswith("_facet") for key in request.args)


def facet_column(config: str) -> str | None:
    """The column a facet argument names: `asserted_by`, or `{"column": "asserted_by"}`."""
    if not config.startswith("{"):
        return config
    try:
        column = json.loads(config).get("column")
    except (ValueError, AttributeError):
        return None
    return column if isinstance(column, str) else None


def route_facet_arguments(query_string: str) -> str:
    """The claims table's query string with Datasette facets of counted columns asked for as counted facets.

    `_facet_array=asserted_by` becomes `_facet_counted=asserted_by`: the same counts, through the indexes.
    Anything else is left as it is (and the query string unchanged if nothing is routed).
    """
    pairs = parse_qsl(query_string, keep_blank_values=True)
    routed = [
        (COUNTED_ARGUMENT if facet_column(value) in ROUTED_FACETS.get(key, ()) else key, value) for key, value in pairs
    ]
    return query_string if routed == pairs else urlencode(routed)


class CountedFacet(Facet):
    """`counted: COLUMN` facets on the claims table: a column, or a role's actors (`asserted_by`)."""

    type = "counted"

    async def facet_results(self):
        configs = [(c["config"].get("column") or c["config"]["simple"], c["source"]) for c in self.get_configs()]
        configs = [(column, source) for column, source in configs if column in counts.FACETS]
        shown: dict[str, str] = {}
        for column, source in configs:  # asked for twice (in metadata.yml and in the URL): shown once, as configured
            shown.setdefault(column, source)
        configs = list(shown.items())
        if self.table != TABLE or not configs:
            return [], []
        size = self.get_facet_size()
        columns = [column for column, _ in configs]
        if shows_every_claim(self.request):
            tallies, timed_out = await self._stored(columns, size + 1), []
        else:
            tallies, timed_out = await self._computed(columns, size + 1)
        labels = await self._labels(tallies)
        results = []
        for column, source in configs:
            if column in tallies:
                results.append(self._facet(column, source, tallies[column], labels.get(column, {}), size))
        return results, timed_out

    async def _stored(self, columns: list[str], limit: int) -> dict[str, list[tuple]]:
        def read(conn):
            sql = f"select value, count from {counts.FACET_TABLE} where facet = ? and count > 0 order by count desc, value limit ?"
            return {column: conn.execute(sql, [column, limit]).fetchall() for column in columns}

        return await self.ds.get_database(self.database).execute_fn(read)

    async def _computed(self, columns: list[str], limit: int) -> tuple[dict[str, list[tuple]], list[str]]:
        """Group the claims this request selects: one query for the columns, one for the roles, side by side."""
        claim_columns = [c for c in columns if c in counts.FACETED_COLUMNS]
        role_columns = [c for c in columns if c in ROLE_OF_COLUMN]
        queries = {}
        if claim_columns:  # one pass over the matching claims, then a small group by per column
            tallies = " union all ".join(
                f"select '{column}' as facet, {column} as value, count(*) as count from matching "
                f"where {column} is not null group by {column}"
                for column in claim_columns
            )
            queries[tuple(claim_columns)] = (
                f"with matching as materialized (select {', '.join(claim_columns)} from ({self.sql})) {tallies}"
            )
        if role_columns:  # the matching claims' attributions, through the (claim_id, actor_id, role) index, grouped
            queries[tuple(role_columns)] = (  # before each group is named: not a lookup of its role per attribution
                "select roles.claims_column as facet, tally.actor_id as value, tally.count from ("
                "select role, actor_id, count(*) as count from attributions "
                f"where claim_id in (select id from ({self.sql})) group by role, actor_id"
                ") as tally join roles on roles.name = tally.role"
            )
        answers = await asyncio.gather(*(self._tally(sql, limit) for sql in queries.values()), return_exceptions=True)
        found: dict[str, list[tuple]] = {}
        timed_out: list[str] = []
        for facets, answer in zip(queries, answers, strict=False):
            if isinstance(answer, QueryInterrupted):
                timed_out.extend(facets)
            elif isinstance(answer, BaseException):
                raise answer
            else:
                found.update({facet: answer.get(facet, []) for facet in facets})
        return found, timed_out

    async def _tally(self, sql: str, limit: int) -> dict[str, list[tuple]]:
        """{facet: [(value, count)...]}, most frequent first, from a query of facet, value and count columns."""
        ranked = (
            "select facet, value, count from (select *, row_number() over "
            f"(partition by facet order by count desc, value) as rank from ({sql})) "
            f"where rank <= {int(limit)} order by facet, rank"
        )
        rows = await self.ds.execute(
            self.database, ranked, self.params, truncate=False, custom_time_limit=self.ds.setting("sql_time_limit_ms")
        )
        found: dict[str, list[tuple]] = {}
        for facet, value, count in rows.rows:
            found.setdefault(facet, []).append((value, count))
        return found

    async def _labels(self, tallies: dict[str, list[tuple]]) -> dict[str, dict]:
        """Display labels: actor names for roles, source titles for source_id."""
        labels = {}
        actor_ids = {value for column, rows in tallies.items() if column in ROLE_OF_COLUMN for value, _ in rows}
        if actor_ids:
            placeholders = ", ".join("?" for _ in actor_ids)
            rows = await self.ds.execute(
                self.database, f"select id, name from actors where id in ({placeholders})", list(actor_ids)
            )
            names = dict(rows.rows)
            labels.update({column: names for column in tallies if column in ROLE_OF_COLUMN})
        for column in tallies:
            if column in counts.FACETED_COLUMNS:
                values = [value for value, _ in tallies[column]]
                expanded = await self.ds.expand_foreign_keys(self.database, TABLE, column, values)
                labels[column] = {value: label for (_, value), label in expanded.items()}
        return labels

    def _facet(self, column: str, source: str, rows: list[tuple], labels: dict, size: int) -> dict:
        is_role = column in ROLE_OF_COLUMN
        parameter = role_parameter(column) if is_role else column
        chosen = self.get_querystring_pairs()
        values = []
        for value, count in rows[:size]:
            shown = labels.get(value, value)
            argument = str(shown if is_role else value)
            typed = next((v for k, v in chosen if k == parameter and _same_value(v, argument, is_role)), None)
            selected = typed is not None
            if selected:
                path = path_with_removed_args(self.request, {parameter: typed})
            else:
                path = path_with_added_args(self.request, {parameter: argument})
            values.append(
                {
                    "value": argument if is_role else value,
                    "label": shown,
                    "count": count,
                    "toggle_url": self.ds.absolute_url(self.request, self.ds.urls.path(path)),
                    "selected": selected,
                }
            )
        return {
            "name": column,
            "type": self.type,
            "hideable": source != "metadata",
            "toggle_url": self.ds.urls.path(path_with_removed_args(self.request, {f"_facet_{self.type}": column})),
            "results": values,
            "truncated": len(rows) > size,
        }


class ListFacet(Facet):
    """`list: COLUMN` facets of a column of JSON arrays of distinct names (claim_groups' outlets and languages).

    Datasette's array facet deduplicates the items of each row by comparing whole rows, every column of the view
    looked up and compared: 0.3 s a facet at 45,000 claims reported more than once. The items of these arrays are
    distinct already (`json_group_array(DISTINCT ...)`): each one is counted in one pass over that column alone. A
    value is chosen as with an array facet (`?outlets__arraycontains=AFP`).
    """

    type = "list"

    async def facet_results(self):
        results, timed_out = [], []
        size = self.get_facet_size()
        chosen = self.get_querystring_pairs()
        for config in self.get_configs():
            column = config["config"].get("column") or config["config"]["simple"]
            sql = (
                f"select items.value as value, count(*) as count from (select {escape_sqlite(column)} as list "
                f"from ({self.sql})) as rows, json_each(rows.list) as items "
                f"group by items.value order by count(*) desc, items.value limit {size + 1}"
            )
            try:
                rows = await self.ds.execute(
                    self.database,
                    sql,
                    self.params,
                    truncate=False,
                    custom_time_limit=self.ds.setting("facet_time_limit_ms"),
                )
            except QueryInterrupted:
                timed_out.append(column)
                continue
            values = []
            for value, count in rows.rows[:size]:
                argument = {f"{column}__arraycontains": str(value)}
                selected = (f"{column}__arraycontains", str(value)) in chosen
                path = (path_with_removed_args if selected else path_with_added_args)(self.request, argument)
                values.append(
                    {
                        "value": str(value),
                        "label": str(value),
                        "count": count,
                        "selected": selected,
                        "toggle_url": self.ds.absolute_url(self.request, path),
                    }
                )
            results.append(
                {
                    "name": column,
                    "type": self.type,
                    "results": values,
                    "hideable": config["source"] != "metadata",
                    "toggle_url": self.ds.urls.path(path_with_removed_args(self.request, {"_facet_list": column})),
                    "truncated": len(rows.rows) > size,
                }
            )
        return results, timed_out


def actor_filters(request, table: str) -> FilterArguments | None:
    """Where clauses for `?_asserted_by=NAME` and the other roles, through the attributions index."""
    if table != TABLE:
        return None
    where, params, descriptions = [], {}, []
    for role, column in PARTY_COLUMNS.items():
        for name in request.args.getlist(role_parameter(column)):
            n = len(params) // 2
            where.append(
                f"id in (select claim_id from attributions where role = :claims_role_{n} and actor_id in "
                f"(select actor_id from actor_aliases where match_key = :claims_actor_{n}))"
            )
            params.update({f"claims_role_{n}": role, f"claims_actor_{n}": fold(name)})
            descriptions.append(f'{column} includes "{name}"')
    return FilterArguments(where, params, descriptions) if where else None


def _same_value(typed: str, argument: str, is_role: bool) -> bool:
    """Whether the value typed in the URL is this facet value: an actor's name as any spelling, others exactly."""
    return fold(typed) == fold(argument) if is_role else typed == argument
