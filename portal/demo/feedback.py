"""Demo feedback: evaluations of the finished workshops (two runs of Pelayanan Prima to compare, the first one
weak and reviewed), its L3 follow-ups answered by participants and their supervisors, a pre-test of the coming
run, a city-wide competency-needs survey and a public survey for residents.

Forms come from the built-in templates and answers go through the answering service, as people would submit
them; only the moment of submission is moved back to the days after each workshop, so trends have a shape. A
form already there (by workshop and purpose, or by title) is left alone, so re-running changes nothing.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from portal.accounts import services as accounts
from portal.accounts.models import User
from portal.competencies import services as competencies
from portal.core.timezone import to_local
from portal.core.types import utcnow
from portal.demo import people
from portal.demo.context import DemoContext
from portal.extensions import db
from portal.feedback import services as forms
from portal.feedback.models import FeedbackForm, FormAudience, FormPurpose, QuestionKind, Respondent
from portal.feedback.services import (
    FormInput,
    OptionInput,
    QuestionInput,
    SectionInput,
    answering,
    followups,
    library,
    needs_analysis,
    program_review,
)
from portal.workshops import services as workshops
from portal.workshops.models import Workshop

# How each finished run was received: the centre of its 1-5 answers.
EVALUATED: dict[str, float] = {
    "demo-ws-prima-1": 3.0,
    "demo-ws-prima-2": 4.3,
    "demo-ws-arsip": 4.1,
    "demo-ws-integritas": 3.7,
}
PROGRAM = "Pelayanan Prima"
PROGRAM_RUNS = ("demo-ws-prima-1", "demo-ws-prima-2", "demo-ws-prima")
FIRST_RUN_REVIEW = (
    "change_method",
    "L1 Angkatan I di bawah ambang (ceramah terlalu panjang, sedikit praktik). Angkatan II memakai simulasi loket "
    "dan bermain peran menangani keluhan, dengan umpan balik langsung dari warga.",
)
FOLLOWED_UP = "demo-ws-prima-1"
PRE_TESTED = "demo-ws-prima"
SKIPPED_EVERY = 8  # one attendee in eight has not answered yet

SUGGESTIONS = (
    "Tambahkan lebih banyak simulasi dan contoh kasus dari loket kami.",
    "Waktu terlalu singkat untuk materi sebanyak ini.",
    "Materi sangat bermanfaat, mohon ada pelatihan lanjutan.",
    "Ruangan panas, mohon pendingin ruangan diperiksa.",
    "Narasumber menguasai materi dan mudah dipahami.",
    "Bahan tayang sebaiknya dibagikan sebelum pelatihan.",
)
# Which competencies each kind of unit says it needs most (needs survey), by code.
UNIT_NEEDS = {
    "RSUD": ("M.05", "M.03"),
    "DINKES": ("M.05", "M.02"),
    "DISDIK": ("M.06", "M.03"),
    "DISKOMINFO": ("M.07", "M.08"),
    "BPKD": ("M.01", "M.04"),
}
DEFAULT_NEEDS = ("M.04", "M.07")
PUBLIC_SURVEY = "Survei Warga: Layanan Publik yang Perlu Ditingkatkan"
PUBLIC_ANSWERS = (
    ("Administrasi kependudukan (KTP, KK, akta)", 2, "Antrean di Disdukcapil masih panjang pada hari Senin."),
    ("Kesehatan (puskesmas, RSUD)", 3, "Petugas ramah, tetapi informasi jadwal dokter sulit didapat."),
    ("Perizinan usaha", 2, "Mohon syarat izin diumumkan lengkap di satu tempat."),
    ("Administrasi kependudukan (KTP, KK, akta)", 4, ""),
    ("Pendidikan", 4, "Guru sudah sangat membantu anak kami."),
    ("Kebersihan dan lingkungan", 3, "Jadwal angkut sampah di Talawi sering berubah."),
    ("Perizinan usaha", 3, ""),
    ("Kesehatan (puskesmas, RSUD)", 2, "Perlu layanan pengaduan yang menjawab cepat."),
)


def _scale(rng: random.Random, centre: float) -> str:
    return str(min(5, max(1, round(rng.gauss(centre, 0.7)))))


def _answers(form: FeedbackForm, rng: random.Random, centre: float, needs: Sequence[str] = ()) -> dict[str, Any]:
    """Plausible answers to every question, scattered around ``centre``; needed competencies score high."""
    data: dict[str, Any] = {}
    for question in forms.questions_in_order(form):
        field = forms.answer_field(question)
        if question.kind == QuestionKind.LIKERT:
            data[field] = _scale(rng, centre)
        elif question.kind == QuestionKind.GRID:
            for item in question.options:
                code = item.competency.code if item.competency else ""
                data[forms.answer_field(question, item)] = _scale(rng, 4.6 if code in needs else centre)
        elif question.kind == QuestionKind.SINGLE:
            data[field] = str(rng.choice(question.options).id)
        elif question.kind == QuestionKind.MULTIPLE:
            data[field] = [str(option.id) for option in rng.sample(question.options, min(2, len(question.options)))]
        elif question.kind == QuestionKind.NUMBER:
            data[field] = str(int(question.min_value or 0) + rng.randint(0, 3))
        elif question.kind == QuestionKind.LONG_TEXT and (question.required or rng.random() < 0.4):
            data[field] = rng.choice(SUGGESTIONS)
        elif question.kind == QuestionKind.SHORT_TEXT and question.required:
            data[field] = "Penerapan standar pelayanan di loket"
    return data


def _test_answers(form: FeedbackForm, rng: random.Random, knows: float) -> dict[str, Any]:
    """A test taker who picks the correct option with probability ``knows``."""
    data: dict[str, Any] = {}
    for question in forms.questions_in_order(form):
        correct = [option for option in question.options if option.is_correct]
        wrong = [option for option in question.options if not option.is_correct]
        picked = correct if (rng.random() < knows or not wrong) else [rng.choice(wrong)]
        if question.kind == QuestionKind.SINGLE:
            data[forms.answer_field(question)] = str(picked[0].id)
        elif question.kind == QuestionKind.MULTIPLE:
            data[forms.answer_field(question)] = [str(option.id) for option in picked]
    return data


def _workshop(key: str) -> Workshop | None:
    workshop_id = db.session.scalar(select(Workshop.id).where(Workshop.external_id == key))
    return workshops.get(workshop_id) if workshop_id else None


def _attached(workshop: Workshop, purpose: FormPurpose) -> FeedbackForm | None:
    return next((form for form in forms.forms_of_workshop(workshop.id) if form.purpose == purpose), None)


def _open_from_template(actor: User, key: str, workshop: Workshop | None = None, **options: Any) -> FeedbackForm:
    form = library.create_from_template(actor, key, workshop, **options)
    return forms.publish(actor, form)


def _backdate(submitted: answering.Submitted, moment: datetime) -> None:
    if submitted.response is not None:
        submitted.response.submitted_at = moment


def _answered_on(form: FeedbackForm, moment: datetime) -> None:
    """Everyone who answered the form did so on that day (not when the demo was loaded)."""
    db.session.execute(update(Respondent).where(Respondent.form_id == form.id).values(answered_at=moment))


def _evaluate(organizer: User, key: str, centre: float) -> str:
    workshop = _workshop(key)
    if workshop is None:
        return "skipped"
    if _attached(workshop, FormPurpose.EVALUATION) is not None:
        return "unchanged"
    form = _open_from_template(organizer, "evaluation", workshop)
    rng = random.Random(key)
    for index, registration in enumerate(workshops.completed_registrations(workshop.id)):
        if index % SKIPPED_EVERY == SKIPPED_EVERY - 1:
            continue
        submitted = answering.submit(registration.user, form, _answers(form, rng, centre))
        _backdate(submitted, workshop.ends_at + timedelta(hours=2 + index))
    _answered_on(form, workshop.ends_at + timedelta(days=1))
    db.session.commit()
    return "created"


def _follow_up(organizer: User) -> str:
    """L3 for the first run: participants and (where set) their supervisors, about 90 days later."""
    workshop = _workshop(FOLLOWED_UP)
    if workshop is None:
        return "skipped"
    if _attached(workshop, FormPurpose.FOLLOWUP_PARTICIPANT) is not None:
        return "unchanged"
    participant_form = _open_from_template(organizer, "followup_participant", workshop)
    supervisor_form = _open_from_template(organizer, "followup_supervisor", workshop)
    followups.send_due_followups(utcnow())
    rng = random.Random("followup")
    answered_on = workshop.ends_at + timedelta(days=95)
    for index, registration in enumerate(workshops.completed_registrations(workshop.id)):
        participant = registration.user
        if index % 3 != 2:  # two in three answered; the method did not change much
            submitted = answering.submit(participant, participant_form, _answers(participant_form, rng, 3.6))
            _backdate(submitted, answered_on)
        supervisor = accounts.get_user(participant.supervisor_id) if participant.supervisor_id else None
        if supervisor is not None and supervisor.is_active:
            submitted = answering.submit(
                supervisor, supervisor_form, _answers(supervisor_form, rng, 3.0), subject=participant
            )
            _backdate(submitted, answered_on)
    _answered_on(participant_form, answered_on)
    _answered_on(supervisor_form, answered_on)
    db.session.commit()
    return "created"


def _pre_test(organizer: User) -> str:
    """The coming run's pre-test, answered by most confirmed participants already."""
    workshop = _workshop(PRE_TESTED)
    if workshop is None:
        return "skipped"
    if _attached(workshop, FormPurpose.PRE_TEST) is not None:
        return "unchanged"
    form = _open_from_template(organizer, "pretest", workshop)
    rng = random.Random("pretest")
    for index, row in enumerate(workshops.participants(organizer, workshop)):
        registration = row.registration
        if registration.status == "confirmed" and index % 4 != 3:
            answering.submit(registration.user, form, _test_answers(form, rng, 0.45))
    db.session.commit()
    return "created"


def _needs_survey(admin: User) -> str:
    title = _needs_title()
    if db.session.scalar(select(FeedbackForm.id).where(FeedbackForm.title == title)):
        return "unchanged"
    form = _open_from_template(admin, "needs_survey", title=title)
    rng = random.Random("needs")
    for person in people.MEMBERS:
        user = accounts.get_by_nip(person.nip)
        skipped = rng.random() < 0.15 or person.nip == people.SHOWCASE_MEMBER.nip  # she has it still to do
        if user is None or not user.is_active or skipped:
            continue
        needs = UNIT_NEEDS.get(person.unit, DEFAULT_NEEDS)
        answering.submit(user, form, _answers(form, rng, 2.8, needs))
    db.session.commit()
    return "created"


def _public_survey(admin: User) -> str:
    if db.session.scalar(select(FeedbackForm.id).where(FeedbackForm.title == PUBLIC_SURVEY)):
        return "unchanged"
    services = sorted({service for service, _score, _text in PUBLIC_ANSWERS})
    questions = [
        QuestionInput(
            QuestionKind.SINGLE,
            "Layanan apa yang paling sering Anda gunakan?",
            options=[OptionInput(label) for label in services],
        ),
        QuestionInput(QuestionKind.LIKERT, "Seberapa puas Anda dengan layanan itu?", scale="quality"),
        QuestionInput(QuestionKind.LONG_TEXT, "Apa yang paling perlu diperbaiki?", required=False),
    ]
    form = forms.create_form(
        admin,
        FormInput(
            title=PUBLIC_SURVEY,
            description="Survei tanpa nama untuk warga Sawahlunto. Tidak ada data pribadi yang diminta.",
            purpose=FormPurpose.SURVEY,
            audience=FormAudience.PUBLIC,
        ),
        [SectionInput("", questions)],
    )
    form = forms.publish(admin, form)
    choice, satisfaction, improve = forms.questions_in_order(form)
    options = {option.label: option.id for option in choice.options}
    for service, score, text in PUBLIC_ANSWERS:
        answer = {
            forms.answer_field(choice): str(options[service]),
            forms.answer_field(satisfaction): str(score),
            forms.answer_field(improve): text,
        }
        answering.submit_public(form, answer)
    return "created"


def _program(organizer: User) -> str:
    """The runs of Pelayanan Prima as one program, with the review that changed its method after the first run."""
    if any(summary.program.name == PROGRAM for summary in program_review.list_programs(organizer)):
        return "unchanged"
    program = program_review.create_program(
        organizer,
        program_review.ProgramInput(PROGRAM, "Pelatihan pelayanan prima untuk petugas loket dan Mal Pelayanan Publik."),
    )
    for key in PROGRAM_RUNS:
        workshop = _workshop(key)
        if workshop is not None:
            program_review.assign_workshop(organizer, program, workshop.id)
    decision, note = FIRST_RUN_REVIEW
    due = to_local(utcnow()).date() + timedelta(days=30)
    program_review.record_review(
        organizer, program, program_review.DecisionInput(decision, note, owner_id=organizer.id, due_on=due)
    )
    return "created"


def _need_link(organizer: User, survey_title: str) -> str:
    """The coming Pelayanan Prima run answers the public-service need the survey found."""
    workshop = _workshop(PRE_TESTED)
    survey_id = db.session.scalar(select(FeedbackForm.id).where(FeedbackForm.title == survey_title))
    competency = competencies.get_by_code("M.05")
    if workshop is None or competency is None or needs_analysis.links_for([competency.id], workshop.created_at):
        return "unchanged"
    needs_analysis.link_need(organizer, competency.id, workshop.id, survey_id)
    return "created"


def _needs_title() -> str:
    return f"Survei Kebutuhan Pengembangan Kompetensi {utcnow().year + 1}"


def load(_context: DemoContext) -> Mapping[str, int]:
    organizer = accounts.get_by_nip(people.ORGANIZER.nip)
    admin = db.session.scalar(select(User).where(User.nip == people.demo_admin().nip))
    if organizer is None or admin is None:
        return Counter()
    counts: Counter[str] = Counter(_evaluate(organizer, key, centre) for key, centre in EVALUATED.items())
    counts[_follow_up(organizer)] += 1
    counts[_pre_test(organizer)] += 1
    counts[_needs_survey(admin)] += 1
    counts[_program(organizer)] += 1
    counts[_need_link(organizer, _needs_title())] += 1
    counts[_public_survey(admin)] += 1
    return counts
