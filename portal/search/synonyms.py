"""A small thesaurus of the words ASN type for what the portal's content says otherwise.

Query side only (the index is unchanged): a query word also matches its alternatives, with a lower weight
(:data:`SYNONYM_WEIGHT`), and still counts as one word for coordination. Entries are ASN acronyms spelled out
(SKP, anjab, PBJ, K3, TPP), loanwords and their Indonesian words (password / kata sandi, online / daring,
public speaking / berbicara di depan umum) and everyday words for official ones (telat / terlambat, bolos /
ketidakhadiran). A multi-word alternative matches on any of its words, each with the lower weight.

Keys and alternatives are lower-case, as typed; analysis (stemming) applies to both.
"""

from __future__ import annotations

from functools import cache

SYNONYM_WEIGHT = 0.5

# word -> alternatives. Symmetric pairs are listed once and mirrored below.
_GROUPS: tuple[tuple[str, ...], ...] = (
    ("anjab", "analisis jabatan"),
    ("abk", "analisis beban kerja"),
    ("skp", "sasaran kinerja pegawai"),
    ("pbj", "pengadaan barang jasa"),
    ("k3", "keselamatan kesehatan kerja"),
    ("apd", "alat pelindung diri"),
    ("ikm", "indeks kepuasan masyarakat"),
    ("tpp", "tambahan penghasilan pegawai"),
    ("jp", "jam pelajaran"),
    ("umkm", "usaha mikro"),
    ("cpns", "pegawai baru"),
    ("rka", "rencana kerja anggaran"),
    ("diklat", "pelatihan"),
    ("bimtek", "bimbingan teknis"),
    ("training", "pelatihan"),
    ("password", "kata sandi"),
    ("email", "surel"),
    ("online", "daring"),
    ("e-learning", "daring"),
    ("webinar", "seminar daring"),
    ("e-katalog", "katalog elektronik"),
    ("public speaking", "berbicara di depan umum"),
    ("speaking", "berbicara"),
    ("presentasi", "berbicara"),
    ("vaksinasi", "imunisasi"),
    ("excel", "spreadsheet"),
    ("dashboard", "dasbor"),
    ("mentoring", "pendampingan"),
    ("mentor", "pendamping"),
    ("coaching", "bimbing"),
    ("talenta", "talent"),
    ("pensiun", "purnabakti purnatugas"),
    ("telat", "terlambat keterlambatan"),
    ("bolos", "absen ketidakhadiran"),
    ("presensi", "kehadiran absensi"),
    ("tunjangan", "penghasilan"),
    ("pengaduan", "aduan keluhan"),
    ("jualan", "berjualan pemasaran"),
    ("siber", "phishing"),
    ("parsel", "hadiah"),
    ("rekanan", "penyedia"),
)


def _mirror() -> dict[str, tuple[str, ...]]:
    table: dict[str, list[str]] = {}
    for key, alternative in _GROUPS:
        for word in key.split():
            table.setdefault(word, []).extend(alternative.split())
        if " " not in alternative:
            table.setdefault(alternative, []).extend(key.split())
    return {word: tuple(dict.fromkeys(words)) for word, words in table.items()}


_TABLE = _mirror()


@cache
def alternatives(word: str) -> tuple[str, ...]:
    """Other words that mean what ``word`` means in the portal's content (empty for most words)."""
    lowered = word.lower()
    return tuple(other for other in _TABLE.get(lowered, ()) if other != lowered)
