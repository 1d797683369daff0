"""The links that imported records hold, written once every claim of the input is (a target may come later in it).

A record's link names the other claim by id, or by its source and text, matched by identity key as the importer
matches claims. Links are written through `claims.links`, the one home of their rules: a link already current is
left alone, a different current link between the pair is replaced (and the replacement recorded). The current links
that a claim of the input holds and the input does not list are kept and listed, or removed with `prune`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from .. import links, model
from ..errors import ClaimsError
from ..records import ClaimRecord, LinkRecord, Problem, source_fields, source_identity
from ..values import identity_key
from ..writing import claim_id_by_key

SHOWN_TEXT = 60  # characters of the other claim's text a problem quotes


def record_identity(record: ClaimRecord | LinkRecord) -> tuple:
    """What identifies the claim of a record (or the claim a link names): its source's identity and its text's key."""
    return source_identity(record.source), identity_key(record.text)


@dataclass
class PendingLink:
    """A link of an imported record: `holder` is the claim that holds it (None if the import left it unwritten)."""

    holder: int | None
    holder_identity: tuple
    link: LinkRecord
    where: str
    index: int

    @property
    def field(self) -> str:
        return f"links[{self.index}]"


class LinkImporter:
    """Collects the links of one import's records as they are written, then resolves and writes them."""

    def __init__(self, db: Database, summary, *, prune: bool, user: str):
        self.db = db
        self.summary = summary
        self.prune = prune
        self.user = user
        self.pending: list[PendingLink] = []
        self.holders = {row[0] for row in db.execute("select distinct claim_id from current_links")}
        self.input_holders: dict[int, str] = {}  # claims of the input that held links before it: where each is
        # Hashes of the identities of valid records left unwritten (an import being refused): targets found in the
        # input, which are not problems. A hash may collide, at worst hiding a problem of an import refused anyway.
        self.unwritten: set[int] = set()

    def written(self, claim_id: int, record: ClaimRecord, where: str) -> None:
        """Note a record written as claim `claim_id`: its links, and whether the claim already held some."""
        if claim_id in self.holders:
            self.input_holders.setdefault(claim_id, where)
        self._collect(claim_id, record, where)

    def unwritten_record(self, record: ClaimRecord, where: str) -> None:
        """Note a valid record left unwritten because the import is refused: its links are still checked."""
        self.unwritten.add(hash(record_identity(record)))
        self._collect(None, record, where)

    def _collect(self, claim_id: int | None, record: ClaimRecord, where: str) -> None:
        if record.links:
            identity = record_identity(record)
            self.pending += [PendingLink(claim_id, identity, link, where, n) for n, link in enumerate(record.links, 1)]

    def check(self) -> list[Problem]:
        """The problems of the links collected (a target neither in the input nor recorded, a link to itself)."""
        return [problem for pending in self.pending if (problem := self._resolve(pending)[1])]

    def write(self) -> list[Problem]:
        """Write the links collected, then keep (or with `prune` remove) what the input's claims held and it lacks."""
        problems: list[Problem] = []
        listed: dict[frozenset, tuple] = {}  # pair of claims: (what the input says of it, where)
        for pending in self.pending:
            target, problem = self._resolve(pending)
            if problem is None and target is not None and pending.holder is not None:
                problem = self._write_one(pending, target, listed)
            if problem:
                problems.append(problem)
        for claim_id, where in self.input_holders.items():
            self._not_listed(claim_id, where, listed)
        return problems

    def _resolve(self, pending: PendingLink) -> tuple[int | None, Problem | None]:
        """The id of the claim a link names, or the problem; (None, None) for a target the input holds unwritten."""
        link = pending.link
        if link.claim_id is not None:
            if self.db.execute("select 1 from claims where id = ?", [link.claim_id]).fetchone() is None:
                message = f"no claim {link.claim_id} in the database"
                return None, Problem(pending.where, f"{pending.field}.claim", message)
            target = link.claim_id
        else:
            identity = record_identity(link)
            if identity == pending.holder_identity:
                return None, Problem(pending.where, pending.field, "a claim cannot be linked to itself")
            source_id = model.find_matching_source(self.db, **source_fields(link.source))
            target = claim_id_by_key(self.db, source_id, identity[1]) if source_id is not None else None
            if target is None:
                if hash(identity) in self.unwritten:
                    return None, None
                text = link.text if len(link.text) <= SHOWN_TEXT else link.text[: SHOWN_TEXT - 3] + "..."
                title = link.source["title"]
                message = f"no claim {text!r} in source {title!r}, neither in the file nor in the database"
                return None, Problem(pending.where, pending.field, message)
        if target == pending.holder:
            return None, Problem(pending.where, pending.field, "a claim cannot be linked to itself")
        return target, None

    def _write_one(self, pending: PendingLink, target: int, listed: dict) -> Problem | None:
        """Write one link unless it is current already; a problem if the input links the pair otherwise elsewhere."""
        holder, relation = pending.holder, pending.link.relation
        pair, meaning = frozenset((holder, target)), (relation,) if relation == links.SAME else (holder, relation)
        earlier = listed.get(pair)
        if earlier and earlier[0] != meaning:
            message = f"the file already links claims {holder} and {target} otherwise, at {earlier[1]}"
            return Problem(pending.where, pending.field, message)
        listed.setdefault(pair, (meaning, pending.where))
        current = links.current_link(self.db, holder, target)
        if current and current.relation == relation and (relation == links.SAME or current.claim_id == holder):
            return None  # current already
        reason = pending.link.reason or f"Imported from {pending.where}"
        try:
            links.link(self.db, holder, target, relation, reason=reason, recorded_by=self.user)
        except ClaimsError as e:
            return Problem(pending.where, pending.field, str(e))
        if current:
            self.summary.links_replaced += 1
        else:
            self.summary.links_added += 1
        return None

    def _not_listed(self, claim_id: int, where: str, listed: dict) -> None:
        """Keep and list, or remove with `prune`, the current links the claim holds and the input does not list."""
        for link in links.links_of(self.db, claim_id):
            if link.claim_id != claim_id or frozenset((link.claim_id, link.other_id)) in listed:
                continue
            line = f"claim {link.claim_id}: link {link.relation} claim {link.other_id}"
            if self.prune:
                links.unlink(
                    self.db,
                    link.claim_id,
                    link.other_id,
                    reason=f"Not in {where} (imported with --prune)",
                    recorded_by=self.user,
                )
                self.summary.links_removed.append(line)
            else:
                self.summary.kept.append(line)
