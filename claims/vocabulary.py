"""The vocabulary of claims: statuses, roles, actor kinds, figure qualifiers and link relations.

The one home of these names in the code; every map derived from them is derived here, once.
The migrations wrote the same rows into the lookup tables (`statuses`, `roles`, ...), which
the database's foreign keys check; `tests/test_vocabulary.py` checks that the two agree.
This module imports nothing from the package.
"""

STATUSES = [
    ("unconfirmed", "Asserted by someone, not yet confirmed or refuted by an independent or authoritative source."),
    ("corroborated", "Supported by more than one independent source, but not confirmed by the party concerned."),
    ("confirmed", "Confirmed by the party concerned or by conclusive evidence."),
    ("disputed", "Challenged by a credible party; the evidence is contested."),
    ("denied", "Denied by the party concerned; not shown false by independent evidence."),
    ("false", "Shown to be untrue by evidence."),
    ("retracted", "Withdrawn by whoever asserted it, or withdrawn from the record."),
]
STATUS_NAMES = [name for name, _ in STATUSES]
STATUS_MEANINGS = dict(STATUSES)
DEFAULT_STATUS = STATUS_NAMES[0]

# (role, the claims column listing its actors, meaning)
ROLES = [
    ("asserts", "asserted_by", "Makes the claim (the original speaker or author)."),
    ("relays", "relayed_by", "Reports or repeats the claim without endorsing it."),
    ("confirms", "confirmed_by", "Says the claim is true."),
    ("denies", "denied_by", "Says the claim is untrue."),
    ("not-confirmed", "not_confirmed_by", "Was in a position to confirm and has not."),
    ("disputes", "disputed_by", "Challenges the claim without denying it outright."),
]
ROLE_NAMES = [role for role, _, _ in ROLES]
PARTY_COLUMNS = {role: column for role, column, _ in ROLES}  # role -> the claims column naming its actors
ROLE_OF_COLUMN = {column: role for role, column in PARTY_COLUMNS.items()}
# The `claims add` option naming the actors of each role (--by Seoul asserts).
ROLE_OPTIONS = {
    "by": "asserts",
    "via": "relays",
    "confirmed_by": "confirms",
    "denied_by": "denies",
    "not_confirmed_by": "not-confirmed",
    "disputed_by": "disputes",
}
# An actor takes at most one of these positions on a claim: a new one supersedes the earlier (kept in revisions).
STANCE_ROLES = ("confirms", "denies", "not-confirmed", "disputes")

ACTOR_KINDS = [
    ("government", "A state, its government, ministries or officials speaking for it."),
    ("state-media", "A news outlet controlled by a state, e.g. KCNA or TASS."),
    ("intelligence", "An intelligence or security service."),
    ("military", "Armed forces or a military command."),
    ("media", "An independent news outlet or agency."),
    ("person", "An individual speaking for themselves."),
    ("organisation", "An NGO, company, international body or other organisation."),
    ("other", "Anyone who fits none of the other kinds."),
]
ACTOR_KIND_NAMES = [name for name, _ in ACTOR_KINDS]

QUALIFIERS = [
    ("exact", "Exactly this number (low = high)."),
    ("about", "Approximately this number (low = high)."),
    ("more_than", "Strictly more than `low`."),
    ("at_least", "`low` or more."),
    ("less_than", "Strictly less than `high`."),
    ("up_to", "`high` or less."),
    ("range", "Between `low` and `high`."),
]
QUALIFIER_NAMES = [name for name, _ in QUALIFIERS]

# How one report of a claim relates to another (`claims link ID OTHER --as RELATION`).
LINK_RELATIONS = [
    ("same", "The same claim, reported again (in another source, outlet or language): one claim, many reports."),
    ("updates", "A newer version of the other claim: the same measure or assertion by the same side, revised."),
    ("contradicts", "Cannot be true together with the other claim: a denial, a very different figure."),
]
RELATION_NAMES = [name for name, _ in LINK_RELATIONS]

# The lookup table holding each vocabulary, and its rows as the migrations wrote them (name first).
LOOKUP_TABLES = {
    "statuses": STATUSES,
    "roles": ROLES,
    "actor_kinds": ACTOR_KINDS,
    "qualifiers": QUALIFIERS,
    "link_relations": LINK_RELATIONS,
}
