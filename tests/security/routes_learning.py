"""Authorization rows for the JP ledger, self-reported records, the verification queue, JP rules and targets
(format: see test_access_matrix.py).

A person's ledger and records are private: the member persona owns the records the needs create; BKPSDM (admin)
sees and verifies everyone's; the other personas are neither the owner's supervisor nor their unit's head, so
those pages answer 404 to them. Only the owner changes a waiting record; only a verifier decides one.
"""

import io
import itertools
from datetime import UTC, datetime, timedelta

from werkzeug.datastructures import FileStorage

from portal.articles.models import Article, ArticleStatus
from portal.core.permissions import Role
from portal.extensions import db
from portal.learning import services
from portal.learning.seed import upsert_development_types

SIGNED_IN = ("member", "organizer", "moderator", "admin", "other_unit_member")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _outcomes(anonymous, signed_in, **overrides):
    return {"anonymous": anonymous, **dict.fromkeys(SIGNED_IN, signed_in), **overrides}


_submissions = itertools.count()


def _submitted(user):
    """A claim on a day of its own, so the person's earlier test claims never make it a likely duplicate."""
    upsert_development_types()
    today = services.local_today() - timedelta(days=next(_submissions) % 300)
    return services.submit(
        user,
        services.RecordInput(
            development_type_id=services.get_development_type_by_code("NKL03").id,
            title="E-learning Manajemen ASN",
            provider="LAN RI",
            start_date=today,
            end_date=today,
            quantity=1,
            jp_claimed=3,
            evidence=FileStorage(io.BytesIO(PDF), filename="sertifikat.pdf"),
        ),
    )


def _record_need(ctx):
    return {"record_id": _submitted(ctx.member).id}


def _verified_need(ctx):
    record = _submitted(ctx.member)
    services.approve(ctx.make_user(Role.ADMIN), record.id, 3)
    return {"verified_id": record.id}


def _colleague_need(ctx):
    return {"colleague_id": ctx.make_user(Role.MEMBER, unit_id=ctx.unit.id).id}


def _type_need(_ctx):
    upsert_development_types()
    return {"type_id": services.get_development_type_by_code("NKL01").id}


def _article_need(ctx):
    upsert_development_types()
    article = Article(
        title="Tips pelayanan loket",
        author_id=ctx.member.id,
        status=ArticleStatus.PUBLISHED,
        published_at=datetime.now(UTC) - timedelta(days=1),
    )
    db.session.add(article)
    db.session.commit()
    return {"article_id": article.id}


NEEDS = {
    "learning_record": _record_need,
    "verified_learning_record": _verified_need,
    "learning_colleague": _colleague_need,
    "learning_type": _type_need,
    "claimable_article": _article_need,
}

PAGE = _outcomes("login", 200)
PRIVATE_PAGE = _outcomes("login", 404, member=200, admin=200)
OWNER_ONLY = _outcomes("login", 404, member=200, admin=403)  # BKPSDM sees the record but does not change it
OWNER_ACTION = _outcomes("login", 404, member="redirect", admin=403)
VERIFIER_ACTION = _outcomes("login", 404, member=403, admin="redirect")  # the owner sees it but may not decide
BKPSDM_PAGE = _outcomes("login", 403, admin=200)
BKPSDM_FORM = _outcomes("login", 403, admin="ok")


def _row(endpoint, method, path, expect, *needs, data=None, headers=None):
    row = {"endpoint": endpoint, "method": method, "path": path, "expect": expect}
    if needs:
        row["needs"] = list(needs)
    if data:
        row["data"] = data
    if headers:
        row["headers"] = headers
    return row


R = "/rekam-jejak/kegiatan/{record_id}"
ROUTES = [
    _row("learning.index", "GET", "/rekam-jejak", PAGE, "learning_record"),
    _row(
        "learning.person",
        "GET",
        "/rekam-jejak/pegawai/{colleague_id}",
        _outcomes("login", 404, admin=200),
        "learning_colleague",
    ),
    _row(
        "learning.person",
        "GET",
        "/rekam-jejak/pegawai/{user_id}",
        _outcomes("login", 404, member="redirect", admin=200),
        "user",
    ),
    _row("learning.person", "GET", "/rekam-jejak/pegawai/999999", _outcomes("login", 404)),
    _row("learning.create", "GET", "/rekam-jejak/ajukan", PAGE, "learning_type"),
    _row("learning.create", "POST", "/rekam-jejak/ajukan", _outcomes("login", "ok"), "learning_type"),
    _row(
        "learning.suggest",
        "GET",
        "/rekam-jejak/saran-jp",
        PAGE,
        "learning_type",
    ),
    _row("learning.record", "GET", R, PRIVATE_PAGE, "learning_record"),
    _row("learning.record", "GET", "/rekam-jejak/kegiatan/999999", _outcomes("login", 404)),
    _row("learning.evidence", "GET", R + "/bukti", PRIVATE_PAGE, "learning_record"),
    _row("learning.edit", "GET", R + "/ubah", OWNER_ONLY, "learning_record"),
    _row("learning.edit", "POST", R + "/ubah", _outcomes("login", 404, member="ok", admin=403), "learning_record"),
    _row(
        "learning.edit",
        "GET",
        "/rekam-jejak/kegiatan/{verified_id}/ubah",
        _outcomes("login", 404, member=403, admin=403),
        "verified_learning_record",
    ),
    _row("learning.withdraw", "POST", R + "/tarik", OWNER_ACTION, "learning_record"),
    _row("learning.approve", "POST", R + "/setujui", VERIFIER_ACTION, "learning_record", data={"jp": "3"}),
    _row(
        "learning.approve",
        "POST",
        R + "/setujui",
        _outcomes("login", 404, member=403, admin=200),
        "learning_record",
        data={"jp": "3"},
        headers={"HX-Request": "true"},
    ),
    _row(
        "learning.return_record",
        "POST",
        R + "/kembalikan",
        VERIFIER_ACTION,
        "learning_record",
        data={"return_note": "Sertifikat buram."},
    ),
    _row(
        "learning.reject",
        "POST",
        R + "/tolak",
        VERIFIER_ACTION,
        "learning_record",
        data={"reason": "Bukan pengembangan."},
    ),
    _row("learning.queue", "GET", "/rekam-jejak/verifikasi", BKPSDM_PAGE, "learning_record"),
    _row("learning.settings", "GET", "/rekam-jejak/pengaturan", BKPSDM_PAGE, "learning_type"),
    _row("learning.targets", "POST", "/rekam-jejak/pengaturan/target", BKPSDM_FORM),
    _row("learning.siasn_ids", "GET", "/rekam-jejak/pengaturan/siasn", BKPSDM_PAGE, "learning_type"),
    _row("learning.siasn_ids", "POST", "/rekam-jejak/pengaturan/siasn", BKPSDM_FORM, "learning_type"),
    _row("learning.records_import", "GET", "/rekam-jejak/impor", BKPSDM_PAGE),
    _row("learning.records_import", "POST", "/rekam-jejak/impor", BKPSDM_FORM),
    _row(
        "learning.load_reference",
        "POST",
        "/rekam-jejak/pengaturan/data-acuan",
        _outcomes("login", 403, admin="redirect"),
    ),
    _row("learning.edit_rule", "GET", "/rekam-jejak/pengaturan/jenis/{type_id}", BKPSDM_PAGE, "learning_type"),
    _row("learning.edit_rule", "POST", "/rekam-jejak/pengaturan/jenis/{type_id}", BKPSDM_FORM, "learning_type"),
    _row("learning.contributions_page", "GET", "/rekam-jejak/kontribusi", PAGE, "claimable_article"),
    _row(
        "learning.contributions_page",
        "POST",
        "/rekam-jejak/kontribusi",
        _outcomes("login", "redirect"),
        "claimable_article",
    ),
]
