"""Journey (issue 13 §7): a writer pastes an image into a new article before ever saving it, keeps typing, drops a
second one at the top of the text and nothing typed is lost; without JavaScript the upload button does the
same through a page load."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.articles.conftest import PNG_BYTES
from tests.e2e.journeys import SHOWCASE_MEMBER, signed_in_page

_PASTE = """([name, bytes]) => {
  const area = document.querySelector("textarea[name=body]");
  const data = new DataTransfer();
  data.items.add(new File([new Uint8Array(bytes)], name, {type: "image/png"}));
  area.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
}"""


def _paste(page, name: str) -> None:
    page.evaluate(_PASTE, [name, list(PNG_BYTES)])


def test_images_are_pasted_into_a_new_article_without_losing_text(new_page, sign_in):
    page = signed_in_page(new_page, sign_in, SHOWCASE_MEMBER)
    page.goto("/artikel/tulis")
    page.get_by_role("textbox", name="Judul").fill("Foto Kegiatan Komunitas Belajar")
    body = page.get_by_role("textbox", name="Isi artikel (Markdown)")
    body.fill("Pembukaan.\nPenutup.")
    body.evaluate("area => area.setSelectionRange(11, 11)")  # after "Pembukaan.\n"
    with page.expect_navigation():
        _paste(page, "pembukaan.png")  # a new article: the draft is saved with the image
    expect(page.get_by_role("heading", level=1)).to_have_text("Ubah artikel")
    body = page.get_by_role("textbox", name="Isi artikel (Markdown)")
    expect(body).to_have_value(
        re.compile(r"^Pembukaan\.\n!\[pembukaan\.png\]\(/lampiran/artikel/\d+/\w+\.png\)\nPenutup\.$")
    )

    page.evaluate("window.__sameDocument = true")
    body.press("Control+End")
    body.press_sequentially(" Terima kasih.", delay=5)  # typed, not saved
    body.evaluate("area => area.setSelectionRange(0, 0)")
    _paste(page, "sampul.png")
    expect(body).to_have_value(re.compile(r"^!\[sampul\.png\]\(/lampiran/artikel/\d+/\w+\.png\)\nPembukaan\."))
    expect(body).to_have_value(re.compile(r"Penutup\. Terima kasih\.$"))
    expect(page.get_by_role("region", name="Lampiran").get_by_role("link", name="sampul.png")).to_be_visible()
    expect(page.get_by_role("region", name="Pratinjau").get_by_role("img", name="sampul.png")).to_be_visible()
    assert page.evaluate("window.__sameDocument") is True, "the upload reloaded the editor"


def test_upload_button_keeps_the_text_without_javascript(new_page, sign_in, tmp_path):
    page = signed_in_page(new_page, sign_in, SHOWCASE_MEMBER, javascript=False)
    page.goto("/artikel/tulis")
    page.get_by_role("textbox", name="Judul").fill("Denah Ruang Belajar Bersama")
    page.get_by_role("textbox", name="Isi artikel (Markdown)").fill("Denahnya seperti ini:")
    image = tmp_path / "denah.png"
    image.write_bytes(PNG_BYTES)
    page.get_by_label("Sisipkan gambar atau berkas").set_input_files(image)
    page.get_by_role("button", name="Unggah dan sisipkan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ubah artikel")
    expect(page.get_by_role("textbox", name="Isi artikel (Markdown)")).to_have_value(
        re.compile(r"^Denahnya seperti ini:\n!\[denah\.png\]\(/lampiran/artikel/\d+/\w+\.png\)$")
    )
