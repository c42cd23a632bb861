"""Demo knowledge articles by demo users across units, with tags, competencies, comments and votes.

Loaded through the article importer (idempotent by external_id), so re-running changes nothing unless the
texts below changed. One article waits for review and one is a draft, so those screens have something to show.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select

from portal.accounts import services as accounts
from portal.articles import services as articles
from portal.articles.importer import import_article
from portal.articles.models import Article, ArticleComment
from portal.demo import people
from portal.demo.context import DemoContext
from portal.extensions import db


@dataclass(frozen=True)
class DemoArticle:
    key: str
    author_nip: str
    title: str
    summary: str
    tags: tuple[str, ...]
    competencies: tuple[str, ...]
    body: str
    created_at: str
    status: str = "published"


def _steps(*lines: str) -> str:
    return "\n".join(f"{n}. {line}" for n, line in enumerate(lines, start=1))


ARTICLES: tuple[DemoArticle, ...] = (
    DemoArticle(
        "demo-mpp-01",
        "199212302019031005",
        "Melatih Petugas Melayani Warga di Mal Pelayanan Publik",
        "Cara MPP Sawahlunto menyiapkan petugas loket baru dalam dua minggu: magang bayangan, naskah sapaan, "
        "dan evaluasi harian.",
        ("pelayanan publik", "mpp", "coaching"),
        ("M.05", "M.03"),
        "## Mengapa perlu pelatihan khusus\n\nPetugas loket di Mal Pelayanan Publik (MPP) melayani warga dari "
        "belasan instansi. Warga datang dengan berkas yang belum lengkap, antrean panjang, dan harapan tinggi.\n\n"
        "## Langkah yang kami jalankan\n\n"
        + _steps(
            "Hari 1-3: petugas baru mendampingi petugas senior (magang bayangan).",
            "Hari 4-7: melayani sendiri dengan pendamping di samping loket.",
            "Minggu kedua: evaluasi harian 15 menit setelah layanan tutup.",
        )
        + "\n\n> Sapa dulu, baru periksa berkas. Warga yang merasa dihargai lebih sabar menunggu.\n\n"
        "Coaching ini dicatat sebagai bimbingan di tempat kerja dan dihitung JP-nya.",
        "2025-08-04T09:00:00",
    ),
    DemoArticle(
        "demo-spbe-01",
        "199509172021041001",
        "Lima Langkah Awal Menerapkan SPBE di OPD",
        "Dari inventaris aplikasi sampai satu data: pengalaman Diskominfo mendampingi OPD memenuhi indikator SPBE.",
        ("spbe", "transformasi digital", "satu data"),
        ("T.SPBE.01", "M.07"),
        "## Mulai dari yang sudah ada\n\nBanyak OPD memiliki aplikasi yang tidak tercatat. Langkah pertama SPBE "
        "adalah **inventaris aplikasi**: nama, pemilik proses bisnis, data yang dikelola, dan server tempatnya "
        "berjalan.\n\n"
        + _steps(
            "Inventaris aplikasi dan layanan.",
            "Petakan proses bisnis yang dilayani.",
            "Tetapkan walidata untuk setiap set data.",
            "Gunakan layanan bersama (email dinas, TTE) sebelum membangun aplikasi baru.",
            "Ukur dengan indikator evaluasi SPBE setiap tahun.",
        ),
        "2025-08-12T10:30:00",
    ),
    DemoArticle(
        "demo-arsip-01",
        "197911032005011002",
        "Menata Arsip Dinamis Aktif di Unit Kerja",
        "Klasifikasi, daftar arsip aktif, dan jadwal retensi: tiga hal yang membuat arsip mudah ditemukan.",
        ("kearsipan", "arsip dinamis"),
        ("T.ARS.01", "M.04"),
        "## Tiga pegangan pengelola arsip\n\n- **Klasifikasi arsip** sesuai pola yang ditetapkan.\n"
        "- **Daftar arsip aktif** yang diperbarui setiap bulan.\n- **Jadwal retensi arsip** untuk memutuskan "
        "kapan arsip dipindahkan ke unit kearsipan.\n\nSimpan berkas per kegiatan, bukan per jenis surat, "
        "agar satu kegiatan dapat ditelusuri lengkap.",
        "2025-07-21T08:15:00",
    ),
    DemoArticle(
        "demo-arsip-02",
        "198808152012122002",
        "Alih Media Arsip: Memindai Tanpa Kehilangan Nilai Bukti",
        "Resolusi, metadata, dan berita acara alih media agar arsip digital tetap sah sebagai bukti.",
        ("kearsipan", "arsip digital"),
        ("T.ARS.01",),
        "## Sebelum memindai\n\nPastikan arsip sudah dinilai dan dicatat di daftar arsip. Alih media tanpa "
        "daftar hanya memindahkan kekacauan ke komputer.\n\n## Saat memindai\n\nGunakan resolusi minimal "
        "300 dpi, simpan dalam PDF/A, dan isi metadata: nomor, tanggal, uraian, dan kode klasifikasi.\n\n"
        "## Sesudahnya\n\nBuat berita acara alih media yang ditandatangani pimpinan unit.",
        "2025-09-02T13:00:00",
    ),
    DemoArticle(
        "demo-pbj-01",
        "198101262006041004",
        "Pengadaan Langsung yang Rapi: Dari HPS sampai Serah Terima",
        "Catatan praktis pejabat pengadaan tentang menyusun HPS, memilih penyedia di katalog, dan dokumen "
        "serah terima.",
        ("pengadaan", "e-katalog", "akuntabilitas"),
        ("T.PBJ.01", "M.01"),
        "## HPS bukan formalitas\n\nHarga perkiraan sendiri (HPS) disusun dari survei harga yang dapat "
        "dipertanggungjawabkan: minimal tiga sumber, dicatat tanggal dan tautannya.\n\n## Utamakan katalog "
        "elektronik\n\nBila barang tersedia di katalog, gunakan katalog. Dokumentasikan alasan bila tidak.\n\n"
        "## Serah terima\n\nPeriksa barang bersama PPK, foto, dan catat nomor seri sebelum menandatangani "
        "berita acara.",
        "2025-07-30T09:45:00",
    ),
    DemoArticle(
        "demo-ombilin-01",
        "198602222010012005",
        "Menjadi Pemandu Cagar Budaya Ombilin yang Bercerita",
        "Teknik bercerita untuk pemandu di Museum Goedang Ransoem dan Lubang Tambang Mbah Soero.",
        ("cagar budaya", "ombilin", "pariwisata"),
        ("T.BUD.01", "SK.01", "M.03"),
        "## Warisan Dunia di halaman kita\n\nSejak 2019, *Ombilin Coal Mining Heritage of Sawahlunto* tercatat "
        "sebagai Warisan Dunia UNESCO. Pengunjung datang bukan hanya untuk melihat bangunan, tetapi untuk "
        "mendengar kisahnya.\n\n## Struktur cerita tiga babak\n\n"
        + _steps(
            "Buka dengan satu tokoh: pekerja tambang, juru masak Goedang Ransoem, atau masinis.",
            "Tunjukkan benda yang menjadi saksi: periuk raksasa, lori, lampu tambang.",
            "Tutup dengan makna hari ini: kota tambang yang menjadi kota wisata budaya.",
        ),
        "2025-08-18T14:00:00",
    ),
    DemoArticle(
        "demo-ombilin-02",
        "199207092019031002",
        "Merawat Koleksi Museum Kereta Api dari Kelembapan",
        "Pemantauan suhu dan kelembapan harian yang murah untuk koleksi logam dan kertas.",
        ("cagar budaya", "museum", "konservasi"),
        ("T.BUD.01",),
        "Koleksi logam seperti lokomotif *Mak Itam* mudah berkarat bila kelembapan di atas 65%. Catat suhu dan "
        "kelembapan dua kali sehari dengan higrometer digital, dan bersihkan debu dengan kuas lembut setiap "
        "minggu.\n\n| Jenis koleksi | Kelembapan ideal |\n|---|---|\n| Logam | 40-55% |\n| Kertas | 45-55% |",
        "2025-09-10T10:00:00",
    ),
    DemoArticle(
        "demo-asn-01",
        "198707222011012004",
        "Memenuhi 20 JP Pengembangan Kompetensi Tanpa Meninggalkan Meja Kerja",
        "Belajar mandiri, komunitas belajar, dan coaching juga dihitung JP: begini cara mencatatnya.",
        ("pengembangan kompetensi", "jp", "belajar mandiri"),
        ("M.06", "T.ASN.01"),
        "Setiap PNS berhak atas paling sedikit **20 JP** pengembangan kompetensi setahun. Tidak semuanya harus "
        "pelatihan klasikal.\n\n- Coaching atau mentoring: 2 JP per sesi.\n- Komunitas belajar: 2 JP per "
        "pertemuan.\n- E-learning: sesuai kurikulum.\n\nSimpan bukti (daftar hadir, sertifikat, catatan) dan "
        "ajukan di Rekam Jejak Belajar portal ini.",
        "2025-07-15T08:00:00",
    ),
    DemoArticle(
        "demo-kes-01",
        "198604172009122001",
        "Komunikasi Empatik di Ruang Gawat Darurat",
        "Kalimat pembuka, menjelaskan triase, dan menghadapi keluarga pasien yang cemas.",
        ("komunikasi", "pelayanan kesehatan"),
        ("T.KES.01", "M.03", "M.05"),
        "## Jelaskan triase sejak awal\n\nKeluarga pasien sering merasa diabaikan karena tidak tahu urutan "
        "penanganan. Jelaskan singkat: pasien dengan kondisi paling gawat ditangani lebih dulu.\n\n## Kalimat "
        'yang membantu\n\n- "Saya perawat Sri, saya yang mendampingi Bapak hari ini."\n- "Dokter sedang '
        'menangani pasien kritis, Ibu akan kami panggil dalam 10 menit."',
        "2025-08-25T11:20:00",
    ),
    DemoArticle(
        "demo-keu-01",
        "198403302008012003",
        "Menyusun Laporan Pertanggungjawaban Bendahara Tepat Waktu",
        "Kalender kerja bulanan bendahara pengeluaran dan kesalahan yang paling sering ditemukan pemeriksa.",
        ("keuangan daerah", "bendahara"),
        ("T.BEN.01", "T.KEU.01", "M.01"),
        "Laporan pertanggungjawaban (LPJ) bendahara pengeluaran paling lambat tanggal 10 bulan berikutnya. "
        "Kesalahan yang sering ditemukan: bukti pajak belum dilampirkan, saldo kas tunai tidak cocok dengan "
        "buku kas umum, dan kuitansi tanpa tanggal.",
        "2025-09-05T15:30:00",
    ),
    DemoArticle(
        "demo-ren-01",
        "199606172020122003",
        "Data untuk Perencanaan: Membaca Indikator Kinerja dengan Benar",
        "Bappeda berbagi cara membedakan indikator output dan outcome dalam dokumen perencanaan OPD.",
        ("perencanaan", "data", "kinerja"),
        ("T.REN.01", "T.DAT.01", "M.04"),
        "Indikator **output** menghitung apa yang dihasilkan (jumlah pelatihan). Indikator **outcome** "
        "mengukur perubahan yang dirasakan (persentase layanan yang selesai tepat waktu). Dokumen perencanaan "
        "yang baik memuat keduanya dan menjelaskan hubungannya.",
        "2025-08-08T09:10:00",
    ),
    DemoArticle(
        "demo-damkar-01",
        "198512042023241008",
        "Sosialisasi Pencegahan Kebakaran di Pasar Tradisional",
        "Materi singkat Satpol PP-Damkar untuk pedagang: instalasi listrik, APAR, dan jalur evakuasi.",
        ("kebakaran", "sosialisasi", "pasar"),
        ("T.TIB.01", "M.03"),
        "Kebakaran pasar paling sering berawal dari sambungan listrik yang ditumpuk. Dalam sosialisasi, "
        "tunjukkan langsung contoh stop kontak yang aman, cara memakai APAR, dan tandai jalur evakuasi bersama "
        "pedagang.",
        "2025-09-12T16:00:00",
    ),
    DemoArticle(
        "demo-pend-01",
        "198512102010012007",
        "Komunitas Belajar Guru: Pertemuan 60 Menit yang Bermakna",
        "Format pertemuan komunitas belajar guru SMP di Sawahlunto yang bisa dicatat sebagai JP.",
        ("komunitas belajar", "pendidikan"),
        ("T.PDK.01", "M.06", "M.02"),
        "Pertemuan 60 menit: 10 menit cerita praktik kelas, 30 menit bedah satu masalah, 20 menit rencana "
        "tindak lanjut. Notulen dan daftar hadir menjadi bukti JP komunitas belajar.",
        "2025-08-29T14:30:00",
    ),
    DemoArticle(
        "demo-izin-01",
        "199212302019031005",
        "Menjawab Pertanyaan Perizinan Berusaha lewat OSS",
        "Daftar pertanyaan yang paling sering diajukan pelaku usaha mikro di loket perizinan MPP.",
        ("perizinan", "oss", "umkm"),
        ("T.IZN.01", "M.05"),
        "Pelaku usaha mikro paling sering bertanya tentang NIB. Siapkan panduan satu halaman: syarat akun OSS, "
        "langkah mengisi data usaha, dan cara mencetak NIB.",
        "2025-09-15T10:00:00",
        status="in_review",
    ),
    DemoArticle(
        "demo-par-01",
        "199207092019031002",
        "Paket Wisata Sehari Sawahlunto untuk Rombongan Sekolah",
        "Rancangan rute Museum Goedang Ransoem, Lubang Tambang Mbah Soero, dan Silungkang.",
        ("pariwisata", "ombilin", "songket"),
        ("T.PAR.01", "T.BUD.01"),
        "Draf rute: pagi di Museum Goedang Ransoem, siang di Lubang Tambang Mbah Soero, sore melihat tenun "
        "songket Silungkang. Masih perlu data kapasitas bus dan harga tiket terbaru.",
        "2025-09-18T09:00:00",
        status="draft",
    ),
)

COMMENTS: tuple[tuple[str, str, str], ...] = (
    ("demo-mpp-01", "198209132008012006", "Kami di kecamatan ingin meniru magang bayangan ini untuk PATEN."),
    ("demo-mpp-01", "198910242015032003", "Naskah sapaannya boleh dibagikan, Pak?"),
    ("demo-spbe-01", "198403112009011007", "Inventaris aplikasi ini membantu sekali untuk penyusunan arsitektur."),
    ("demo-ombilin-01", "199103182019031004", "Cerita juru masak Goedang Ransoem selalu disukai anak-anak."),
    ("demo-asn-01", "199402262022212002", "Baru tahu komunitas belajar juga dihitung JP. Terima kasih!"),
)

VOTES: tuple[tuple[str, str], ...] = (
    ("demo-mpp-01", "198209132008012006"),
    ("demo-mpp-01", "198910242015032003"),
    ("demo-mpp-01", "199509172021041001"),
    ("demo-spbe-01", "198403112009011007"),
    ("demo-spbe-01", "199212302019031005"),
    ("demo-ombilin-01", "199103182019031004"),
    ("demo-asn-01", "199402262022212002"),
    ("demo-arsip-01", "198808152012122002"),
)


def _record(item: DemoArticle) -> dict:
    return {
        "type": "article",
        "external_id": item.key,
        "title": item.title,
        "summary": item.summary,
        "body": item.body,
        "tags": list(item.tags),
        "competencies": list(item.competencies),
        "author_nip": item.author_nip,
        "created_at": item.created_at,
        "status": item.status,
    }


def _article(key: str) -> Article | None:
    return db.session.scalar(select(Article).where(Article.external_id == key))


def _add_comments() -> int:
    added = 0
    for key, nip, body in COMMENTS:
        article, user = _article(key), accounts.get_by_nip(nip)
        if article is None or user is None:
            continue
        exists = db.session.scalar(
            select(ArticleComment.id).where(
                ArticleComment.article_id == article.id, ArticleComment.author_id == user.id
            )
        )
        if not exists:
            articles.add_comment(user, article, body)
            added += 1
    return added


def _add_votes() -> int:
    added = 0
    for key, nip in VOTES:
        article, user = _article(key), accounts.get_by_nip(nip)
        if article is not None and user is not None and not articles.has_voted(user, article):
            articles.toggle_vote(user, article)
            added += 1
    return added


def load(_context: DemoContext) -> Mapping[str, int]:
    admin = accounts.get_by_nip(people.demo_admin().nip)
    assert admin is not None  # the people are loaded first
    counts: Counter[str] = Counter()
    for item in ARTICLES:
        with db.session.begin_nested():
            counts[import_article(_record(item), admin).value] += 1
        db.session.commit()
    counts["comments"] = _add_comments()
    counts["votes"] = _add_votes()
    return counts
