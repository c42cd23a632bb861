"""Journeys (a) and (b): self-registration with a NIP, admin verification, first sign-in and profile edit."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.journeys import follow

PASSWORD = "Songket#Silungkang26"


def _fill_registration(page, *, name: str, nip: str, email: str, position: str) -> None:
    page.goto("/daftar")
    page.get_by_role("textbox", name="Nama lengkap (dengan gelar)", exact=True).fill(name)
    page.get_by_role("textbox", name="NIP / NI PPPK", exact=True).fill(nip)
    page.get_by_role("combobox", name="Status kepegawaian").select_option("PNS")
    page.get_by_role("textbox", name="Email", exact=True).fill(email)
    page.get_by_role("combobox", name="Unit kerja (OPD)").select_option(index=1)
    page.get_by_role("textbox", name="Jabatan", exact=True).fill(position)
    page.get_by_role("textbox", name="Kata sandi", exact=True).fill(PASSWORD)
    page.get_by_role("textbox", name="Ulangi kata sandi", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Daftar", exact=True).click()


def test_bad_nip_shows_message_next_to_field_and_keeps_input(page, snapshot):
    _fill_registration(
        page, name="Dedi Saputra", nip="1991 0707 2019", email="dedi.saputra@sawahluntokota.go.id", position="Pengelola"
    )
    nip_field = page.get_by_role("textbox", name="NIP / NI PPPK", exact=True)
    message = page.locator("#nip-error")
    expect(message).to_have_text("NIP harus 18 digit (Anda memasukkan 12 digit).")
    expect(nip_field).to_have_attribute("aria-invalid", "true")
    expect(nip_field).to_have_attribute("aria-describedby", re.compile(r"\bnip-error\b"))
    field_box, message_box = nip_field.bounding_box(), message.bounding_box()
    assert 0 <= message_box["y"] - (field_box["y"] + field_box["height"]) < 60, "the message sits right under the field"
    expect(nip_field).to_have_value("1991 0707 2019")
    expect(page.get_by_role("textbox", name="Nama lengkap (dengan gelar)", exact=True)).to_have_value("Dedi Saputra")
    expect(page.get_by_role("textbox", name="Email", exact=True)).to_have_value("dedi.saputra@sawahluntokota.go.id")
    expect(page.get_by_role("textbox", name="Jabatan", exact=True)).to_have_value("Pengelola")
    snapshot(page, "register-errors")


def test_new_asn_registers_waits_for_verification_then_edits_profile(new_page, sign_in, demo_admin, snapshot):
    name, nip, email = "Rina Marlina, S.Kom.", "199002152015032004", "rina.marlina@sawahluntokota.go.id"
    asn = new_page()
    _fill_registration(asn, name=name, nip="19900215 201503 2 004", email=email, position="Pranata Komputer")
    expect(asn).to_have_url("/masuk")
    expect(asn.get_by_role("status")).to_contain_text("menunggu verifikasi")
    snapshot(asn, "registered")

    sign_in(asn, nip, PASSWORD)
    expect(asn.get_by_role("alert")).to_contain_text("belum diverifikasi")
    expect(asn).to_have_url("/masuk")

    admin = new_page()
    sign_in(admin, *demo_admin)
    admin.goto("/admin/pengguna")
    admin.get_by_role("searchbox", name="Cari nama, NIP, atau email").fill(nip)
    follow(admin.get_by_role("button", name="Saring"))
    row = admin.get_by_role("row").filter(has_text=nip)
    expect(row).to_contain_text("Menunggu verifikasi")
    snapshot(admin, "admin-users-pending")
    row.get_by_role("button", name=f"Verifikasi {name}").click()
    expect(row.get_by_role("status")).to_contain_text("sudah diverifikasi")
    expect(row).to_contain_text("Aktif")

    sign_in(asn, nip, PASSWORD)
    expect(asn.get_by_role("status")).to_contain_text(f"Selamat datang, {name}")
    asn.goto("/akun/profil")
    position = asn.get_by_role("textbox", name="Jabatan", exact=True)
    expect(position).to_have_value("Pranata Komputer")
    position.fill("Pranata Komputer Ahli Muda")
    asn.get_by_role("button", name="Simpan").click()
    expect(asn.get_by_role("status")).to_contain_text("Profil berhasil disimpan")
    expect(asn.get_by_role("heading", level=1)).to_have_text(name)
    expect(asn.get_by_role("definition").filter(has_text="Pranata Komputer Ahli Muda")).to_be_visible()
    snapshot(asn, "profile-after-edit")
