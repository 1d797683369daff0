"""The vocabulary module and the lookup tables the migrations wrote hold the same names, meanings and order."""

import pytest

from claims import vocabulary


@pytest.mark.parametrize("table", list(vocabulary.LOOKUP_TABLES))
def test_the_lookup_table_holds_the_vocabulary(db, table):
    columns = {"roles": "name, claims_column, meaning"}.get(table, "name, meaning")
    order = "rank" if "rank" in db[table].columns_dict else "rowid"
    rows = [tuple(row) for row in db.execute(f"select {columns} from {table} order by {order}")]
    assert rows == [tuple(entry) for entry in vocabulary.LOOKUP_TABLES[table]]


def test_derived_maps_agree_with_the_vocabulary():
    assert vocabulary.DEFAULT_STATUS == "unconfirmed" == vocabulary.STATUSES[0][0]
    assert set(vocabulary.ROLE_OPTIONS.values()) == set(vocabulary.ROLE_NAMES)
    assert set(vocabulary.STANCE_ROLES) < set(vocabulary.ROLE_NAMES)
    assert {
        vocabulary.ROLE_OF_COLUMN[column]: column for column in vocabulary.ROLE_OF_COLUMN
    } == vocabulary.PARTY_COLUMNS
