"""render_markdown: every XSS vector comes out harmless, and ordinary Markdown still looks right."""

from __future__ import annotations

import pytest
from flask import render_template_string
from markupsafe import Markup

from portal.core.markdown import RENDERER_VERSION, render_markdown, render_plain_excerpt
from tests.security.xss_corpus import XSS_VECTORS, assert_no_xss, url_scheme_is_dangerous


def test_corpus_is_substantial():
    assert len(set(XSS_VECTORS)) >= 45


@pytest.mark.parametrize("payload", XSS_VECTORS)
def test_xss_vector_is_neutralised(payload):
    assert_no_xss(render_markdown(payload))


@pytest.mark.parametrize("payload", XSS_VECTORS)
def test_xss_vector_inside_markdown_context_is_neutralised(payload):
    assert_no_xss(render_markdown(f"## Judul\n\n- butir {payload}\n\n> kutipan {payload}\n"))


@pytest.mark.parametrize(
    "unsafe",
    [
        "<script>alert(1)</script>",
        '<a href="java&#x09;script:alert(1)">x</a>',
        '<p style="color:red">x</p>',
        '<img src="x" onerror="alert(1)">',
        "<svg><circle/></svg>",
    ],
)
def test_checker_catches_unsafe_html(unsafe):
    """The checker itself must fail on what it is meant to catch, or every test above proves nothing."""
    with pytest.raises(AssertionError):
        assert_no_xss(unsafe)


@pytest.mark.parametrize("url", ["java&#x09;script:alert(1)", " JaVaScRiPt:x", "&#106;avascript:x", "\x01data:x"])
def test_checker_sees_through_obfuscated_schemes(url):
    assert url_scheme_is_dangerous(url)


def test_returns_markup():
    assert isinstance(render_markdown("halo"), Markup)
    assert isinstance(RENDERER_VERSION, int)


def test_raw_html_is_shown_as_text_not_markup():
    html = render_markdown("Tulis <b>tebal</b> & <script>x</script>")
    assert "&lt;b&gt;tebal&lt;/b&gt;" in html
    assert "&amp;" in html
    assert "<b>" not in html


def test_emphasis_and_strikethrough():
    html = render_markdown("**tebal** *miring* ~~coret~~")
    assert "<strong>tebal</strong>" in html
    assert "<em>miring</em>" in html
    assert "<s>coret</s>" in html


def test_table_with_alignment_uses_classes_not_styles():
    html = render_markdown("| Nama | JP |\n|:-----|---:|\n| Bimtek | 20 |")
    assert "<table>" in html
    assert '<th class="text-start">Nama</th>' in html
    assert '<td class="text-end">20</td>' in html
    assert "style" not in html


def test_fenced_code_keeps_language_class_and_escapes_content():
    html = render_markdown("```python\nif a < b:\n    pass\n```")
    assert '<pre><code class="language-python">if a &lt; b:' in html


def test_fenced_code_with_odd_info_string_loses_the_class():
    html = render_markdown('```"><x\nkode\n```')
    assert "<pre><code>kode" in html


def test_line_breaks_are_kept():
    assert "baris satu<br>\nbaris dua" in render_markdown("baris satu\nbaris dua")


def test_links_get_rel_nofollow():
    html = render_markdown("[BKPSDM](https://bkpsdm.sawahluntokota.go.id)")
    assert 'href="https://bkpsdm.sawahluntokota.go.id"' in html
    assert 'rel="nofollow noopener noreferrer"' in html


def test_relative_and_mailto_links_are_kept():
    html = render_markdown("[artikel](/artikel/1) dan [surel](mailto:bkpsdm@sawahluntokota.go.id)")
    assert 'href="/artikel/1"' in html
    assert 'href="mailto:bkpsdm@sawahluntokota.go.id"' in html


def test_disallowed_link_scheme_loses_its_href():
    html = render_markdown("[berkas](ftp://example.com/a)")
    assert "ftp:" not in html
    assert "berkas" in html


def test_angle_bracket_autolink_gets_rel():
    html = render_markdown("Lihat <https://sawahluntokota.go.id>.")
    assert '<a href="https://sawahluntokota.go.id" rel="nofollow noopener noreferrer">' in html


def test_bare_url_becomes_a_link_without_trailing_punctuation():
    html = render_markdown("Info di https://sawahluntokota.go.id/pelatihan, silakan cek.")
    assert (
        '<a href="https://sawahluntokota.go.id/pelatihan" rel="nofollow noopener noreferrer">'
        "https://sawahluntokota.go.id/pelatihan</a>, silakan"
    ) in html


def test_bare_url_keeps_balanced_parenthesis():
    html = render_markdown("(lihat https://id.wikipedia.org/wiki/Sawahlunto_(kota))")
    assert 'href="https://id.wikipedia.org/wiki/Sawahlunto_(kota)"' in html
    assert "</a>)" in html


def test_url_inside_code_or_link_is_not_linked_again():
    html = render_markdown("`https://a.example` dan [teks https://b.example](https://c.example)")
    assert "<code>https://a.example</code>" in html
    assert html.count("<a ") == 1


def test_heading_anchors_are_unique_and_prefixed():
    html = render_markdown("# Latar Belakang\n\n## Latar belakang\n\n### Latar-belakang!\n\n## Tujuan Pelatihan")
    assert '<h1 id="h-latar-belakang">' in html
    assert '<h2 id="h-latar-belakang-2">' in html
    assert '<h3 id="h-latar-belakang-3">' in html
    assert '<h2 id="h-tujuan-pelatihan">' in html


def test_heading_without_words_still_gets_an_anchor():
    assert '<h2 id="h-judul">' in render_markdown("## ???")


def test_https_image_is_kept():
    html = render_markdown("![Museum Goedang Ransoem](https://sawahluntokota.go.id/museum.jpg)")
    assert '<img src="https://sawahluntokota.go.id/museum.jpg" alt="Museum Goedang Ransoem">' in html


@pytest.mark.parametrize("src", ["/berkas/abc123.png", "/lampiran/7/foto.jpg"])
def test_upload_image_is_kept(src):
    assert f'<img src="{src}"' in render_markdown(f"![foto]({src})")


@pytest.mark.parametrize(
    "src", ["http://example.com/a.png", "/static/img/logo.svg", "//evil.example/a.png", "data:image/png;base64,iVBOR"]
)
def test_other_images_are_dropped_but_alt_text_stays(src):
    html = render_markdown(f"![Foto kegiatan]({src})")
    assert "<img" not in html
    assert "Foto kegiatan" in html


def test_upload_url_prefixes_come_from_config(app, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_URL_PREFIXES", ["/unggahan/"])
    assert "<img" in render_markdown("![a](/unggahan/a.png)")
    assert "<img" not in render_markdown("![a](/berkas/a.png)")


def test_markdown_filter_in_templates(app):
    with app.test_request_context():
        page = render_template_string("{{ body|markdown }}|{{ body }}", body="**x** <i>")
    assert page == "<p><strong>x</strong> &lt;i&gt;</p>\n|**x** &lt;i&gt;"


def test_empty_text_renders_nothing():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""


def test_plain_excerpt_strips_markup_and_cuts_at_a_word():
    text = "# Judul\n\nPelatihan **kepemimpinan** untuk [pejabat](https://x.example) pengawas di Sawahlunto."
    assert render_plain_excerpt(text, 40) == "Judul Pelatihan kepemimpinan untuk…"


def test_plain_excerpt_keeps_short_text_and_shows_raw_html_as_text():
    assert render_plain_excerpt("Halo <b>semua</b> & selamat") == "Halo <b>semua</b> & selamat"
