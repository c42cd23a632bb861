"""Article fixtures: a small competency catalogue, an article factory and an SQL statement counter."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from sqlalchemy import event

from portal.articles import services
from portal.articles.models import Article, ArticleStatus
from portal.articles.services import ArticleInput
from portal.competencies.models import Competency, CompetencyCategory
from portal.core.permissions import Role
from portal.extensions import db
from tests.postings import every_posting_new

PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def catalogue() -> dict[str, Competency]:
    items = {
        "M.03": Competency(code="M.03", category=CompetencyCategory.MANAGERIAL, name="Komunikasi"),
        "M.05": Competency(code="M.05", category=CompetencyCategory.MANAGERIAL, name="Pelayanan Publik"),
        "SK.01": Competency(code="SK.01", category=CompetencyCategory.SOCIO_CULTURAL, name="Perekat Bangsa"),
    }
    db.session.add_all(items.values())
    db.session.commit()
    return items


@pytest.fixture
def author(make_user):
    return make_user(Role.MEMBER, name="Rina Marlina")


@pytest.fixture
def moderator(make_user):
    return make_user(Role.MODERATOR, name="Yusuf Moderator")


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN, name="Admin BKPSDM")


@pytest.fixture
def make_article(catalogue, author):
    """``make_article(status="published", author=..., **input fields)`` through the services, as a user would."""

    def factory(status: str = "published", by=None, **fields) -> Article:
        writer = by or author
        data = ArticleInput(
            title=fields.pop("title", "Melayani Warga di Mal Pelayanan Publik"),
            summary=fields.pop("summary", "Pengalaman petugas MPP Sawahlunto."),
            body=fields.pop("body", "Petugas menyapa warga dengan **ramah** dan menjelaskan syarat layanan."),
            competency_codes=fields.pop("competency_codes", ["M.05"]),
            tags=fields.pop("tags", ["pelayanan publik", "mpp"]),
            unit_id=fields.pop("unit_id", None),
        )
        with every_posting_new():
            article = services.create(writer, data)
        if status in ("published", "in_review", "archived"):
            services.publish(writer, article)
        if status == "in_review" and article.status != ArticleStatus.IN_REVIEW:
            article.status = ArticleStatus.IN_REVIEW
            db.session.commit()
        if status == "archived":
            article.status = ArticleStatus.ARCHIVED
            db.session.commit()
        return article

    return factory


@contextlib.contextmanager
def counting_queries() -> Iterator[list[str]]:
    statements: list[str] = []

    def before_cursor_execute(_conn, _cursor, statement, *_args):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", before_cursor_execute)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before_cursor_execute)
