"""Certificates that look like the city's (issue 17 item 3): signer, place-and-date line, logo, number, QR, A4
landscape, and the organizer's preview. The PDF is read back with pypdf; the QR code is decoded with zxing-cpp."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import zxingcpp
from flask_babel import force_locale
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from portal.core.permissions import PermissionDenied, Role
from portal.core.timezone import to_local
from portal.extensions import db
from portal.workshops import services
from portal.workshops.certificate_pdf import BOTTOM_TOP, MARGIN, PAGE_H, PAGE_W, Place, certificate_pdf
from portal.workshops.models import CertificateProfile, Registration
from portal.workshops.services import CertificateData, Signer, SignerInput, WorkshopError
from portal.workshops.services.certificates import SAMPLE_NAME
from tests.conftest import login, make_nip
from tests.workshops.conftest import workshop_input

MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember"]  # fmt: skip
MM = 72 / 25.4  # points per millimetre


def _png(size: tuple[int, int] = (120, 80), colour: tuple[int, int, int] = (20, 83, 45)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def _upload(data: bytes, name: str = "logo.png") -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=name)


def _text(pdf: bytes) -> str:
    return " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())


def _images(pdf: bytes) -> list[Image.Image]:
    return [image.image for image in PdfReader(io.BytesIO(pdf)).pages[0].images]


def _qr_texts(pdf: bytes) -> list[str]:
    return [result.text for image in _images(pdf) for result in zxingcpp.read_barcodes(image.convert("L"))]


def _indonesian_date(moment: datetime) -> str:
    day = to_local(moment).date()
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN, name="Admin BKPSDM")


@pytest.fixture
def finished(app, make_workshop, make_user, organizer, unit, clock):
    """A workshop of ``unit`` that started ten minutes ago, one participant checked in, the clock after its end."""
    participant = make_user(name="Rosna Dewi Kartika, S.E., M.Si.")
    start = datetime.now(UTC) - timedelta(minutes=10)
    sessions = [services.SessionInput(start, start + timedelta(hours=3))]
    workshop = make_workshop(provider_unit_id=unit.id, provider_name="", sessions=sessions)
    services.add_participant(organizer, workshop, participant.nip)
    workshop = services.get(workshop.id)
    services.check_in(participant, workshop.sessions[0].checkin_code)
    clock.now = workshop.ends_at + timedelta(minutes=1)
    client = app.test_client()
    login(client, participant)
    return workshop, participant, client


# ---------------------------------------------------------------- the issued certificate


def test_issued_certificate_shows_every_part_on_a4_landscape(app, finished, admin, unit):
    workshop, participant, client = finished
    signer_nip = make_nip()
    services.save_signer(admin, unit, SignerInput("Drs. Syafrinaldi, M.M.", "Kepala Dinas Kominfo", signer_nip))
    services.upload_logo(admin, unit, _upload(_png()))

    response = client.get(f"/pelatihan/{workshop.id}/sertifikat.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    registration = services.registration_of(participant, workshop.id)
    number = registration.certificate_number
    page = PdfReader(io.BytesIO(response.data)).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (842, 595)
    text = _text(response.data)
    verify_url = f"http://localhost/sertifikat/{number}"
    for part in (
        "SERTIFIKAT",
        "PEMERINTAH KOTA SAWAHLUNTO",
        "DINAS KOMUNIKASI DAN INFORMATIKA",  # the organizer unit under the city's name
        participant.name,
        f"NIP {participant.nip}",
        f"{workshop.jp} JP",
        workshop.title,
        f"Sawahlunto, {_indonesian_date(registration.completed_at)}",
        "Drs. Syafrinaldi, M.M.",
        "Kepala Dinas Kominfo",
        f"NIP {signer_nip}",
        f"Nomor: {number}",
        verify_url,
    ):
        assert part in text, part
    assert "CONTOH" not in text
    assert len(_images(response.data)) == 2  # the logo and the QR code
    assert _qr_texts(response.data) == [verify_url]


def test_the_place_and_date_line_uses_the_city_zone_and_indonesian_months(app):
    late_evening = datetime(2026, 12, 6, 18, 30, tzinfo=UTC)  # 7 December 01.30 in Sawahlunto
    data = _data(issued_on=to_local(late_evening).date(), jp=16)
    assert "Sawahlunto, 7 Desember 2026" in _text(_render(data))


def test_an_english_reader_gets_english_month_names(app):
    with force_locale("en"):
        pdf = certificate_pdf(_data(), Place("Pemerintah Kota Sawahlunto", "Sawahlunto"), "https://x.test/s")
    assert "Sawahlunto, 7 December 2026" in _text(pdf) and "CERTIFICATE" in _text(pdf)


def _data(**fields) -> CertificateData:
    values = {
        "number": "PKA-2026-0012-1A2B3C4D",
        "name": "Rosna Dewi Kartika",
        "nip": "198805172019032001",
        "workshop_title": "Pelatihan Pelayanan Prima",
        "start_date": datetime(2026, 12, 3).date(),
        "end_date": datetime(2026, 12, 4).date(),
        "jp": 16,
        "competencies": ["M.05 Pelayanan Publik"],
        "provider": "BKPSDM",
        "development_type": "KL03 Pelatihan teknis",
        "issued_on": datetime(2026, 12, 7).date(),
        "signer": Signer(
            "Drs. Syafrinaldi, M.M.", "Kepala Badan Kepegawaian dan Pengembangan SDM", "197003121995031002"
        ),
        "unit_name": "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
    }
    values.update(fields)
    return CertificateData(**values)


def _render(data: CertificateData, url: str = "https://portal.test/sertifikat/PKA-2026-0012-1A2B3C4D") -> bytes:
    return certificate_pdf(data, Place("Pemerintah Kota Sawahlunto", "Sawahlunto"), url)


def _chunks(pdf: bytes) -> list[tuple[str, float, float, float]]:
    """(text, x, y from the top in mm, font size) of every piece of text on the page."""
    found: list[tuple[str, float, float, float]] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            x, y = tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]
            found.append((text.strip(), x / MM, PAGE_H - y / MM, size))

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return found


def test_a_120_character_name_and_a_200_character_title_wrap_without_overlapping(app):
    name = ("Prof. Dr. Ir. Hj. Rahmawati Syafrudin Nasution Sitompul Harahap Lubis Siregar Batubara " * 2)[:120]
    title = ("Pelatihan Penguatan Kapasitas Aparatur dalam Pelayanan Publik Berbasis Digital dan Inovasi " * 3)[:200]
    assert (len(name), len(title)) == (120, 200)
    pdf = _render(_data(name=name.strip(), workshop_title=title.strip()))
    text = _text(pdf)
    assert name.strip() in text and title.strip() in text  # every word is there, wrapped
    chunks = _chunks(pdf)
    for content, x, y, _size in chunks:
        assert MARGIN - 1 <= x <= PAGE_W - MARGIN and 11.5 < y < PAGE_H - 11.5, content
    name_rows = [c for c in chunks if c[0] and c[0] in name]
    title_rows = [c for c in chunks if c[0] and c[0] in title]
    nip_row = next(c for c in chunks if c[0].startswith("NIP 1988"))
    assert 1 <= len(name_rows) <= 2 and 1 <= len(title_rows) <= 2
    assert all(row[3] >= 13 for row in name_rows) and all(row[3] >= 11 for row in title_rows)  # shrunk, legible
    assert max(row[2] for row in name_rows) < nip_row[2] < min(row[2] for row in title_rows)
    middle_bottom = max(c[2] for c in chunks if c[0].startswith("Kompetensi") or c[0].startswith("Penyelenggara"))
    assert middle_bottom < BOTTOM_TOP  # the QR code and the signer block start below the middle text


def test_without_any_profile_there_is_no_signer_and_no_logo_but_the_certificate_still_renders(app, make_workshop):
    workshop = make_workshop()
    look = services.certificate_look(workshop)
    assert look.signer is None and look.logo_path is None
    pdf = _render(_data(signer=None, logo_path=None))
    assert len(_images(pdf)) == 1  # only the QR code: never a broken image
    assert "Sawahlunto, 7 Desember 2026" in _text(pdf)


def test_signer_comes_from_the_workshop_then_its_unit_then_the_city(app, make_workshop, admin, unit, make_unit):
    other = make_unit("Dinas Pendidikan")
    services.save_signer(admin, None, SignerInput("Deri Asta, S.H.", "Wali Kota Sawahlunto", ""))
    services.upload_logo(admin, None, _upload(_png(colour=(200, 0, 0))))
    services.save_signer(admin, unit, SignerInput("Kepala Kominfo", "Kepala Dinas", make_nip()))
    own_unit = make_workshop(provider_unit_id=unit.id, provider_name="")
    other_unit = make_workshop(provider_unit_id=other.id, provider_name="")
    assert services.certificate_look(own_unit).signer.name == "Kepala Kominfo"
    city = services.certificate_look(other_unit)
    assert city.signer == Signer("Deri Asta, S.H.", "Wali Kota Sawahlunto", "")  # the mayor: no NIP
    assert city.logo_path is not None and city.logo_path.is_file()  # the unit has none: the city's
    services.upload_logo(admin, unit, _upload(_png(colour=(0, 0, 200))))
    assert services.certificate_look(own_unit).logo_path != city.logo_path

    override = make_workshop(
        provider_unit_id=unit.id, provider_name="", signer=SignerInput("Narasumber Tamu", "Ketua Panitia", "")
    )
    assert services.certificate_look(override).signer == Signer("Narasumber Tamu", "Ketua Panitia", "")


@pytest.mark.parametrize(
    ("signer", "field", "message"),
    [
        (SignerInput("Budi", "Kepala", "12345"), "signer_nip", "NIP harus 18 digit"),
        (SignerInput("Budi", "Kepala", "19880517201903100A"), "signer_nip", "hanya boleh berisi angka"),
        (SignerInput("Budi", "", ""), "signer_position", "Isi jabatan"),
        (SignerInput("", "Kepala", ""), "signer_name", "Isi nama"),
        (SignerInput("B" * 121, "Kepala", ""), "signer_name", "maksimal 120"),
    ],
)
def test_a_bad_workshop_signer_is_refused_and_nothing_changes(make_workshop, organizer, signer, field, message):
    workshop = make_workshop()
    with pytest.raises(WorkshopError, match=message) as refused:
        services.update(organizer, workshop, workshop_input(signer=signer))
    assert refused.value.field == field
    db.session.rollback()
    assert services.get(workshop.id).signer_name == ""


# ---------------------------------------------------------------- the organizer's preview


def test_the_preview_is_watermarked_issues_no_number_and_stores_nothing(app, make_workshop, organizer, admin, unit):
    services.save_signer(admin, unit, SignerInput("Drs. Syafrinaldi, M.M.", "Kepala Dinas Kominfo", make_nip()))
    services.upload_logo(admin, unit, _upload(_png()))
    workshop = make_workshop(provider_unit_id=unit.id, provider_name="")
    client = app.test_client()
    login(client, organizer)
    response = client.get(f"/pelatihan/{workshop.id}/sertifikat-contoh.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = _text(response.data)
    assert "CONTOH / PRATINJAU" in text and SAMPLE_NAME in text
    assert "Drs. Syafrinaldi, M.M." in text and "Kepala Dinas Kominfo" in text
    assert len(_images(response.data)) == 2
    number = re.search(r"Nomor: (\S+)", text).group(1)
    assert number.endswith("-CONTOH") and services.verify_certificate(number) is None
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 0
    assert "Pratinjau sertifikat" in client.get(f"/pelatihan/{workshop.id}/peserta").get_data(as_text=True)


def test_only_the_workshops_organizer_and_admins_may_preview(app, make_workshop, make_user, make_unit, login_as):
    workshop = make_workshop()
    url = f"/pelatihan/{workshop.id}/sertifikat-contoh.pdf"
    assert login_as(Role.MEMBER).get(url).status_code == 403
    other_unit = make_unit("Dinas Kesehatan")
    assert login_as(Role.ORGANIZER, unit_id=other_unit.id).get(url).status_code == 403
    assert login_as(Role.ADMIN).get(url).status_code == 200
    assert app.test_client().get(url).status_code == 302  # to sign-in
    with pytest.raises(PermissionDenied):
        services.certificate_preview(make_user(Role.ORGANIZER), workshop)


# ---------------------------------------------------------------- the admin's unit page


def _profile(unit_id: int | None) -> CertificateProfile | None:
    db.session.commit()
    scope = f"unit-{unit_id}" if unit_id else "city"
    return db.session.scalar(select(CertificateProfile).where(CertificateProfile.scope == scope))


def test_admin_sets_the_units_signer_and_logo_on_the_unit_page(admin_client, unit, app):
    page = admin_client.get(f"/admin/unit/{unit.id}/ubah").get_data(as_text=True)
    assert "Sertifikat pelatihan" in page and "Belum ada logo." in page
    nip = make_nip()
    response = admin_client.post(
        f"/admin/unit/{unit.id}/sertifikat/penanda-tangan",
        data={"signer_name": "Drs. Syafrinaldi", "signer_position": "Kepala Dinas", "signer_nip": nip},
    )
    assert response.status_code == 302
    assert (_profile(unit.id).signer_name, _profile(unit.id).signer_nip) == ("Drs. Syafrinaldi", nip)
    response = admin_client.post(
        f"/admin/unit/{unit.id}/sertifikat/logo",
        data={"logo": (io.BytesIO(_png()), "logo.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    logo = admin_client.get(f"/admin/unit/{unit.id}/sertifikat/logo")
    assert logo.status_code == 200 and logo.mimetype == "image/png" and logo.data == _png()
    logo.close()
    assert "Logo sertifikat saat ini" in admin_client.get(f"/admin/unit/{unit.id}/ubah").get_data(as_text=True)
    stored = Path(app.config["UPLOAD_DIR"]) / "certificate-logos" / _profile(unit.id).logo_stored
    assert stored.is_file()
    assert admin_client.post(f"/admin/unit/{unit.id}/sertifikat/logo/hapus").status_code == 302
    assert _profile(unit.id).logo_stored == "" and not stored.exists()


def test_admin_sets_the_city_default(admin_client):
    assert "bawaan Pemerintah Kota" in admin_client.get("/admin/unit/kota/sertifikat").get_data(as_text=True)
    response = admin_client.post(
        "/admin/unit/kota/sertifikat/penanda-tangan",
        data={"signer_name": "Deri Asta, S.H.", "signer_position": "Wali Kota Sawahlunto", "signer_nip": ""},
    )
    assert response.status_code == 302 and response.location.endswith("/admin/unit/kota/sertifikat")
    assert _profile(None).signer_position == "Wali Kota Sawahlunto"


def test_a_bad_nip_is_refused_with_a_message_and_nothing_changes(admin_client, admin, unit):
    services.save_signer(admin, unit, SignerInput("Lama", "Kepala Dinas", ""))
    response = admin_client.post(
        f"/admin/unit/{unit.id}/sertifikat/penanda-tangan",
        data={"signer_name": "Baru", "signer_position": "Kepala Dinas", "signer_nip": "1988051720190310"},
    )
    assert response.status_code == 200
    assert "NIP penanda tangan: NIP harus 18 digit (Anda memasukkan 16 digit)." in response.get_data(as_text=True)
    assert _profile(unit.id).signer_name == "Lama"


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"%PDF-1.4 not an image at all", "logo.png", "Jenis berkas tidak diizinkan"),
        (b"just some text pretending", "logo.jpg", "Jenis berkas tidak diizinkan"),
        (_png()[:60], "logo.png", "Logo rusak atau tidak dapat dibaca"),  # a PNG header, the rest cut off
        (_png((5000, 10)), "wide.png", "Logo paling besar 4000 x 4000 piksel"),
    ],
)
def test_a_logo_that_is_not_a_usable_image_is_refused_and_nothing_changes(admin_client, unit, app, content, name,
                                                                          message):  # fmt: skip
    folder = Path(app.config["UPLOAD_DIR"]) / "certificate-logos"
    before = set(folder.iterdir()) if folder.exists() else set()
    response = admin_client.post(
        f"/admin/unit/{unit.id}/sertifikat/logo",
        data={"logo": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert _profile(unit.id) is None
    assert (set(folder.iterdir()) if folder.exists() else set()) == before  # no file left behind


def test_a_logo_over_one_megabyte_is_refused(admin, unit):
    big = io.BytesIO()
    Image.frombytes("RGB", (800, 800), bytes(range(256)) * 7500).save(big, format="PNG", compress_level=0)
    assert big.getbuffer().nbytes > 1024 * 1024
    with pytest.raises(WorkshopError, match="melebihi batas 1 MB"):
        services.upload_logo(admin, unit, _upload(big.getvalue()))
    assert _profile(unit.id) is None


@pytest.mark.parametrize("role", [Role.MEMBER, Role.ORGANIZER, Role.MODERATOR])
def test_only_admins_edit_signers_and_logos(login_as, unit, role):
    client = login_as(role)
    data = {"signer_name": "Budi", "signer_position": "Kepala", "signer_nip": ""}
    assert client.post(f"/admin/unit/{unit.id}/sertifikat/penanda-tangan", data=data).status_code == 403
    assert client.post("/admin/unit/kota/sertifikat/penanda-tangan", data=data).status_code == 403
    upload = {"logo": (io.BytesIO(_png()), "logo.png")}
    response = client.post(f"/admin/unit/{unit.id}/sertifikat/logo", data=upload, content_type="multipart/form-data")
    assert response.status_code == 403
    assert client.get("/admin/unit/kota/sertifikat").status_code == 403
    assert _profile(unit.id) is None and _profile(None) is None
    with pytest.raises(PermissionDenied):
        services.save_signer(client.user, unit, SignerInput("Budi", "Kepala", ""))


def test_the_workshop_form_offers_the_signer_override(app, make_workshop, organizer):
    workshop = make_workshop()
    client = app.test_client()
    login(client, organizer)
    page = client.get(f"/pelatihan/{workshop.id}/ubah").get_data(as_text=True)
    assert "Penanda tangan sertifikat" in page and 'name="signer_nip"' in page
