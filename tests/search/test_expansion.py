"""Document-side thesaurus expansion (issue 14 item 3): a document is found by the words of the thesaurus that
mean what it says, below documents that say those words themselves, and a thesaurus change shows as drift."""

from __future__ import annotations

from portal.search import registry, services
from portal.search.expansion import expansion_text, expansions_of, found_phrases
from portal.search.synonyms import alternatives, broader, equivalents
from tests.search.conftest import search_titles


def test_phrases_are_found_on_stems_and_across_stopwords():
    assert found_phrases("Petugas wajib memakai Alat Pelindung Diri.") == ["alat pelindung diri"]
    assert "berbicara di depan umum" in found_phrases("Latihan berbicara di depan umum tanpa gugup")
    assert found_phrases("Tidak ada istilah tesaurus di sini.") == []


def test_expansion_adds_equivalents_and_broader_terms_up_the_hierarchy_but_not_the_phrase_itself():
    expanded = expansions_of(["sarung tangan"])
    assert expanded[:2] == ["apd", "alat pelindung diri"]
    assert {"k3", "keselamatan kesehatan kerja"} <= set(expanded)
    assert "sarung tangan" not in expanded
    assert equivalents("APD") == ("alat pelindung diri",) and broader("apd") == ("k3",)


def test_expansion_of_a_document_lists_each_expansion_once():
    text = expansion_text("Bukti dukung SKP", "", "Unggah bukti SKP tiap bulan. SKP dinilai atasan.")
    assert text.split().count("penilaian") == 1 and "sasaran kinerja pegawai" in text
    assert expansion_text("Rapat koordinasi", "Agenda bulanan.") == ""


def test_narrow_terms_stay_out_of_the_query_side():
    assert alternatives("apd") == ("alat", "pelindung", "diri")  # equivalents: both sides
    assert "k3" not in alternatives("apd") and alternatives("sarung") == ()  # broader: document side only


def test_a_document_is_found_by_what_it_means_below_one_that_says_it(note_type):
    note_type.add_note("Alat pelindung diri untuk petugas damkar", "Helm dan baju tahan api.", public=True)
    note_type.add_note("Pelatihan keselamatan kerja", "Prosedur keselamatan kerja di kantor.", public=True)
    note_type.add_note("Petugas kebersihan", "Sediakan sarung tangan yang nyaman.", public=True)
    note_type.add_note("Festival budaya", "Tari tradisional.", public=True)
    services.apply_outbox()
    titles = search_titles("keselamatan kerja")
    assert titles[0] == "Pelatihan keselamatan kerja"
    assert set(titles[1:]) == {"Alat pelindung diri untuk petugas damkar", "Petugas kebersihan"}
    # A multi-word phrase is reached by its acronym, which no query-side table could do.
    assert search_titles("apd")[0] == "Alat pelindung diri untuk petugas damkar"


def test_snippets_show_the_document_not_its_expansion(note_type):
    note_type.add_note("Petugas kebersihan", "Sediakan sarung tangan yang nyaman.", public=True)
    services.apply_outbox()
    hit = services.search("keselamatan", services.SearchFilters(), None).hits[0]
    assert "sarung tangan" in str(hit.snippet) and "keselamatan" not in str(hit.snippet).lower()


def test_a_changed_thesaurus_shows_as_stale_documents_until_rebuilt(app, note_type, monkeypatch):
    note = note_type.add_note("Bukti dukung SKP", "Unggah tiap bulan.", public=True)
    services.apply_outbox()
    assert services.check().ok
    monkeypatch.setattr(registry, "thesaurus_digest", lambda: "tesaurus-baru")
    assert services.check().stale == [f"note:{note.id}"]
    runner = app.test_cli_runner()
    assert runner.invoke(args=["search", "rebuild"]).exit_code == 0
    assert services.check().ok


def test_search_page_finds_by_meaning_for_each_role_within_what_they_may_see(client, member_client, note_type):
    note_type.add_note("Alat pelindung diri petugas lapangan", "Helm dan sarung tangan.", public=True)
    note_type.add_note("Sarung tangan untuk petugas arsip", "Hanya untuk anggota portal.")
    services.apply_outbox()
    anonymous = client.get("/cari?q=keselamatan+kerja").get_data(as_text=True)
    member = member_client.get("/cari?q=keselamatan+kerja").get_data(as_text=True)
    assert "Alat pelindung diri petugas lapangan" in anonymous and "petugas arsip" not in anonymous
    assert "Alat pelindung diri petugas lapangan" in member and "Sarung tangan untuk petugas arsip" in member
