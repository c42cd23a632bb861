"""Every XSS payload through thread titles and post bodies (opening, reply, quote, edit history, queue) is harmless."""

from __future__ import annotations

import lxml.html
import pytest

from portal.core.permissions import Role
from portal.forums import services
from tests.security.xss_corpus import XSS_VECTORS, assert_no_xss

# Page regions holding user-written text (the rest of the page has the portal's own forms and scripts).
USER_TEXT_REGIONS = (
    "//title | //h1 | //ol[contains(@class, 'breadcrumb')] | //div[contains(@class, 'forum-post-body')]"
    " | //ul[contains(@class, 'list-group')] | //blockquote | //pre | //div[contains(@class, 'card-header')]"
)


def _assert_regions_safe(page: str) -> None:
    regions = lxml.html.fromstring(page).xpath(USER_TEXT_REGIONS)
    assert regions
    for region in regions:
        assert_no_xss(lxml.html.tostring(region, encoding="unicode"))


@pytest.mark.parametrize("payload", XSS_VECTORS)
def test_post_bodies_and_titles_render_safely(general, login_as, moderator, payload):
    writer = login_as(Role.MEMBER)
    title = ("Topik " + payload)[:200]
    thread = services.create_thread(writer.user, general, title, payload)
    reader = login_as(Role.MEMBER)
    reply = services.reply(reader.user, thread, payload + "\n\n" + services.quote(services.post_by_number(thread, 1)))
    services.edit_post(reader.user, reply, "Diubah: " + payload)
    services.report(writer.user, reply, ("Laporan " + payload)[:500])

    for path in (f"/forum/t/{thread.id}", "/forum/terbaru", "/forum/k/umum", "/forum"):
        response = reader.get(path)
        assert response.status_code == 200
        _assert_regions_safe(response.get_data(as_text=True))
    quoted = reader.get(f"/forum/t/{thread.id}?kutip={reply.id}").get_data(as_text=True)
    _assert_regions_safe(quoted)
    preview = reader.post("/forum/pratinjau", data={"body": payload}, headers={"HX-Request": "true"})
    assert_no_xss(preview.get_data(as_text=True))

    mod = login_as(Role.MODERATOR)
    for path in (f"/forum/pos/{reply.id}/riwayat", "/forum/moderasi"):
        response = mod.get(path)
        assert response.status_code == 200
        _assert_regions_safe(response.get_data(as_text=True))
