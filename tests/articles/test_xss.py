"""Every XSS payload through title, summary, body, tags and comments comes out harmless on the rendered pages."""

from __future__ import annotations

import lxml.html
import pytest

from portal.articles import services
from portal.articles.services import ArticleError, ArticleInput
from portal.core.permissions import Role
from tests.security.xss_corpus import XSS_VECTORS, assert_no_xss

# Page regions that hold user-written text (the rest of the page has the portal's own forms and scripts).
USER_TEXT_REGIONS = (
    "//title | //h1 | //ol[contains(@class, 'breadcrumb')] | //p[contains(@class, 'lead')]"
    " | //div[contains(@class, 'article-body')] | //div[contains(@class, 'comment-body')] | //article"
    " | //section[@aria-labelledby='topics-heading'] | //section[@aria-labelledby='related-heading'] | //table"
)


def _assert_regions_safe(page: str) -> None:
    tree = lxml.html.fromstring(page)
    regions = tree.xpath(USER_TEXT_REGIONS)
    assert regions
    for region in regions:
        if region.tag == "article":  # the article page's <article> holds the comment forms; check its cards only
            for card in region.xpath(".//div[contains(@class, 'card-body')] | .//header"):
                assert_no_xss(lxml.html.tostring(card, encoding="unicode"))
            continue
        assert_no_xss(lxml.html.tostring(region, encoding="unicode"))


@pytest.mark.parametrize("payload", XSS_VECTORS)
def test_article_fields_and_comments_render_safely(catalogue, login_as, payload):
    writer = login_as(Role.MEMBER)
    title = ("Judul " + payload)[:200]
    article = services.create(
        writer.user,
        ArticleInput(title=title, summary=payload[:500], body=payload, competency_codes=["M.05"], tags=["aman"]),
    )
    services.publish(writer.user, article)
    reader = login_as(Role.MEMBER)
    services.add_comment(reader.user, article, payload)

    for path in (f"/artikel/{article.id}", "/artikel", "/artikel/tag/aman", f"/artikel/{article.id}/riwayat"):
        response = reader.get(path)
        assert response.status_code == 200
        _assert_regions_safe(response.get_data(as_text=True))
    preview = reader.post("/artikel/pratinjau", data={"body": payload}, headers={"HX-Request": "true"})
    assert_no_xss(preview.get_data(as_text=True))
    feed = reader.get("/artikel/feed.atom").get_data(as_text=True)
    assert "<script" not in feed.lower()


@pytest.mark.parametrize("payload", XSS_VECTORS[:15])
def test_tag_payloads_are_refused_and_echoed_escaped(catalogue, member_client, payload):
    with pytest.raises(ArticleError):
        services.create(member_client.user, ArticleInput(title="Judul artikel aman", tags=[payload]))
    response = member_client.post(
        "/artikel/tulis", data={"title": "Judul artikel aman", "tags": payload, "unit_id": "0", "action": "save"}
    )
    page = response.get_data(as_text=True)
    # refused by the tag rule, or (a line break in a one-line field) by the form layer's control-character check
    assert "tidak valid" in page or "karakter kontrol" in page
    tree = lxml.html.fromstring(page)
    for region in tree.xpath("//div[contains(@class, 'invalid-feedback')]"):
        assert_no_xss(lxml.html.tostring(region, encoding="unicode"))
