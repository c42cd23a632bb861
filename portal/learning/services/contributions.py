"""Knowledge shared inside the portal, claimed as "komunitas belajar / berbagi pengetahuan" (NKL10).

A published article and a reply accepted as the answer in someone else's thread are each claimable once
(``LearningRecord.contribution_key`` is unique), within the NKL10 rule's limit (2 a day by default), in the
years a record may still be submitted. A claim is an ordinary self-reported record waiting for verification;
the portal page itself is the evidence, so no upload is needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.accounts.models import User
from portal.articles import services as articles
from portal.competencies import services as competencies
from portal.core.i18n import lazy_gettext as _l
from portal.core.timezone import local_moment, to_local
from portal.core.types import utcnow
from portal.extensions import db
from portal.forums import services as forums
from portal.learning import services
from portal.learning.models import DevelopmentType, LearningRecord, LearningSource, LearningStatus
from portal.learning.services import LearningError, rules

TYPE_CODE = "NKL10"
ARTICLE, ANSWER = "article", "forum_post"
KIND_LABELS: dict[str, Any] = {ARTICLE: _l("Artikel terbit"), ANSWER: _l("Jawaban diterima")}


@dataclass
class Contribution:
    key: str  # "article:12", "forum_post:40"
    kind: str
    title: str
    day: date  # published / accepted, in WIB
    competency_codes: tuple[str, ...] = ()
    claimable: bool = True
    warning: str = ""

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def object_id(self) -> int:
        return int(self.key.split(":", 1)[1])


def parse_key(key: str) -> tuple[str, int] | None:
    kind, _sep, number = (key or "").partition(":")
    return (kind, int(number)) if kind in KIND_LABELS and number.isdigit() else None


def link(key: str | None) -> str | None:
    """Where a claimed contribution can be seen (the verifier's evidence)."""
    parsed = parse_key(key or "")
    if parsed is None:
        return None
    kind, object_id = parsed
    if kind == ARTICLE:
        return services.path_for("articles.show", article_id=object_id)
    return services.path_for("forums.post", post_id=object_id)


def _local_day(moment: datetime | None) -> date:
    assert moment is not None  # the contributions' queries select what has the moment (published, solved)
    return to_local(moment).date()


def community_type() -> DevelopmentType | None:
    development_type = services.get_development_type_by_code(TYPE_CODE)
    return development_type if development_type and development_type.is_active else None


def _contributions(user: User) -> list[Contribution]:
    earliest = date(services.local_today().year - services.YEARS_BACK, 1, 1)
    since = local_moment(earliest, time())
    found = [
        Contribution(
            key=f"{ARTICLE}:{article.id}",
            kind=ARTICLE,
            title=article.title,
            day=_local_day(article.published_at),
            competency_codes=tuple(c.code for c in article.competencies),
        )
        for article in articles.published_by(user.id, since)
    ]
    found += [
        Contribution(
            key=f"{ANSWER}:{post.id}", kind=ANSWER, title=post.thread.title, day=_local_day(post.thread.solved_at)
        )
        for post in forums.accepted_answers_by(user.id, since)
    ]
    return sorted(found, key=lambda c: (c.day, c.key))


def claimable(user: User) -> list[Contribution]:
    """The user's contributions not claimed yet, oldest first, each marked whether the rule's limit allows it."""
    development_type = community_type()
    if development_type is None:
        return []
    claimed = set(
        db.session.scalars(
            select(LearningRecord.contribution_key).where(
                LearningRecord.user_id == user.id, LearningRecord.contribution_key.is_not(None)
            )
        )
    )
    items = [c for c in _contributions(user) if c.key not in claimed]
    for item in items:
        check = rules.check_claim(user.id, _claim(development_type, item))
        if check.warnings:
            item.claimable, item.warning = False, check.warnings[0]
    return items


def _claim(development_type: DevelopmentType, item: Contribution) -> rules.Claim:
    return rules.Claim(development_type_id=development_type.id, quantity=1, start_date=item.day, end_date=item.day)


def claim(user: User, key: str) -> LearningRecord:
    """Claim one contribution: a waiting NKL10 record of the rule's JP; refused over the limit or when claimed."""
    development_type = community_type()
    if development_type is None:
        raise LearningError(_l("Jenis pengembangan komunitas belajar belum tersedia. Hubungi BKPSDM."))
    item = next((c for c in claimable(user) if c.key == key), None)
    if item is None:
        raise LearningError(_l("Kontribusi ini tidak ditemukan atau sudah diklaim."))
    if not item.claimable:
        raise LearningError(item.warning)
    check = rules.check_claim(user.id, _claim(development_type, item))
    now = utcnow()
    record = LearningRecord(
        user_id=user.id,
        source=LearningSource.SELF_REPORTED,
        status=LearningStatus.SUBMITTED,
        development_type_id=development_type.id,
        title=f"{item.kind_label}: {item.title}"[:200],
        provider=current_app.config["SITE_NAME"][:200],
        start_date=item.day,
        end_date=item.day,
        quantity=1,
        jp_claimed=check.suggested or 0,
        contribution_key=key,
        competencies=[c for c in map(competencies.get_by_code, item.competency_codes) if c and c.is_active],
        description=str(_l("Berbagi pengetahuan di portal: %(kind)s.", kind=item.kind_label)),
        submitted_at=now,
        created_at=now,
        updated_at=now,
    )
    db.session.add(record)
    try:
        db.session.commit()
    except IntegrityError:  # the same contribution claimed in a parallel request
        db.session.rollback()
        raise LearningError(_l("Kontribusi ini tidak ditemukan atau sudah diklaim.")) from None
    return record
