"""Backups and the restore drill (docs/operations.md).

A backup is one folder:
    database.dump         pg_dump custom format (PostgreSQL) or database.sqlite3 (SQLite)
    media.tar.gz          MEDIA_ROOT (images, documents)
    private-media.tar.gz  PRIVATE_MEDIA_ROOT (the citizens' attachments)
    manifest.json         row count of every table and SHA-256 of every file, taken
                          from the same snapshot the dump was made from

Media kept in an S3 bucket (MEDIA_S3_BUCKET, PRIVATE_MEDIA_S3_BUCKET) are not
copied: the manifest names their bucket under "s3", and the commands say so
(S3_NOTICE); they are kept by the bucket's versioning or replication.

`take_backup()` writes it; `drill()` restores it into a scratch database (created
and dropped here) and a scratch folder, and compares the restored row counts and
checksums with the manifest. Nothing here touches the live data.
"""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import uuid
from pathlib import Path

from django.conf import settings
from django.db import connection

MEDIA_FOLDERS = {"media": "MEDIA_ROOT", "private-media": "PRIVATE_MEDIA_ROOT"}
S3_BACKEND = "storages.backends.s3.S3Storage"
S3_LABELS = {
    "media": ("رسانه‌های عمومی (تصویرها و سندها)", "public media (images, documents)"),
    "private-media": ("پیوست‌های شهروندان", "the citizens' attachments"),
}
S3_NOTICE = (
    "{fa} در S3 ({address}) با این فرمان رونوشت نمی‌شوند؛ پشتیبان آن‌ها نسخه‌بندی "
    "(versioning) یا همتاسازی (replication) سطل است / {en} in S3 ({address}) are not "
    "copied by this command: back them up with the bucket's versioning or replication"
)
KEY_TABLES = [
    "intake_servicerequest",
    "intake_requestattachment",
    "intake_requestevent",
    "intake_smsmessage",
    "wagtailcore_page",
    "auth_user",
]


class DrillFailed(Exception):
    """The restored copy differs from the manifest."""


def _quote(name):
    return connection.ops.quote_name(name)


def _count_rows(cursor, tables):
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT count(*) FROM {_quote(table)}")  # noqa: S608 (names from introspection)
        counts[table] = cursor.fetchone()[0]
    return counts


def _pg_env(database):
    env = {**os.environ}
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if database.get(key):
            env[variable] = str(database[key])
    return env


def s3_media():
    """{"media" or "private-media": "s3://bucket/prefix"} for the media kept in S3."""
    found = {}
    default = settings.STORAGES.get("default", {})
    if default.get("BACKEND") == S3_BACKEND:
        found["media"] = default.get("OPTIONS", {})
    if getattr(settings, "PRIVATE_MEDIA_S3", None):
        found["private-media"] = settings.PRIVATE_MEDIA_S3
    return {
        name: f"s3://{options.get('bucket_name')}/{options.get('location') or ''}".rstrip("/") + "/"
        for name, options in found.items()
    }


def s3_notices(s3):
    """One line (Persian / English) per media folder the backup leaves in S3."""
    return [
        S3_NOTICE.format(fa=S3_LABELS[name][0], en=S3_LABELS[name][1], address=address)
        for name, address in sorted(s3.items())
    ]


def checksums(root):
    """{relative path: sha256} of every file under root."""
    result = {}
    root = Path(root)
    if not root.is_dir():
        return result
    for path in sorted(root.rglob("*")):
        if path.is_file():
            digest = hashlib.sha256()
            with path.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
            result[path.relative_to(root).as_posix()] = digest.hexdigest()
    return result


def take_backup(output):
    """Write a backup folder under `output`; returns its path."""
    folder = Path(output) / datetime.datetime.now(tz=datetime.UTC).strftime("backup-%Y%m%dT%H%M%SZ")
    folder.mkdir(parents=True, exist_ok=False)
    manifest = {"created": datetime.datetime.now(tz=datetime.UTC).isoformat(), "vendor": connection.vendor}
    if connection.vendor == "postgresql":
        manifest["tables"] = _dump_postgresql(folder / "database.dump")
    elif connection.vendor == "sqlite":
        manifest["tables"] = _dump_sqlite(folder / "database.sqlite3")
    else:
        raise DrillFailed(f"no backup for the {connection.vendor} database backend")
    manifest["files"] = {}
    manifest["s3"] = s3_media()
    for name, setting in MEDIA_FOLDERS.items():
        if name in manifest["s3"]:
            continue  # in the bucket, not copied here (S3_NOTICE)
        root = Path(getattr(settings, setting))
        manifest["files"][name] = checksums(root)
        with tarfile.open(folder / f"{name}.tar.gz", "w:gz") as archive:
            if root.is_dir():
                archive.add(root, arcname=".")
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    return folder


def _pg_params(dbname):
    database = connection.settings_dict
    return {
        "host": database.get("HOST") or None,
        "port": database.get("PORT") or None,
        "user": database.get("USER") or None,
        "password": database.get("PASSWORD") or None,
        "dbname": dbname,
    }


def _pg_counts(pg):
    from psycopg import sql

    tables = pg.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()").fetchall()
    return {
        table: pg.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))).fetchone()[0]
        for (table,) in tables
    }


def _dump_postgresql(target):
    """pg_dump from an exported snapshot; the row counts come from the same snapshot."""
    import psycopg

    database = connection.settings_dict
    with psycopg.connect(**_pg_params(database["NAME"])) as pg:
        pg.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        pg.read_only = True
        snapshot = pg.execute("SELECT pg_export_snapshot()").fetchone()[0]
        counts = _pg_counts(pg)
        subprocess.run(  # noqa: S603
            ["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={target}", database["NAME"]],  # noqa: S607
            env=_pg_env(database),
            check=True,
            capture_output=True,
        )
    return counts


def _dump_sqlite(target):
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
    finally:
        copy.close()
    copy = sqlite3.connect(target)
    try:
        cursor = copy.cursor()
        tables = [r[0] for r in cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return _count_rows(cursor, [t for t in tables if not t.startswith("sqlite_")])
    finally:
        copy.close()


def drill(backup, scratch_root=None, keep=False):
    """Restore `backup` into a scratch database and folder and compare with its manifest.
    Returns a report dict; raises DrillFailed on any difference."""
    backup = Path(backup)
    manifest = json.loads((backup / "manifest.json").read_text(encoding="utf-8"))
    scratch = Path(tempfile.mkdtemp(prefix="restore-drill-", dir=scratch_root))
    report = {"backup": str(backup), "scratch folder": str(scratch)}
    try:
        if manifest["vendor"] == "postgresql":
            counts, report["scratch database"] = _restore_postgresql(backup / "database.dump", keep)
        else:
            counts = _restore_sqlite(backup / "database.sqlite3", scratch)
            report["scratch database"] = str(scratch / "database.sqlite3")
        expected = manifest["tables"]
        report["tables"] = len(expected)
        report["rows"] = sum(expected.values())
        report["key tables"] = {t: (expected.get(t), counts.get(t)) for t in KEY_TABLES if t in expected}
        differences = [
            f"table {table}: {expected.get(table)} in the backup, {counts.get(table)} restored"
            for table in sorted(set(expected) | set(counts))
            if expected.get(table) != counts.get(table)
        ]
        report["files"] = 0
        report["s3"] = manifest.get("s3", {})
        for name in MEDIA_FOLDERS:
            if name in report["s3"]:
                continue
            target = scratch / name
            target.mkdir()
            with tarfile.open(backup / f"{name}.tar.gz", "r:gz") as archive:
                archive.extractall(target, filter="data")
            restored = checksums(target)
            wanted = manifest["files"][name]
            report["files"] += len(wanted)
            differences += [
                f"{name}/{path}: checksum differs or file missing"
                for path in sorted(set(wanted) | set(restored))
                if wanted.get(path) != restored.get(path)
            ]
        report["differences"] = differences
        if differences:
            raise DrillFailed("; ".join(differences[:10]))
        return report
    finally:
        if not keep:
            shutil.rmtree(scratch, ignore_errors=True)


def _restore_postgresql(dump, keep):
    import psycopg
    from psycopg import sql

    database = connection.settings_dict
    name = f"{database['NAME'][:30]}_drill_{uuid.uuid4().hex[:8]}"
    admin = _pg_params("postgres")
    with psycopg.connect(**admin, autocommit=True) as pg:
        pg.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        subprocess.run(  # noqa: S603
            ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", f"--dbname={name}", str(dump)],  # noqa: S607
            env=_pg_env(database),
            check=True,
            capture_output=True,
        )
        with psycopg.connect(**_pg_params(name)) as pg:
            counts = _pg_counts(pg)
    finally:
        if not keep:
            with psycopg.connect(**admin, autocommit=True) as pg:
                pg.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    return counts, name


def _restore_sqlite(dump, scratch):
    target = scratch / "database.sqlite3"
    shutil.copyfile(dump, target)
    copy = sqlite3.connect(target)
    try:
        cursor = copy.cursor()
        if cursor.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise DrillFailed("the SQLite copy fails its integrity check")
        tables = [r[0] for r in cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return _count_rows(cursor, [t for t in tables if not t.startswith("sqlite_")])
    finally:
        copy.close()
