"""Authorization rows for the notification pages (format: see test_access_matrix.py).

Notifications are private: only their recipient (the ``member`` persona) may mark or open one; everyone else
signed in gets 403, whatever their role.
"""

from portal.extensions import db
from portal.notifications.models import Notification

SIGNED_IN = ("member", "organizer", "moderator", "admin", "other_unit_member")


def _outcomes(anonymous, signed_in, **overrides):
    return {"anonymous": anonymous, **dict.fromkeys(SIGNED_IN, signed_in), **overrides}


def _notification(ctx):
    notification = Notification(user_id=ctx.member.id, kind="matrix.test", params={}, url="/")
    db.session.add(notification)
    db.session.commit()
    return {"notification_id": notification.id}


NEEDS = {"notification": _notification}

OWNER_ONLY = _outcomes("login", 403, member="ok")

ROUTES = [
    {"endpoint": "notifications.index", "method": "GET", "path": "/notifikasi/", "expect": _outcomes("login", 200)},
    {
        "endpoint": "notifications.mark_read",
        "method": "POST",
        "path": "/notifikasi/{notification_id}/baca",
        "needs": ["notification"],
        "expect": OWNER_ONLY,
    },
    {
        "endpoint": "notifications.mark_read",
        "method": "POST",
        "path": "/notifikasi/{notification_id}/baca",
        "needs": ["notification"],
        "headers": {"HX-Request": "true"},
        "expect": _outcomes("login", 403, member=200),
    },
    {
        "endpoint": "notifications.open_notification",
        "method": "POST",
        "path": "/notifikasi/{notification_id}/buka",
        "needs": ["notification"],
        "expect": OWNER_ONLY,
    },
    {
        "endpoint": "notifications.mark_all_read",
        "method": "POST",
        "path": "/notifikasi/baca-semua",
        "expect": _outcomes("login", "redirect"),
    },
    {
        "endpoint": "notifications.settings",
        "method": "GET",
        "path": "/notifikasi/pengaturan",
        "expect": _outcomes("login", 200),
    },
    {
        "endpoint": "notifications.settings",
        "method": "POST",
        "path": "/notifikasi/pengaturan",
        "expect": _outcomes("login", "ok"),
    },
]
