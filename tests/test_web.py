from claims.server import build_datasette


async def test_error_pages_are_answered_without_crashing(example_db_path, capsys):
    """Datasette 0.65 with Rich installed dumps (or crashes on) 404s; the plugin turns that off."""
    datasette = build_datasette(example_db_path)
    for path in ["/nowhere", "/claims/claims/9999", "/claims/no_such_table.json"]:
        response = await datasette.client.get(path)
        assert response.status_code == 404, path
    assert "Traceback" not in capsys.readouterr().out
