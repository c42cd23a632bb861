"""The home page's rules, one test (or a few) per section; times are frozen by passing ``now``."""

from __future__ import annotations

from datetime import date, timedelta

from portal.articles.models import Article, ArticleStatus
from portal.core.permissions import Role
from portal.core.types import utcnow
from portal.extensions import db
from portal.feedback.models import FormStatus
from portal.feedback.services import pending as feedback_pending
from portal.forums import services as forums
from portal.home import services as home
from portal.learning.models import DevelopmentPlan, LearningStatus, PlanItem, PlanStatus
from portal.learning.services import local_today
from portal.units.models import UnitHead
from portal.workshops import services as workshops
from portal.workshops.models import ApprovalMode
from tests.feedback.factories import make_response
from tests.home.builders import completed, evaluation
from tests.learning.profile_helpers import add_position, add_record, add_workshop, assess

# ---------------------------------------------------------------- my next sessions, my waiting-list places


def test_next_session_with_place_and_a_checkin_link_only_while_the_window_is_open(make_user, workshop):
    member = make_user()
    workshops.register(member, workshop.id)
    session = workshop.sessions[0]

    week_before = home.agenda(member, session.starts_at - timedelta(days=7))
    assert [item.workshop.title for item in week_before.sessions] == ["Pelatihan Pelayanan Prima"]
    assert week_before.sessions[0].workshop.location == "Aula"
    assert not week_before.checkin_open  # check-in opens an hour before the start

    assert home.agenda(member, session.starts_at - timedelta(minutes=30)).checkin_open
    assert home.agenda(member, session.ends_at + timedelta(minutes=20)).checkin_open  # the grace after the end
    assert home.agenda(member, session.ends_at + timedelta(minutes=31)).sessions == []  # over: gone


def test_waiting_list_position(make_user, workshop):
    workshop.capacity = 1
    db.session.commit()
    first, second, member = make_user(), make_user(), make_user()
    for person in (first, second, member):
        workshops.register(person, workshop.id)

    mine = home.agenda(member, utcnow())
    assert mine.sessions == []
    assert [(place.workshop.id, place.position) for place in mine.waiting] == [(workshop.id, 2)]


def test_nothing_scheduled_is_an_empty_agenda(make_user):
    assert home.agenda(make_user(), utcnow()).empty


# ---------------------------------------------------------------- my JP against my rule


def test_jp_against_the_target_with_what_is_pending_verification(make_user):
    member = make_user(employment_status="PNS")
    today = local_today()
    add_record(member, 8, today)
    add_record(member, 4, today, status=LearningStatus.SUBMITTED)

    standing = home.progress(member, utcnow()).standing
    assert not standing.is_ceiling
    assert (standing.jp, standing.pending) == (8, 4)
    assert standing.missing == standing.rule.jp - 8
    assert home.progress(member, utcnow()).urgent


def test_a_pppk_sees_a_ceiling_not_a_target(make_user):
    standing = home.progress(make_user(employment_status="PPPK"), utcnow()).standing
    assert standing.is_ceiling
    assert not standing.below_target


# ---------------------------------------------------------------- what waits for me


def test_evaluations_to_fill_are_those_the_feedback_rules_allow(make_user, organizer, workshop, catalogue):
    member = make_user()
    completed(workshop, member)
    other = add_workshop(organizer, [catalogue["M.01"]], title="Pelatihan Lain")
    to_answer = evaluation(organizer, workshop)
    evaluation(organizer, other, title="Evaluasi pelatihan yang tidak saya ikuti")
    survey = evaluation(organizer, title="Survei kepuasan layanan", closes_at=utcnow() + timedelta(days=3))
    evaluation(organizer, title="Survei yang sudah ditutup", status=FormStatus.CLOSED)
    evaluation(organizer, title="Survei yang belum dibuka", opens_at=utcnow() + timedelta(days=1))

    todo = home.todo(member, utcnow())
    assert [item.form.id for item in todo.forms] == [survey.id, to_answer.id]  # soonest deadline first
    assert todo.form_count == 2
    rule = {item.form.id for item in feedback_pending.overview(member).pending}
    assert {item.form.id for item in todo.forms} == rule

    make_response(to_answer, member, {0: 4})
    assert [item.form.id for item in home.todo(member, utcnow()).forms] == [survey.id]


def test_drafts_plan_items_due_and_plan_approvals(make_user):
    supervisor = make_user()
    member = make_user(supervisor_id=supervisor.id)
    db.session.add(Article(title="Catatan SPBE", author_id=member.id, status=ArticleStatus.DRAFT))
    db.session.add(Article(title="Sudah terbit", author_id=member.id, status=ArticleStatus.PUBLISHED))
    today = local_today()
    plan = DevelopmentPlan(user_id=member.id, year=today.year, status=PlanStatus.SUBMITTED)
    plan.items = [
        PlanItem(title="Kursus arsip digital", planned_month=today.month),
        PlanItem(title="Bimtek bulan depan", planned_month=12 if today.month < 12 else None),
    ]
    db.session.add(plan)
    db.session.commit()

    todo = home.todo(member, utcnow())
    assert [a.title for a in todo.drafts] == ["Catatan SPBE"] and todo.draft_count == 1
    assert [item.title for item in todo.plan_items_due] == ["Kursus arsip digital"]
    assert todo.plan_approvals == 0
    assert home.todo(supervisor, utcnow()).plan_approvals == 1


# ---------------------------------------------------------------- recommended workshops


def test_recommends_open_workshops_that_close_a_gap_and_names_it(make_user, organizer, catalogue, unit):
    position = add_position("ANL", {catalogue["M.05"]: 3, catalogue["M.01"]: 2}, unit=unit)
    member = make_user(position_id=position.id)
    assess(member, catalogue["M.05"], 1)  # below the standard
    assess(member, catalogue["M.01"], 3)  # above it
    closes = add_workshop(organizer, [catalogue["M.05"]], title="Pelayanan Publik Prima")
    add_workshop(organizer, [catalogue["M.01"]], title="Integritas ASN")

    found = home.recommendations(member)
    assert [item.workshop.id for item in found] == [closes.id]
    assert [gap.competency.name for gap in found[0].gaps] == ["Pelayanan Publik"]


def test_no_position_no_gap_recommendations(make_user, workshop):
    assert home.recommendations(make_user()) == []


# ---------------------------------------------------------------- followed threads


def test_new_posts_in_followed_threads(make_user):
    member, colleague = make_user(), make_user()
    category = forums.ensure_general_category()
    thread = forums.create_thread(member, category, "Cara mengisi SKP baru", "Ada yang sudah mencoba?")
    assert home.following(member).empty  # nothing new: one's own opening post is read

    forums.reply(colleague, thread, "Sudah, lewat menu kinerja.")
    forums.reply(colleague, thread, "Jangan lupa unggah bukti.")
    followed = home.following(member)
    assert [(item.thread.id, item.unread) for item in followed.threads] == [(thread.id, 2)]
    assert home.following(colleague).empty  # the colleague follows it too, but has read everything


# ---------------------------------------------------------------- supervisor, unit head, staff


def test_a_supervisor_sees_their_team_below_target(make_user):
    supervisor = make_user()
    behind = make_user(supervisor_id=supervisor.id)
    done = make_user(supervisor_id=supervisor.id)
    add_record(done, 40, local_today())
    add_record(behind, 2, local_today())

    figure = home.oversight(supervisor, utcnow()).team
    assert (figure.below, figure.people) == (1, 2)
    assert home.oversight(behind, utcnow()).empty


def test_a_unit_head_sees_the_units_figure(make_user, unit):
    head = make_user()
    db.session.add(UnitHead(unit_id=unit.id, user_id=head.id))
    db.session.commit()
    make_user(), make_user()

    figure = home.oversight(head, utcnow()).unit
    assert (figure.below, figure.people) == (2, 2)


def test_work_waiting_for_each_staff_role(make_user, organizer, workshop):
    member, moderator, admin = make_user(), make_user(Role.MODERATOR), make_user(Role.ADMIN)
    assert home.work_waiting(member) == []

    thread = forums.create_thread(member, forums.ensure_general_category(), "Topik uji", "Isi topik uji coba.")
    forums.report(make_user(), thread_post(thread), "Isinya menyinggung rekan kerja.")
    db.session.add(Article(title="Menunggu tinjauan", author_id=member.id, status=ArticleStatus.IN_REVIEW))
    workshop.approval_mode = ApprovalMode.ORGANIZER
    db.session.commit()
    workshops.register(member, workshop.id)
    add_record(member, 4, date(local_today().year, 1, 1), status=LearningStatus.SUBMITTED)

    def counts(user):
        return {item.endpoint: item.count for item in home.work_waiting(user)}

    assert counts(moderator) == {"articles.review_queue": 1, "forums.moderation": 1}
    assert counts(organizer) == {"workshops.manage": 1, "feedback.programs": 0}
    assert counts(admin) == {
        "articles.review_queue": 1,
        "forums.moderation": 1,
        "workshops.manage": 1,
        "feedback.programs": 0,
        "learning.queue": 1,
    }
    assert counts(make_user(Role.ORGANIZER)) == {"workshops.manage": 0, "feedback.programs": 0}  # not theirs


def thread_post(thread):
    return forums.post_by_number(thread, 1)


# ---------------------------------------------------------------- the order of the cards


def test_an_open_checkin_comes_first_and_empty_sections_last(make_user, workshop):
    member = make_user()
    workshops.register(member, workshop.id)
    start = workshop.sessions[0].starts_at

    assert home.build(member, start - timedelta(minutes=10)).sections[0] == "agenda"
    later = home.build(member, start - timedelta(days=5)).sections
    assert later[0] == "progress"  # below target: urgent
    assert later[-1] == "todo"  # nothing to fill in


def test_workshops_already_signed_up_for_are_not_recommended(make_user, organizer, catalogue, unit):
    position = add_position("ANL", {catalogue["M.05"]: 3}, unit=unit)
    member = make_user(position_id=position.id)
    assess(member, catalogue["M.05"], 1)
    signed_up = add_workshop(organizer, [catalogue["M.05"]], title="Pelayanan Publik Prima")
    other = add_workshop(organizer, [catalogue["M.05"]], days_ahead=25, title="Pelayanan Publik Lanjutan")
    workshops.register(member, signed_up.id)

    assert [item.workshop.id for item in home.recommendations(member)] == [other.id]
    workshops.cancel(member, signed_up.id)
    assert [item.workshop.id for item in home.recommendations(member)] == [signed_up.id, other.id]


def test_the_landing_page_lists_only_workshops_open_to_every_unit(organizer, catalogue, make_unit):
    open_to_all = add_workshop(organizer, [catalogue["M.05"]], title="Pelayanan Publik Prima")
    add_workshop(organizer, [catalogue["M.05"]], title="Khusus RSUD", eligible_unit_ids=[make_unit("RSUD").id])
    add_workshop(organizer, [catalogue["M.05"]], title="Masih draf", publish=False)

    assert [w.id for w in home.landing().workshops] == [open_to_all.id]
