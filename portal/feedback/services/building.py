"""Building feedback forms: settings, attaching to workshops, publishing, duplicating (questions and sections:
:mod:`portal.feedback.services.questions`).

Organizers (``Permission.ORGANIZE``) build their own forms; a form attached to a workshop is also managed by
that workshop's organizer, and admins manage every form. Every change takes the acting user, checks it here,
validates *all* input before writing anything, and commits once. Bad input raises :class:`FeedbackError`.

**Answers are never orphaned.** Once a form has a response, its questions can no longer be removed, and a
question's kind, scale, number range, options (count, correct answers, points, competencies) stay as they were;
only wording (question text, help text, option labels, trainer name), the required flag and sections change.
Its purpose, workshop and anonymity are fixed too. These checks run inside :func:`_locked` (the form row locked,
``BEGIN IMMEDIATE`` on SQLite) so a response cannot slip in between the check and the change.

Question order: ``Question.position`` orders the whole form; unsectioned questions come first, then each section
(by ``FormSection.position``) with its questions. :func:`_renumber` restores that invariant after every change.

"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select

from portal.accounts.models import User
from portal.audit import services as audit
from portal.core.i18n import lazy_gettext as _l
from portal.core.permissions import Actor
from portal.core.types import utcnow
from portal.extensions import db
from portal.feedback.models import (
    FeedbackForm,
    FormAudience,
    FormPurpose,
    FormSection,
    FormStatus,
    Question,
    QuestionOption,
)
from portal.feedback.services.common import (
    DEFAULT_FOLLOWUP_DAYS,
    DESCRIPTION_MAX,
    FOLLOWUP_DAYS_MAX,
    FOLLOWUP_PURPOSES,
    STANDALONE_AUDIENCES,
    TEST_PURPOSES,
    TITLE_MAX,
    WORKSHOP_PURPOSES,
    FeedbackError,
    _check_title,
    _choice,
    _locked,
    _new_token,
    _require_build,
    _require_manage,
    _text_block,
    _touch,
)
from portal.feedback.services.lookups import has_responses, questions_in_order, sections_in_order
from portal.feedback.services.questions import (
    QuestionInput,
    _apply_question,
    _check_section_text,
    _renumber,
    validate_question,
)
from portal.units import services as units
from portal.units.models import Unit
from portal.workshops import services as workshops
from portal.workshops.models import Workshop, WorkshopStatus

# ---------------------------------------------------------------- form settings


@dataclass
class FormInput:
    title: str
    description: str = ""
    purpose: FormPurpose | str = FormPurpose.SURVEY
    audience: FormAudience | str = FormAudience.ALL_ASN  # ignored for workshop purposes (always WORKSHOP)
    is_anonymous: bool = False  # public forms are always anonymous
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    unit_ids: Sequence[int] = ()  # audience UNITS
    workshop_id: int | None = None  # workshop purposes
    followup_days: int | None = None  # follow-up purposes: days after the workshop's completion


@dataclass
class ValidForm:
    title: str
    description: str
    purpose: FormPurpose
    audience: FormAudience
    is_anonymous: bool
    opens_at: datetime | None
    closes_at: datetime | None
    units: list[Unit]
    workshop: Workshop | None
    followup_days: int | None


def _check_audience(purpose: FormPurpose, audience: Any) -> FormAudience:
    if purpose in WORKSHOP_PURPOSES:
        return FormAudience.WORKSHOP
    audience = _choice(audience or "", FormAudience, "audience", _l("Pilih siapa yang mengisi survei."))
    if audience not in STANDALONE_AUDIENCES:
        raise FeedbackError(_l("Survei ditujukan ke semua ASN, ASN unit tertentu, atau publik."), "audience")
    return audience


def _check_dates(opens: datetime | None, closes: datetime | None) -> tuple[datetime | None, datetime | None]:
    if opens and closes and closes <= opens:
        raise FeedbackError(_l("Tanggal tutup harus setelah tanggal buka."), "closes_at")
    return opens, closes


def _check_units(audience: FormAudience, unit_ids: Sequence[int]) -> list[Unit]:
    if audience != FormAudience.UNITS:
        return []
    chosen = []
    for unit_id in dict.fromkeys(int(u) for u in unit_ids if u):
        unit = units.get_active(unit_id)
        if unit is None:
            raise FeedbackError(_l("Unit kerja tidak ditemukan."), "units")
        chosen.append(unit)
    return chosen


def _check_workshop(
    actor: Actor, purpose: FormPurpose, workshop_id: int | None, current: FeedbackForm | None
) -> Workshop | None:
    if purpose not in WORKSHOP_PURPOSES or not workshop_id:
        return None
    workshop = workshops.get(int(workshop_id))
    if workshop is not None and current is not None and current.workshop_id == workshop.id:
        return workshop  # unchanged: the form's manager may keep it even without managing the workshop
    if workshop is None or not workshops.can_manage(actor, workshop):
        raise FeedbackError(_l("Pelatihan tidak ditemukan di antara pelatihan yang Anda kelola."), "workshop_id")
    if workshop.status == WorkshopStatus.CANCELLED:
        raise FeedbackError(_l("Pelatihan ini dibatalkan; formulir tidak dapat dipasang."), "workshop_id")
    return workshop


def _check_followup_days(purpose: FormPurpose, days: int | None, workshop: Workshop | None) -> int | None:
    if purpose not in FOLLOWUP_PURPOSES:
        return None
    if days is None and workshop is None:
        return None
    if days is None or not 1 <= days <= FOLLOWUP_DAYS_MAX:
        raise FeedbackError(
            _l("Isi jumlah hari setelah pelatihan selesai, 1-%(max)d.", max=FOLLOWUP_DAYS_MAX), "followup_days"
        )
    return int(days)


def validate_form(actor: Actor, data: FormInput, current: FeedbackForm | None = None) -> ValidForm:
    purpose = _choice(data.purpose or "", FormPurpose, "purpose", _l("Pilih tujuan formulir."))
    audience = _check_audience(purpose, data.audience)
    opens, closes = _check_dates(data.opens_at, data.closes_at)
    workshop = _check_workshop(actor, purpose, data.workshop_id, current)
    return ValidForm(
        title=_check_title(data.title),
        description=_text_block(data.description, DESCRIPTION_MAX, "description", _l("Keterangan")),
        purpose=purpose,
        audience=audience,
        is_anonymous=bool(data.is_anonymous) or audience == FormAudience.PUBLIC,
        opens_at=opens,
        closes_at=closes,
        units=_check_units(audience, data.unit_ids),
        workshop=workshop,
        followup_days=_check_followup_days(purpose, data.followup_days, workshop),
    )


def settings_input(form: FeedbackForm) -> FormInput:
    """The form's current settings as input (to prefill the settings page, or to change one of them)."""
    return FormInput(
        title=form.title,
        description=form.description,
        purpose=form.purpose,
        audience=form.audience,
        is_anonymous=form.is_anonymous,
        opens_at=form.opens_at,
        closes_at=form.closes_at,
        unit_ids=[u.id for u in form.units],
        workshop_id=form.workshop_id,
        followup_days=form.followup_days,
    )


def _apply_settings(form: FeedbackForm, values: ValidForm) -> None:
    form.title, form.description = values.title, values.description
    form.purpose, form.audience, form.is_anonymous = values.purpose, values.audience, values.is_anonymous
    form.opens_at, form.closes_at = values.opens_at, values.closes_at
    form.units = values.units
    form.workshop_id = values.workshop.id if values.workshop else None
    form.followup_days = values.followup_days
    if form.audience != FormAudience.PUBLIC:
        form.public_token = None  # a link handed out earlier stops working
    elif form.status == FormStatus.OPEN and not form.public_token:
        form.public_token = _new_token()
    _touch(form)


def _check_answered_settings(form: FeedbackForm, values: ValidForm) -> None:
    """Answers were given for this purpose, this workshop, under this promise of anonymity: keep them."""
    workshop_id = values.workshop.id if values.workshop else None
    if (form.purpose, form.workshop_id, form.is_anonymous) != (values.purpose, workshop_id, values.is_anonymous):
        raise FeedbackError(
            _l("Formulir ini sudah dijawab: tujuan, pelatihan, dan sifat anonimnya tidak dapat diubah lagi.")
        )


@dataclass
class SectionInput:
    """A section of new content; an empty title puts the questions at the top, unsectioned."""

    title: str
    questions: Sequence[QuestionInput] = ()
    description: str = ""


def create_form(
    actor: Actor,
    data: FormInput,
    sections: Sequence[SectionInput] = (),
    template_key: str | None = None,
) -> FeedbackForm:
    """A new draft owned by the actor, optionally with content (sections and their questions)."""
    _require_build(actor)
    values = validate_form(actor, data)
    content = [
        (_check_section_text(s.title, s.description) if s.title else None, [validate_question(q) for q in s.questions])
        for s in sections
    ]
    form = FeedbackForm(status=FormStatus.DRAFT, owner_id=actor.id, template_key=template_key)
    _apply_settings(form, values)
    for heading, questions in content:
        section = None
        if heading is not None:
            section = FormSection(title=heading[0], description=heading[1], position=len(form.sections))
            form.sections.append(section)
        for question_values in questions:
            question = Question(section=section, position=len(form.questions))
            _apply_question(question, question_values)
            form.questions.append(question)
    db.session.add(form)
    _renumber(form)
    audit.record(actor, "feedback.form_created", form, template=template_key, workshop=form.workshop_id)
    db.session.commit()
    return form


def update_settings(
    actor: User, form: FeedbackForm, data: FormInput, action: str = "feedback.form_updated"
) -> FeedbackForm:
    _require_manage(actor, form)
    values = validate_form(actor, data, form)
    with _locked(form.id) as locked:
        if has_responses(locked):
            _check_answered_settings(locked, values)
        _apply_settings(locked, values)
        if locked.status == FormStatus.OPEN:
            problems = publish_problems(locked, opening=False)
            if problems:
                raise FeedbackError(" ".join(str(p) for p in problems))
        audit.record(actor, action, locked, purpose=locked.purpose.value, workshop=locked.workshop_id)
        db.session.commit()
    return locked


def attach_form(
    actor: User, form: FeedbackForm, workshop: Workshop, purpose: FormPurpose | str, followup_days: int | None = None
) -> FeedbackForm:
    """Attach the form to a workshop as its evaluation, pre-/post-test or follow-up (participants answer it)."""
    purpose = _choice(purpose or "", FormPurpose, "purpose", _l("Pilih kegunaan formulir."))
    if purpose not in WORKSHOP_PURPOSES:
        raise FeedbackError(_l("Pilih kegunaan formulir untuk pelatihan."), "purpose")
    if purpose in FOLLOWUP_PURPOSES and followup_days is None:
        followup_days = form.followup_days or DEFAULT_FOLLOWUP_DAYS
    data = replace(settings_input(form), purpose=purpose, workshop_id=workshop.id, followup_days=followup_days)
    return update_settings(actor, form, data, action="feedback.form_attached")


# ---------------------------------------------------------------- publishing


def _other_open(form: FeedbackForm) -> FeedbackForm | None:
    """Another open form of the same workshop and purpose (a workshop has one open evaluation, one test...)."""
    if form.workshop_id is None:
        return None
    return db.session.scalar(
        select(FeedbackForm).where(
            FeedbackForm.workshop_id == form.workshop_id,
            FeedbackForm.purpose == form.purpose,
            FeedbackForm.status == FormStatus.OPEN,
            FeedbackForm.id != form.id,
        )
    )


def publish_problems(form: FeedbackForm, now: datetime | None = None, opening: bool = True) -> list[Any]:
    """What keeps the form from opening; empty when it can open. The builder lists them before publishing.

    ``opening=False`` checks an open form after a settings change: a closing date in the past just ends it.
    """
    now = now or utcnow()
    problems: list[Any] = []
    questions = questions_in_order(form)
    if form.is_template:
        problems.append(_l("Templat tidak dapat dibuka untuk diisi; salin dulu."))
    if not questions:
        problems.append(_l("Tambahkan paling sedikit satu pertanyaan."))
    if form.audience == FormAudience.UNITS and not form.units:
        problems.append(_l("Pilih paling sedikit satu unit kerja yang disurvei."))
    if form.purpose in WORKSHOP_PURPOSES:
        if form.workshop is None:
            problems.append(_l("Pasang formulir ini ke pelatihan dulu (di Pengaturan)."))
        elif form.workshop.status == WorkshopStatus.CANCELLED:
            problems.append(_l("Pelatihannya dibatalkan."))
        if form.purpose in FOLLOWUP_PURPOSES and not form.followup_days:
            problems.append(_l("Tentukan berapa hari setelah pelatihan selesai formulir ini dikirim."))
    if form.purpose in TEST_PURPOSES and not any(q.points > 0 for q in questions):
        problems.append(_l("Tes perlu paling sedikit satu soal pilihan dengan jawaban benar dan poin."))
    if opening and form.closes_at is not None and form.closes_at <= now:
        problems.append(_l("Tanggal tutupnya sudah lewat; ubah atau kosongkan dulu di Pengaturan."))
    other = _other_open(form)
    if other is not None:
        problems.append(
            _l(
                'Pelatihan ini sudah mempunyai formulir "%(title)s" dengan kegunaan yang sama yang sedang dibuka; '
                "tutup dulu formulir itu.",
                title=other.title,
            )
        )
    return problems


def _open(actor: User, form: FeedbackForm, expected: FormStatus, action: str) -> FeedbackForm:
    _require_manage(actor, form)
    with _locked(form.id) as locked:
        if locked.status != expected:
            message = (
                _l("Hanya draf yang dapat dibuka.")
                if expected == FormStatus.DRAFT
                else _l("Hanya formulir yang ditutup yang dapat dibuka kembali.")
            )
            raise FeedbackError(message)
        problems = publish_problems(locked)
        if problems:
            raise FeedbackError(" ".join(str(p) for p in problems))
        locked.status = FormStatus.OPEN
        locked.published_at = locked.published_at or utcnow()
        if locked.audience == FormAudience.PUBLIC and not locked.public_token:
            locked.public_token = _new_token()
        _touch(locked)
        audit.record(actor, action, locked, purpose=locked.purpose.value, audience=locked.audience.value)
        db.session.commit()
    return locked


def publish(actor: User, form: FeedbackForm) -> FeedbackForm:
    """Draft -> open: respondents can answer (within the opening and closing dates)."""
    return _open(actor, form, FormStatus.DRAFT, "feedback.form_published")


def reopen(actor: User, form: FeedbackForm) -> FeedbackForm:
    return _open(actor, form, FormStatus.CLOSED, "feedback.form_reopened")


def close(actor: User, form: FeedbackForm) -> FeedbackForm:
    _require_manage(actor, form)
    with _locked(form.id) as locked:
        if locked.status != FormStatus.OPEN:
            raise FeedbackError(_l("Hanya formulir yang dibuka yang dapat ditutup."))
        locked.status = FormStatus.CLOSED
        _touch(locked)
        audit.record(actor, "feedback.form_closed", locked)
        db.session.commit()
    return locked


def renew_public_token(actor: User, form: FeedbackForm) -> str:
    """A new public link; the old one stops working (e.g. it was shared where it should not be)."""
    _require_manage(actor, form)
    with _locked(form.id) as locked:
        if locked.audience != FormAudience.PUBLIC:
            raise FeedbackError(_l("Hanya survei publik yang mempunyai tautan publik."))
        token = locked.public_token = _new_token()
        _touch(locked)
        audit.record(actor, "feedback.public_link_renewed", locked)
        db.session.commit()
        return token


def delete_form(actor: User, form: FeedbackForm) -> None:
    _require_manage(actor, form)
    with _locked(form.id) as locked:
        if has_responses(locked):
            raise FeedbackError(_l("Formulir yang sudah dijawab tidak dapat dihapus; tutup saja."))
        audit.record(actor, "feedback.form_deleted", locked, purpose=locked.purpose.value)
        db.session.delete(locked)
        db.session.commit()


def duplicate_form(actor: User, form: FeedbackForm) -> FeedbackForm:
    """A draft copy owned by the actor: settings, sections, questions and options; not attached, no dates."""
    _require_manage(actor, form)
    copy = clone_form(form, actor.id, _copy_title(form.title))
    audit.record(actor, "feedback.form_duplicated", copy, source=form.id)
    db.session.commit()
    return copy


def clone_form(
    form: FeedbackForm,
    owner_id: int,
    title: str,
    workshop_id: int | None = None,
    followup_days: int | None = None,
) -> FeedbackForm:
    """A draft copy of ``form`` (settings, sections, questions, options), flushed, not committed, not checked:
    the caller authorizes and commits (``duplicate_form``, a program's evaluation attached to a new run)."""
    copy = FeedbackForm(
        title=title[:TITLE_MAX],
        description=form.description,
        purpose=form.purpose,
        audience=form.audience,
        status=FormStatus.DRAFT,
        is_anonymous=form.is_anonymous,
        template_key=form.template_key,
        workshop_id=workshop_id,
        followup_days=followup_days or form.followup_days,
        owner_id=owner_id,
        copied_from_id=form.id,
    )
    copy.units = list(form.units)
    sections = {}
    for section in sections_in_order(form):
        sections[section.id] = FormSection(
            title=section.title, description=section.description, position=section.position
        )
        copy.sections.append(sections[section.id])
    for question in questions_in_order(form):
        clone = Question(
            section=sections.get(question.section_id),
            position=question.position,
            kind=question.kind,
            label=question.label,
            help_text=question.help_text,
            required=question.required,
            scale=question.scale,
            min_value=question.min_value,
            max_value=question.max_value,
            trainer_name=question.trainer_name,
            points=question.points,
        )
        for option in question.options:
            clone.options.append(
                QuestionOption(
                    position=option.position,
                    label=option.label,
                    is_correct=option.is_correct,
                    competency_id=option.competency_id,
                )
            )
        copy.questions.append(clone)
    db.session.add(copy)
    db.session.flush()
    return copy


def _copy_title(title: str) -> str:
    return str(_l("Salinan %(title)s", title=title))[:TITLE_MAX]
