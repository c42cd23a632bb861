"""The Indonesian analyzer: affixed forms meet at one stem, acronyms and numbers survive, stopwords go."""

from __future__ import annotations

import pickle

import pytest

from portal.search.analysis import IndonesianAnalyzer, analyze, stem, word_terms


def stems_of(text: str) -> set[str]:
    return {term for term in analyze(text) if not term.startswith("=")}


@pytest.mark.parametrize(
    ("words", "root"),
    [
        ("pelatihan melatih dilatih latihan", "latih"),
        ("pelayanan layanan melayani", "layan"),
        ("pengembangan dikembangkan", "kembang"),
        ("kepegawaian pegawai", "pegawai"),
        ("kepemimpinan pemimpin", "pimpin"),
        ("penilaian menilai", "nilai"),
    ],
)
def test_word_forms_share_one_stem(words, root):
    for word in words.split():
        assert root in stems_of(word), word


def test_exact_form_is_kept_next_to_the_stem():
    assert analyze("Pelatihan") == ["=pelatihan", "latih"]


def test_acronyms_and_numbers_are_kept_unstemmed():
    terms = analyze("Nilai SKP dan SPBE, minimal 20 JP per tahun")
    assert {"skp", "spbe", "20", "jp"} <= set(terms)  # each its own stem: indexed once, no exact twin


def test_stopwords_are_dropped_but_an_acronym_that_looks_like_one_is_not():
    assert analyze("yang dan di untuk") == []
    assert word_terms("dan") is None
    assert word_terms("SDM") == ("=sdm", ("sdm",))


def test_positions_skip_stopwords_so_phrases_still_match():
    tokens = [(t.text, t.pos) for t in IndonesianAnalyzer()("kinerja dan pegawai", positions=True)]
    assert ("=kinerja", 0) in tokens and ("pegawai", 1) in tokens


def test_reduplication_stems_to_the_single_word():
    assert "buku" in stems_of("buku-buku")


def test_stemming_is_memoized():
    stem.cache_clear()
    stem("pelatihan")
    stem("pelatihan")
    assert stem.cache_info().hits == 1


def test_analyzer_pickles_without_a_stemmer_inside():
    data = pickle.dumps(IndonesianAnalyzer())
    assert b"Sastrawi" not in data
    assert [t.text for t in pickle.loads(data)("melatih")] == ["=melatih", "latih"]  # noqa: S301 - our own bytes
