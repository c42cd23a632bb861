"""Features reach each other through portal.core.signals: a page's view names every block it renders."""

from blinker import Namespace

from portal.core import signals
from portal.core.signals import Section


def test_no_feature_registers_a_query_for_another_features_page(app):
    # these ran queries of one feature from another's templates (issue 12 item 3); views pass the data now
    for name in ("feedback_workshop_forms", "feedback_evaluation_url", "articles_by_author"):
        assert name not in app.jinja_env.globals


def test_the_pages_collect_their_blocks_from_the_subscribed_features(app):
    assert signals.workshop_dashboard_sections.receivers, "feedback answers for the workshop dashboard"
    assert signals.profile_sections.receivers, "articles answers for the profile page"
    assert signals.certificate_pending.receivers, "feedback holds the certificate for the evaluation"
    assert signals.language_chosen.receivers, "accounts saves the chosen language"


def test_answers_keeps_the_receivers_answers_in_order_and_drops_none():
    asked = Namespace().signal("test-question")
    seen = []

    def first(sender, **kwargs):
        seen.append((sender, kwargs))
        return Section("a.html", {"n": 1})

    def silent(sender, **kwargs):
        return None

    def second(sender, **kwargs):
        return Section("b.html")

    for receiver in (first, silent, second):
        asked.connect(receiver)
    assert [s.template for s in signals.answers(asked, "sender", viewer="me")] == ["a.html", "b.html"]
    assert seen == [("sender", {"viewer": "me"})]
