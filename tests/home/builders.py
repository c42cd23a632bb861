"""Builders for what shows on a person's home page (plain functions, no fixtures)."""

from __future__ import annotations

from datetime import UTC, datetime

from portal.extensions import db
from portal.feedback.models import FormAudience, FormPurpose, QuestionKind
from portal.workshops import services as workshops
from portal.workshops.models import RegistrationStatus
from tests.feedback.factories import Q, make_form


def completed(workshop, user):
    """``user`` registered and completed ``workshop`` (as the completion rule would mark it)."""
    registration = workshops.register(user, workshop.id)
    registration.completed_at = datetime.now(UTC)
    db.session.commit()
    assert registration.status == RegistrationStatus.CONFIRMED
    return registration


def evaluation(owner, workshop=None, **fields):
    """An open evaluation of the workshop (or, without one, a survey for every ASN)."""
    return make_form(
        owner,
        [Q(QuestionKind.LIKERT, "Materi bermanfaat")],
        title=fields.pop("title", "Evaluasi Pelatihan Pelayanan Prima"),
        purpose=FormPurpose.EVALUATION if workshop else FormPurpose.SURVEY,
        audience=FormAudience.WORKSHOP if workshop else FormAudience.ALL_ASN,
        workshop=workshop,
        **fields,
    )


def session_start(workshop):
    return workshop.sessions[0].starts_at
