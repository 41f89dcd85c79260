"""`manage.py backup` and `manage.py restore_drill`: a backup restored into a
scratch database and folder has the same row counts and file checksums; a backup
that does not restore faithfully fails the drill. Runs on PostgreSQL (pg_dump,
pg_restore, a scratch database created and dropped) and on SQLite (a file copy)."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tests.intake.requests import make_request
from tests.intake.transactional import start_as_after_a_flush  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("start_as_after_a_flush")]


@pytest.fixture
def data(settings, tmp_path, service):
    """Committed rows and files in both media folders."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    (settings.MEDIA_ROOT / "images").mkdir(parents=True)
    (settings.MEDIA_ROOT / "images" / "logo.png").write_bytes(b"\x89PNG logo")
    (settings.PRIVATE_MEDIA_ROOT / "requests" / "2026" / "11").mkdir(parents=True)
    (settings.PRIVATE_MEDIA_ROOT / "requests" / "2026" / "11" / "scan.pdf").write_bytes(b"%PDF-1.4 scan")
    return [make_request(service), make_request(service, national_code="0013542419")]


def scratch_databases():
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", ["%_drill_%"])
        return [row[0] for row in cursor.fetchall()]


def test_drill_restores_rows_and_files(data):
    before = scratch_databases()
    out = StringIO()
    call_command("restore_drill", stdout=out)
    text = out.getvalue()
    assert "restore drill OK" in text
    assert "بازیابی آزمایشی موفق" in text
    assert "intake_servicerequest: 2 → 2" in text
    assert "files: 2" in text
    assert scratch_databases() == before  # the scratch database was dropped


def test_drill_fails_when_the_backup_differs(data, tmp_path):
    before = scratch_databases()
    out = StringIO()
    call_command("backup", output=str(tmp_path / "backups"), stdout=out)
    (folder,) = (tmp_path / "backups").iterdir()
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["tables"]["intake_servicerequest"] == 2
    assert set(manifest["files"]["private-media"]) == {"requests/2026/11/scan.pdf"}

    # A backup that lost a row and whose copy of a file changed must not pass.
    manifest["tables"]["intake_servicerequest"] = 3
    manifest["files"]["media"]["images/logo.png"] = "0" * 64
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(CommandError) as failure:
        call_command("restore_drill", backup=str(folder), stdout=StringIO())
    message = str(failure.value)
    assert "ناموفق" in message
    assert "intake_servicerequest: 3 in the backup, 2 restored" in message
    assert "media/images/logo.png" in message
    assert scratch_databases() == before
