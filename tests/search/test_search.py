"""Ranking, query features and permissions of services.search()."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text

from portal.core.permissions import Role
from portal.extensions import db
from portal.search import services
from tests.search.conftest import search_titles


@pytest.fixture
def corpus(note_type):
    add = note_type.add_note
    add("Melatih Petugas Melayani Warga", "Petugas loket dilatih menyapa warga dengan ramah.", public=True)
    add("Kepemimpinan kepala seksi", "Gaya kepemimpinan yang melayani mendorong tim bekerja.", public=True)
    add("Pengisian SKP tahunan", "Cara menyusun SKP dan menilai kinerja pegawai setiap tahun.", public=True)
    add("Rapat koordinasi SPBE", "Agenda rapat membahas arsitektur SPBE kota.", public=True)
    services.apply_outbox()
    return note_type


def test_different_word_forms_find_each_other(corpus):
    # Both words (in other forms) first; a document with one of them ("melayani") follows.
    assert search_titles("pelatihan pelayanan") == ["Melatih Petugas Melayani Warga", "Kepemimpinan kepala seksi"]
    assert "Pengisian SKP tahunan" in search_titles("penilaian kinerja")


def test_exact_form_ranks_above_a_stem_match(note_type):
    note_type.add_note("Catatan A", "Kami melatih petugas.", public=True)
    note_type.add_note("Catatan B", "Program pelatihan petugas.", public=True)
    services.apply_outbox()
    assert search_titles("pelatihan") == ["Catatan B", "Catatan A"]
    assert search_titles("melatih") == ["Catatan A", "Catatan B"]


def test_title_outranks_body_and_body_outranks_replies(note_type):
    note_type.add_note("Tanya jawab", "Diskusi umum.", replies="Menurut saya mentoring penting.", public=True)
    note_type.add_note("Catatan harian", "Hari ini ada mentoring bersama atasan.", public=True)
    note_type.add_note("Mentoring pegawai baru", "Panduan singkat.", public=True)
    services.apply_outbox()
    assert search_titles("mentoring") == ["Mentoring pegawai baru", "Catatan harian", "Tanya jawab"]


def test_any_word_finds_and_more_distinct_words_rank_first(corpus):
    page = services.search("kinerja pegawai melatih", services.SearchFilters(), None)
    assert page.matched_all is False  # no document has all three words
    assert [h.title for h in page.hits] == ["Pengisian SKP tahunan", "Melatih Petugas Melayani Warga"]
    assert page.total == 2
    page = services.search("kinerja pegawai", services.SearchFilters(), None)
    assert page.matched_all and [h.title for h in page.hits] == ["Pengisian SKP tahunan"]
    page = services.search("kinerja SPBE", services.SearchFilters(), None)
    assert not page.matched_all
    assert {h.title for h in page.hits} == {"Pengisian SKP tahunan", "Rapat koordinasi SPBE"}


def test_quoted_phrase_needs_the_words_in_order(corpus):
    assert search_titles('"menilai kinerja"') == ["Pengisian SKP tahunan"]
    assert search_titles('"kinerja menilai"') == []


def test_typo_still_finds_and_suggests_the_right_spelling(corpus):
    page = services.search("kepemimpnan", services.SearchFilters(), None)
    assert [h.title for h in page.hits] == ["Kepemimpinan kepala seksi"]
    assert page.suggestion == "kepemimpinan"


def test_snippet_highlights_matches_and_escapes_stored_text(note_type):
    note_type.add_note("Keamanan", '<script>alert("x")</script> pelatihan keamanan <b>informasi</b>', public=True)
    services.apply_outbox()
    snippet = str(services.search("latihan", services.SearchFilters(), None).hits[0].snippet)
    assert "<mark>pelatihan</mark>" in snippet
    assert "<script" not in snippet and "<b>" not in snippet
    assert "&lt;/script&gt;" in snippet and "&lt;b&gt;informasi" in snippet


def test_filters_and_newest_first(note_type):
    note_type.add_note(
        "Pelatihan lama",
        unit_id=1,
        author_id=7,
        competency_id=3,
        public=True,
        created_at=datetime(2024, 1, 10, tzinfo=UTC),
    )
    note_type.add_note(
        "Pelatihan baru", unit_id=2, author_id=8, public=True, created_at=datetime(2026, 2, 1, tzinfo=UTC)
    )
    services.apply_outbox()
    assert search_titles("pelatihan", unit_id=1) == ["Pelatihan lama"]
    assert search_titles("pelatihan", author_id=8) == ["Pelatihan baru"]
    assert search_titles("pelatihan", competency_id=3) == ["Pelatihan lama"]
    assert search_titles("pelatihan", date_from=date(2025, 1, 1)) == ["Pelatihan baru"]
    assert search_titles("pelatihan", date_to=date(2024, 1, 10)) == ["Pelatihan lama"]
    assert search_titles("pelatihan", sort="newest") == ["Pelatihan baru", "Pelatihan lama"]
    assert search_titles("pelatihan", doc_type="note") and not search_titles("pelatihan", unit_id=99)


def test_pagination_and_counts(note_type):
    for n in range(25):
        note_type.add_note(f"Bimtek {n}", "Bimbingan teknis arsip.", public=True)
    services.apply_outbox()
    first = services.search("bimtek", services.SearchFilters(), None, page=1, per_page=10)
    third = services.search("bimtek", services.SearchFilters(), None, page=3, per_page=10)
    assert first.total == 25 and first.total_exact and first.pages == 3 and len(first.hits) == 10
    assert len(third.hits) == 5
    assert not {h.doc_id for h in first.hits} & {h.doc_id for h in third.hits}
    with pytest.raises(services.SearchError):
        services.search("bimtek", services.SearchFilters(), None, page=4, per_page=10)


@pytest.mark.parametrize("query", ["", "   ", "x" * 201])
def test_bad_queries_are_refused(note_type, query):
    with pytest.raises(services.SearchError):
        services.search(query, services.SearchFilters(), None)


def test_bad_filter_values_are_refused():
    for args in (
        {"type": "nope"},
        {"sort": "popular"},
        {"from": "32/12/2025"},
        {"from": "2025/12/31"},
        {"unit": "abc"},
        {"from": "2026-02-01", "to": "2026-01-01"},
    ):
        with pytest.raises(services.SearchError):
            services.parse_filters(args)


# ---------------------------------------------------------------- permissions


@pytest.fixture
def restricted(note_type, make_unit, make_user):
    own_unit = make_unit("Dinas Kesehatan")
    other_unit = make_unit("Dinas Sosial")
    add = note_type.add_note
    add("Terbuka untuk umum", "rahasia anggaran pelatihan", public=True)
    add("Khusus anggota", "rahasia anggaran pelatihan")
    add("Khusus unit kesehatan", "rahasia anggaran pelatihan vaksinasi", unit_only=True, unit_id=own_unit.id)
    add("Draf penulis", "rahasia anggaran pelatihan", status="draft")
    add("Disembunyikan moderator", "rahasia anggaran pelatihan", status="hidden")
    services.apply_outbox()
    return {
        "anonymous": None,
        "unit_member": make_user(Role.MEMBER, unit_id=own_unit.id),
        "other_member": make_user(Role.MEMBER, unit_id=other_unit.id),
        "other_admin": make_user(Role.ADMIN, unit_id=other_unit.id),
    }


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", {"Terbuka untuk umum"}),
        ("unit_member", {"Terbuka untuk umum", "Khusus anggota", "Khusus unit kesehatan"}),
        ("other_member", {"Terbuka untuk umum", "Khusus anggota"}),
        ("other_admin", {"Terbuka untuk umum", "Khusus anggota"}),
    ],
)
def test_each_user_sees_only_what_they_may_and_counts_agree(restricted, who, expected):
    page = services.search("rahasia anggaran", services.SearchFilters(), restricted[who])
    assert {h.title for h in page.hits} == expected
    assert page.total == len(expected)


def test_suggestions_never_come_from_documents_the_user_cannot_see(restricted):
    for_other = services.search("vaksinsi", services.SearchFilters(), restricted["other_member"])
    assert for_other.suggestion is None and for_other.hits == [] and for_other.total == 0
    for_unit = services.search("vaksinsi", services.SearchFilters(), restricted["unit_member"])
    assert for_unit.suggestion == "vaksinasi"


def test_hits_are_rechecked_against_the_database(restricted, note_type):
    # Hidden in the database but not (yet) in the index: the hit must not show, nor count.
    db.session.execute(text("UPDATE search_test_notes SET status = 'hidden' WHERE title = 'Khusus anggota'"))
    db.session.commit()
    page = services.search("rahasia anggaran", services.SearchFilters(), restricted["other_member"])
    assert {h.title for h in page.hits} == {"Terbuka untuk umum"}
    assert page.total == 1


def test_live_and_page_searches_label_hits_with_their_type(corpus):
    hit = services.search("SPBE", services.SearchFilters(), None).hits[0]
    assert hit.type_label == "Catatan" and hit.url == f"/catatan/{hit.doc_id}"


# ---------------------------------------------------------------- best-match ranking (issue 14 item 2)


def test_both_words_first_then_documents_about_the_same_in_other_words(note_type):
    add = note_type.add_note
    add("Festival budaya kota", "Tari tradisional dan kuliner.", public=True)
    add("Komunitas belajar antar OPD", "Pegawai saling berbagi praktik baik setiap bulan.", public=True)
    add("Membangun budaya belajar", "Pimpinan memberi waktu untuk belajar bersama.", public=True)
    add("Arsip dinamis", "Tidak terkait.", public=True)
    services.apply_outbox()
    page = services.search("budaya belajar", services.SearchFilters(), None)
    assert page.matched_all and page.total == 3  # every document with any of the words is counted
    assert page.hits[0].title == "Membangun budaya belajar"
    assert {hit.title for hit in page.hits[1:]} == {"Festival budaya kota", "Komunitas belajar antar OPD"}


def test_more_distinct_words_beat_one_word_in_the_title(note_type):
    note_type.add_note("Kinerja", "Kinerja kinerja kinerja.", public=True)
    note_type.add_note("Catatan rapat", "Menilai kinerja pegawai secara objektif.", public=True)
    services.apply_outbox()
    assert search_titles("kinerja pegawai") == ["Catatan rapat", "Kinerja"]


def test_words_close_together_rank_above_scattered_ones(note_type):
    filler = " ".join(["laporan"] * 30)
    note_type.add_note("Catatan A", f"Penilaian tahunan. {filler} Kinerja unit.", public=True)
    note_type.add_note("Catatan B", f"Penilaian kinerja tahunan. {filler}", public=True)
    services.apply_outbox()
    assert search_titles("penilaian kinerja") == ["Catatan B", "Catatan A"]


def test_a_quoted_phrase_is_still_required_next_to_loose_words(corpus):
    assert search_titles('"menilai kinerja" SPBE') == ["Pengisian SKP tahunan"]
    assert search_titles('"kinerja menilai" SPBE') == []


def test_acronyms_and_loanwords_find_the_indonesian_words(note_type):
    note_type.add_note("Analisis jabatan perangkat daerah", "Uraian tugas dan syarat jabatan.", public=True)
    note_type.add_note("Kata sandi yang kuat", "Jangan membagikan kata sandi.", public=True)
    services.apply_outbox()
    assert search_titles("anjab") == ["Analisis jabatan perangkat daerah"]
    page = services.search("password", services.SearchFilters(), None)
    assert [hit.title for hit in page.hits] == ["Kata sandi yang kuat"] and page.suggestion is None


def test_newest_first_sorts_every_candidate_by_date(note_type):
    note_type.add_note("Budaya kerja", public=True, created_at=datetime(2024, 1, 1, tzinfo=UTC))
    note_type.add_note("Belajar mandiri", public=True, created_at=datetime(2026, 1, 1, tzinfo=UTC))
    note_type.add_note("Budaya belajar", public=True, created_at=datetime(2025, 1, 1, tzinfo=UTC))
    services.apply_outbox()
    assert search_titles("budaya belajar", sort="newest") == ["Belajar mandiri", "Budaya belajar", "Budaya kerja"]
