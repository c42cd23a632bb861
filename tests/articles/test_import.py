"""``flask content import``: articles by external_id, line-by-line failures, exit status."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from portal.articles.models import Article, ArticleRevision, ArticleStatus
from portal.content import services as content
from portal.core.permissions import Role
from portal.extensions import db


def _line(**fields) -> str:
    record = {
        "type": "article",
        "external_id": "kb-001",
        "title": "Pedoman Pengadaan Barang/Jasa Skala Kecil",
        "summary": "Ringkasan pedoman.",
        "body": "## Dasar hukum\n\nPerpres 12/2021.",
        "tags": ["pengadaan"],
        "competencies": ["M.01"],
    }
    record.update(fields)
    return json.dumps(record)


@pytest.fixture
def integrity(catalogue):
    from portal.competencies.models import Competency, CompetencyCategory

    db.session.add(Competency(code="M.01", category=CompetencyCategory.MANAGERIAL, name="Integritas"))
    db.session.commit()


def _run(app, tmp_path, admin, *lines: str):
    path = tmp_path / "impor.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return app.test_cli_runner().invoke(args=["content", "import", str(path), "--as", admin.nip])


def test_import_creates_then_updates_idempotently(app, tmp_path, admin, author, integrity):
    result = _run(app, tmp_path, admin, _line(author_nip=author.nip, created_at="2024-03-01T09:00:00"))
    assert result.exit_code == 0, result.output
    assert "1 dibuat" in result.output
    article = db.session.scalar(select(Article))
    assert article.author_id == author.id and article.status == ArticleStatus.PUBLISHED
    assert article.published_at.isoformat() == "2024-03-01T02:00:00+00:00"  # 09:00 WIB

    result = _run(app, tmp_path, admin, _line(author_nip=author.nip))
    assert "1 tidak berubah" in result.output
    result = _run(app, tmp_path, admin, _line(author_nip=author.nip, body="Isi baru."))
    assert "1 diperbarui" in result.output
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Article)) == 1
    assert db.session.scalar(select(func.count()).select_from(ArticleRevision)) == 2


def test_unknown_author_imports_as_the_admin(app, tmp_path, admin, integrity):
    _run(app, tmp_path, admin, _line(author_nip="199901012020011999", status="draft"))
    article = db.session.scalar(select(Article))
    assert article.author_id == admin.id and article.status == ArticleStatus.DRAFT


def test_bad_lines_are_reported_and_nothing_of_them_is_written(app, tmp_path, admin, integrity):
    result = _run(
        app,
        tmp_path,
        admin,
        _line(external_id="ok-1"),
        "{bukan json",
        _line(external_id="bad-2", competencies=["X.99"]),
        _line(external_id="bad-3", title=""),
        json.dumps({"type": "forum", "external_id": "f"}),
        _line(external_id="bad-5", tags=[f"t{n}x" for n in range(11)]),
        _line(external_id="bad-6", created_at="kemarin"),
    )
    assert result.exit_code == 1
    assert "Baris 2: JSON tidak valid" in result.output
    assert "Baris 3: Kompetensi X.99 tidak ada dalam katalog." in result.output
    assert "Baris 4: Judul wajib diisi." in result.output
    assert 'Baris 5: Jenis "forum" tidak dikenal' in result.output
    assert "Baris 6: Paling banyak 10 tag" in result.output
    assert "Baris 7: created_at" in result.output
    assert "1 dibuat" in result.output and "6 gagal" in result.output
    assert list(db.session.scalars(select(Article.external_id))) == ["ok-1"]


def test_import_must_run_as_an_admin(app, tmp_path, make_user, integrity):
    result = _run(app, tmp_path, make_user(Role.MODERATOR), _line())
    assert result.exit_code != 0
    assert "admin" in result.output
    assert db.session.scalar(select(func.count()).select_from(Article)) == 0


def test_other_features_can_register_their_own_types(admin, monkeypatch):
    monkeypatch.setattr(content, "_importers", dict(content._importers))  # the registry is process-wide
    calls = []
    content.register_importer("uji", lambda record, actor: calls.append(record) or content.Outcome.CREATED)
    report = content.run_import([json.dumps({"type": "uji", "x": 1})], admin)
    assert report.ok and calls == [{"type": "uji", "x": 1}]
    assert "uji" in content.registered_types()
