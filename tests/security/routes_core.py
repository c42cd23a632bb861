"""Authorization rows for the core pages (format: see test_access_matrix.py)."""

EVERYONE_200 = dict.fromkeys(("anonymous", "member", "organizer", "moderator", "admin", "other_unit_member"), 200)

ROUTES = [
    {"endpoint": "core.home", "method": "GET", "path": "/", "expect": EVERYONE_200},
    {"endpoint": "core.health", "method": "GET", "path": "/healthz", "expect": EVERYONE_200},
    {
        "endpoint": "core.set_language",
        "method": "POST",
        "path": "/bahasa",
        "data": {"locale": "id"},
        "expect": dict.fromkeys(EVERYONE_200, "redirect"),
    },
]
