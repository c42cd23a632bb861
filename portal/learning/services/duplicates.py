"""The same learning is never counted twice: finding a person's records that a self-reported activity resembles.

A self-reported activity (being submitted, or waiting for verification) *resembles* another record of the same
person, not rejected, when

- both carry the same certificate number (compared by :func:`~portal.learning.models.certificate_key`: upper case,
  letters and digits only), whether the portal issued it for a workshop or it was claimed earlier;
- both have the same dates and similar titles; or
- its dates lie inside a portal workshop the person attended (an attendance credit).

The ASN is told before submitting and acknowledges it (:class:`LikelyDuplicate`); the verifier sees the matches
side by side and may approve a resemblance to a *recognised* record only by stating that it is not a duplicate,
with a reason (:func:`portal.learning.services.verification.approve`). A certificate number recognised for the
person already cannot be recognised again: the database refuses it (a unique index over verified records).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from difflib import SequenceMatcher
from typing import Any

from sqlalchemy import ColumnElement, or_, select

from portal.core.i18n import lazy_gettext as _l
from portal.extensions import db
from portal.learning.models import LearningRecord, LearningSource, LearningStatus, certificate_key
from portal.learning.services.common import LearningError
from portal.learning.services.records import source_label, status_label

TITLE_SIMILARITY = 0.8  # difflib ratio of the normalised titles, or share of the shorter title's words
_WORD = re.compile(r"\w+")

REASON_LABELS: dict[str, Any] = {
    "certificate": _l("nomor sertifikat sama"),
    "dates_title": _l("tanggal sama dan nama kegiatan mirip"),
    "inside_workshop": _l("tanggalnya di dalam pelatihan portal yang diikuti"),
}


@dataclass(frozen=True)
class Candidate:
    """What is compared: the fields of a record or of a form being submitted."""

    user_id: int
    title: str
    start_date: date
    end_date: date
    certificate_number: str = ""
    record_id: int | None = None  # the record itself, left out of its own matches

    @classmethod
    def of(cls, record: LearningRecord) -> Candidate:
        return cls(
            record.user_id, record.title, record.start_date, record.end_date, record.certificate_number, record.id
        )


@dataclass
class Match:
    record: LearningRecord
    reasons: list[str] = field(default_factory=list)  # keys of REASON_LABELS

    @property
    def recognised(self) -> bool:
        return self.record.status == LearningStatus.VERIFIED

    @property
    def same_certificate(self) -> bool:
        return "certificate" in self.reasons

    @property
    def status_label(self) -> str:
        return status_label(self.record.status)

    @property
    def source_label(self) -> str:
        return source_label(self.record.source)

    @property
    def reason_labels(self) -> list[str]:
        return [str(REASON_LABELS[reason]) for reason in self.reasons]


class LikelyDuplicate(LearningError):
    """The activity resembles records of the same person; submitting needs the ASN's acknowledgement."""

    def __init__(self, matches: list[Match]):
        super().__init__(
            _l(
                "Kegiatan ini mirip dengan kegiatan yang sudah tercatat. Periksa, lalu centang konfirmasi bila memang "
                "berbeda."
            ),
            "acknowledge_duplicate",
        )
        self.matches = matches


def _words(title: str) -> list[str]:
    return _WORD.findall(title.casefold())


def similar_titles(first: str, second: str) -> bool:
    """Whether two titles name the same activity: nearly the same text, or most words of the shorter one shared."""
    a, b = _words(first), _words(second)
    if not a or not b:
        return False
    if SequenceMatcher(None, " ".join(a), " ".join(b)).ratio() >= TITLE_SIMILARITY:
        return True
    shorter, longer = (set(a), set(b)) if len(set(a)) <= len(set(b)) else (set(b), set(a))
    return len(shorter) >= 2 and len(shorter & longer) / len(shorter) >= TITLE_SIMILARITY


def _reasons(candidate: Candidate, key: str, other: LearningRecord) -> list[str]:
    reasons = []
    if key and other.certificate_key == key:
        reasons.append("certificate")
    same_dates = (other.start_date, other.end_date) == (candidate.start_date, candidate.end_date)
    if same_dates and similar_titles(candidate.title, other.title):
        reasons.append("dates_title")
    if (
        other.source == LearningSource.ATTENDANCE
        and other.start_date <= candidate.start_date
        and candidate.end_date <= other.end_date
    ):
        reasons.append("inside_workshop")
    return reasons


def find_matches(candidate: Candidate) -> list[Match]:
    """The person's other records (not rejected) the candidate resembles: recognised ones first, then oldest."""
    if candidate.start_date is None or candidate.end_date is None:
        return []
    key = certificate_key(candidate.certificate_number)
    overlapping = (LearningRecord.start_date <= candidate.end_date) & (LearningRecord.end_date >= candidate.start_date)
    conditions: list[ColumnElement[bool]] = [overlapping]
    if key:
        conditions.append(LearningRecord.certificate_key == key)
    stmt = select(LearningRecord).where(
        LearningRecord.user_id == candidate.user_id,
        LearningRecord.status != LearningStatus.REJECTED,
        or_(*conditions),
    )
    if candidate.record_id is not None:
        stmt = stmt.where(LearningRecord.id != candidate.record_id)
    matches = []
    for other in db.session.scalars(stmt.order_by(LearningRecord.start_date, LearningRecord.id)):
        reasons = _reasons(candidate, key, other)
        if reasons:
            matches.append(Match(other, reasons))
    return sorted(matches, key=lambda m: not m.recognised)


def matches_for(record: LearningRecord) -> list[Match]:
    """What a self-reported record resembles (nothing for attendance credits: the portal's own record)."""
    if record.source != LearningSource.SELF_REPORTED:
        return []
    return find_matches(Candidate.of(record))


def recognised_matches(matches: list[Match]) -> list[Match]:
    return [m for m in matches if m.recognised]


def certificate_recognised(record: LearningRecord) -> LearningRecord | None:
    """Another verified record of the same person with the record's certificate number (the index's rule)."""
    if not record.certificate_key:
        return None
    return db.session.scalar(
        select(LearningRecord).where(
            LearningRecord.user_id == record.user_id,
            LearningRecord.certificate_key == record.certificate_key,
            LearningRecord.status == LearningStatus.VERIFIED,
            LearningRecord.id != record.id,
        )
    )
