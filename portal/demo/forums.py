"""Demo forum: the categories, and threads that read like Sawahlunto's ASN talking shop.

Threads load through the forum importer (idempotent by external_id); solutions, likes, pins and the one
reported post go through the forum services and are only added when missing, so re-running changes nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select

from portal.accounts import services as accounts
from portal.demo import people
from portal.demo.context import DemoContext
from portal.extensions import db
from portal.forums import services as forums
from portal.forums.importer import import_thread
from portal.forums.models import ForumCategory, ForumLike, ForumReport, ForumThread, Visibility
from portal.units import services as units

ADMIN = "198503142010011002"
ORGANIZER = "198707222011012004"
MODERATOR = "199103052015031002"
MIRA, HENDRI, DESI = "199402262022212002", "199107142022211004", "198512102010012007"
NOFRIADI, SRI_WAHYUNI, RAHMAWATI = "197809122006041003", "198604172009122001", "199006212014022003"
ZULKIFLI, IKHSAN, PUTRI = "197911032005011002", "199509172021041001", "199608112022032006"
AFRIZAL, RUDI, FITRI, RIKO = "198101262006041004", "198206192008011005", "199011052015032004", "199204012019031007"
LILI, RATNA, YOSERIZAL, SUCI = "199001252015032001", "198602222010012005", "199207092019031002", "199512232021012005"
ERWIN, HENDRA, FADHILAH = "198403112009011007", "198502192010011004", "199212302019031005"
IRWAN, SRI_RAHAYU, GUSNALDI, ELVI = (
    "198405052006121002",
    "198209132008012006",
    "198601012025241003",
    "198205142009022001",
)
SYAFRIL, BOY = "198512042023241008", "198809302014031003"


@dataclass(frozen=True)
class DemoCategory:
    slug: str
    name: str
    description: str
    position: int
    visibility: Visibility = Visibility.EVERYONE
    unit_code: str | None = None
    read_only: bool = False


CATEGORIES: tuple[DemoCategory, ...] = (
    DemoCategory(
        "pengumuman",
        "Pengumuman BKPSDM",
        "Informasi resmi kepegawaian dan pengembangan kompetensi dari BKPSDM Kota Sawahlunto.",
        -10,
        read_only=True,
    ),
    DemoCategory("umum", "Umum", "Tanya jawab dan berbagi pengalaman apa saja seputar pekerjaan ASN.", 0),
    DemoCategory(
        "pelayanan-publik",
        "Pelayanan Publik",
        "MPP, adminduk, perizinan, layanan di kecamatan: cara melayani warga lebih cepat dan ramah.",
        10,
    ),
    DemoCategory("spbe-ti", "SPBE & TI", "Aplikasi, data, email dinas, TTE, dan indikator SPBE di OPD.", 20),
    DemoCategory(
        "kepegawaian-jp",
        "Kepegawaian & JP",
        "SKP, e-Kinerja, SIASN, dan pencatatan 20 JP pengembangan kompetensi.",
        30,
    ),
    DemoCategory(
        "ruang-rsud",
        "Ruang RSUD",
        "Ruang diskusi internal tenaga kesehatan dan staf RSUD Sawahlunto.",
        50,
        Visibility.UNIT,
        "RSUD",
    ),
)


@dataclass(frozen=True)
class DemoThread:
    key: str
    category: str
    author_nip: str
    title: str
    body: str
    created_at: str
    replies: tuple[tuple[str, str, str], ...] = ()  # (author NIP, body, created_at)
    solution: int | None = None  # the post number marked as the solution
    likes: tuple[tuple[int, str], ...] = ()  # (post number, NIP of who liked it)
    pinned: bool = False


THREADS: tuple[DemoThread, ...] = (
    DemoThread(
        "demo-forum-pengumuman-01",
        "pengumuman",
        ORGANIZER,
        "Jadwal Pelatihan Dasar CPNS dan Orientasi PPPK 2026",
        "Pelatihan Dasar CPNS angkatan I dimulai **2 Februari 2026** (blended: 3 minggu daring, 2 minggu "
        "klasikal di Aula BKPSDM). Orientasi PPPK dijadwalkan Maret.\n\n"
        "- Peserta menerima surat tugas melalui kepala OPD masing-masing.\n"
        "- Materi daring dibuka di portal ini seminggu sebelum kelas.\n\n"
        "Pertanyaan teknis silakan di kategori *Kepegawaian & JP*.",
        "2026-01-05T08:00:00",
        pinned=True,
    ),
    DemoThread(
        "demo-forum-pengumuman-02",
        "pengumuman",
        ADMIN,
        "Pemutakhiran riwayat diklat di SIASN paling lambat 31 Januari",
        "Mohon setiap pegawai memeriksa riwayat diklat 2025 di SIASN dan mengunggah sertifikat yang belum "
        "tercatat. Data ini dipakai untuk rekap pemenuhan **20 JP** per pegawai.",
        "2026-01-08T09:30:00",
    ),
    DemoThread(
        "demo-forum-jp-01",
        "kepegawaian-jp",
        HENDRI,
        "Bagaimana mencatat JP dari webinar yang sertifikatnya tidak mencantumkan jam?",
        "Saya ikut webinar Kemendikbud tentang asesmen diagnostik, tapi sertifikatnya hanya mencantumkan "
        "tanggal. Apakah tetap bisa dihitung JP, dan berapa?",
        "2025-10-06T10:15:00",
        replies=(
            (
                ORGANIZER,
                "Bisa, Pak. Seminar/webinar satu hari dihitung **4 JP** (6 JP bila internasional) sesuai pedoman "
                "konversi. Unggah sertifikatnya di Rekam Jejak Belajar, pilih jenis *seminar*, lalu isi jam "
                "sesuai jadwal acara. Verifikator BKPSDM akan mencocokkan dengan undangannya.",
                "2025-10-06T13:40:00",
            ),
            (
                DESI,
                "Terima kasih, Bu Yulia. Saya juga punya tiga webinar serupa, langsung saya unggah.",
                "2025-10-06T15:02:00",
            ),
        ),
        solution=2,
        likes=((2, HENDRI), (2, DESI), (2, MIRA)),
    ),
    DemoThread(
        "demo-forum-jp-02",
        "kepegawaian-jp",
        SRI_WAHYUNI,
        "SKP 2025: contoh rencana hasil kerja untuk JF Perawat Ahli Muda",
        "Rekan-rekan, ada yang punya contoh **rencana hasil kerja** SKP untuk perawat ahli muda? Saya bingung "
        "membedakan hasil kerja utama dan tambahan, terutama untuk tugas sebagai ketua tim PPI.",
        "2025-10-14T08:20:00",
        replies=(
            (
                RAHMAWATI,
                "Di Dinkes kami memakai indikator dari uraian tugas JF: misalnya *persentase asuhan keperawatan "
                "terdokumentasi lengkap*. Tugas ketua tim PPI masuk hasil kerja tambahan.",
                "2025-10-14T09:05:00",
            ),
            (
                ORGANIZER,
                "Betul. Hasil kerja utama mengikuti butir kegiatan JF; tugas tambahan (ketua tim PPI) dicatat "
                "sebagai hasil kerja tambahan dengan ukuran keberhasilan yang jelas, misalnya *laporan audit "
                "kepatuhan cuci tangan tiap bulan*. Contoh lengkap ada di lampiran Permenpan RB 6/2022.",
                "2025-10-14T11:30:00",
            ),
        ),
        solution=3,
        likes=((3, SRI_WAHYUNI), (3, NOFRIADI), (2, SRI_WAHYUNI)),
    ),
    DemoThread(
        "demo-forum-jp-03",
        "kepegawaian-jp",
        AFRIZAL,
        "e-Kinerja tidak bisa menyimpan realisasi bulan Oktober",
        'Setiap klik *Simpan* di realisasi bulanan muncul pesan "gagal menyimpan". Sudah dicoba dua hari. '
        "Ada yang mengalami hal sama?",
        "2025-11-03T14:10:00",
        replies=(
            (
                IKHSAN,
                "Kemarin sempat ada pemeliharaan server e-Kinerja. Coba hapus cache peramban lalu masuk ulang.",
                "2025-11-03T15:00:00",
            ),
            (
                AFRIZAL,
                "Sudah bisa setelah cache dihapus dan memakai Chrome versi terbaru. Terima kasih @ikhsan.maulana!",
                "2025-11-04T08:12:00",
            ),
        ),
        solution=2,
        likes=((2, AFRIZAL), (2, HENDRA)),
    ),
    DemoThread(
        "demo-forum-jp-04",
        "kepegawaian-jp",
        GUSNALDI,
        "Apakah coaching dengan atasan langsung bisa dihitung JP untuk PPPK paruh waktu?",
        "Atasan saya di kantor camat rutin membimbing cara menyusun notula dan surat dinas. Apakah itu bisa "
        "dicatat sebagai coaching dan dihitung JP?",
        "2025-12-01T09:45:00",
    ),
    DemoThread(
        "demo-forum-spbe-01",
        "spbe-ti",
        ERWIN,
        "Format inventaris aplikasi OPD untuk evaluasi SPBE 2025",
        "Bappeda diminta menghimpun inventaris aplikasi dari semua OPD. Apakah Diskominfo sudah punya format "
        "baku? Kolom apa saja yang wajib?",
        "2025-09-22T10:00:00",
        replies=(
            (
                MODERATOR,
                "Sudah ada, Pak. Kolom wajib: nama aplikasi, OPD pemilik proses bisnis, data yang dikelola, "
                "lokasi server, status (aktif/tidak), dan integrasi dengan layanan lain. Format Excel kami kirim "
                "lewat email dinas ke para sekretaris OPD.",
                "2025-09-22T11:20:00",
            ),
            (
                IKHSAN,
                "Tambahan: aplikasi yang sudah mati tetap dicatat dengan status *tidak aktif*, supaya terlacak.",
                "2025-09-22T13:05:00",
            ),
            (ERWIN, "Siap, sudah diterima. Terima kasih.", "2025-09-23T08:00:00"),
        ),
        solution=2,
        likes=((2, ERWIN), (3, ERWIN), (2, HENDRA)),
    ),
    DemoThread(
        "demo-forum-spbe-02",
        "spbe-ti",
        ZULKIFLI,
        "Kotak email dinas penuh: cara mengarsipkan tanpa kehilangan lampiran",
        "Email dinas saya sudah 98% penuh. Banyak lampiran surat yang harus tetap diarsipkan. Bagaimana cara "
        "terbaik memindahkannya?",
        "2025-10-20T09:00:00",
        replies=(
            (
                IKHSAN,
                "Unduh lampiran penting ke folder arsip unit (ikuti pola klasifikasi arsip), lalu hapus email "
                "lama dengan filter *lebih besar dari 5 MB*. Jangan lupa kosongkan folder Sampah.",
                "2025-10-20T10:30:00",
            ),
        ),
        likes=((2, ZULKIFLI),),
    ),
    DemoThread(
        "demo-forum-spbe-03",
        "spbe-ti",
        IRWAN,
        "Tanda tangan elektronik untuk surat keluar kecamatan",
        "Kecamatan Barangin ingin mulai memakai TTE untuk surat keluar. Langkah awalnya apa saja, dan siapa "
        "yang bisa membantu pendaftaran sertifikat elektronik?",
        "2025-11-10T08:30:00",
        replies=(
            (
                LILI,
                "Di Disdukcapil kami sudah memakai TTE sejak 2023. Prosesnya lewat Diskominfo sebagai RA.",
                "2025-11-10T09:15:00",
            ),
            (
                MODERATOR,
                "Benar. Kirim daftar pejabat penanda tangan beserta NIK dan email dinas, nanti tim kami jadwalkan "
                "verifikasi. @ikhsan.maulana bisa bantu pendampingan di lokasi.",
                "2025-11-10T10:40:00",
            ),
        ),
        likes=((3, IRWAN), (2, IRWAN)),
    ),
    DemoThread(
        "demo-forum-layanan-01",
        "pelayanan-publik",
        FADHILAH,
        "Antrean MPP membludak setiap Senin pagi: ada ide mengurainya?",
        "Setiap Senin pukul 08.00-10.00 antrean di Mal Pelayanan Publik bisa 80 orang, sebagian besar untuk "
        "adminduk dan BPJS. Loket lain justru sepi. Ada pengalaman dari OPD lain?",
        "2025-10-27T07:50:00",
        replies=(
            (
                SRI_RAHAYU,
                "Di kecamatan kami buka pendaftaran antrean lewat WhatsApp sehari "
                "sebelumnya. Lumayan menyebar kedatangan warga.",
                "2025-10-27T08:40:00",
            ),
            (
                LILI,
                "Disdukcapil bisa menambah satu petugas di MPP khusus Senin. Nanti saya usulkan ke kepala dinas.",
                "2025-10-27T09:10:00",
            ),
            (
                BOY,
                "Loket perizinan DPMPTSP bersedia membantu menjadi petugas informasi di pintu masuk.",
                "2025-10-27T10:05:00",
            ),
        ),
        likes=((2, FADHILAH), (3, FADHILAH), (4, FADHILAH), (3, IRWAN)),
    ),
    DemoThread(
        "demo-forum-layanan-02",
        "pelayanan-publik",
        LILI,
        "Layanan adminduk jemput bola ke Talawi dan Silungkang",
        "Bulan depan kami menjadwalkan layanan jemput bola perekaman KTP-el untuk lansia di Talawi dan "
        "Silungkang. Mohon bantuan kecamatan menyiapkan tempat dan data warga.",
        "2025-11-17T13:00:00",
        replies=(
            (
                GUSNALDI,
                "Kantor camat Talawi siap, aula bisa dipakai hari Kamis. Data lansia "
                "dari kelurahan sedang kami himpun.",
                "2025-11-17T14:20:00",
            ),
            (IRWAN, "Kalau ada sisa kuota, Barangin juga mau ikut jadwal berikutnya.", "2025-11-18T08:05:00"),
        ),
    ),
    DemoThread(
        "demo-forum-layanan-03",
        "pelayanan-publik",
        SUCI,
        "Menjelaskan tiket terusan Museum Goedang Ransoem ke rombongan sekolah",
        "Sering ada rombongan sekolah yang kaget harus membayar tiket terpisah untuk Lubang Tambang Mbah "
        "Soero. Bagaimana cara menjelaskan sejak awal supaya tidak ada salah paham?",
        "2025-09-29T10:30:00",
        replies=(
            (
                RATNA,
                "Kami sekarang mengirim brosur digital tiket terusan saat rombongan mendaftar, "
                "lengkap dengan rute jalan kaki antar lokasi.",
                "2025-09-29T11:15:00",
            ),
            (
                YOSERIZAL,
                "Ceritakan juga nilai warisan dunia Ombilin: rombongan lebih menghargai tiketnya bila tahu ceritanya.",
                "2025-09-29T13:45:00",
            ),
        ),
        solution=2,
        likes=((2, SUCI), (3, SUCI)),
    ),
    DemoThread(
        "demo-forum-umum-01",
        "umum",
        RATNA,
        "Materi singkat sejarah Ombilin untuk ASN yang menyambut tamu",
        "Banyak rekan dari OPD lain diminta mendampingi tamu kota ke kawasan Warisan Dunia Tambang Batubara "
        "Ombilin. Saya susun ringkasan 10 poin sejarahnya. Ada masukan tambahan?\n\n"
        "1. Batu bara Ombilin ditemukan De Greve tahun 1868.\n"
        "2. Jalur kereta api ke Pelabuhan Emmahaven (Teluk Bayur).\n"
        "3. Museum Goedang Ransoem: dapur umum para pekerja tambang.",
        "2025-08-18T09:00:00",
        replies=(
            (
                SUCI,
                "Tambahkan Museum Kereta Api dan lokomotif Mak Itam, tamu selalu bertanya soal itu.",
                "2025-08-18T10:10:00",
            ),
            (
                YOSERIZAL,
                "Dan penetapan UNESCO tahun **2019**. Poin-poin ini bisa jadi bahan komunitas belajar, dihitung 2 JP.",
                "2025-08-18T11:00:00",
            ),
        ),
        solution=3,
        likes=((1, SUCI), (1, PUTRI), (3, RATNA)),
    ),
    DemoThread(
        "demo-forum-umum-02",
        "umum",
        RIKO,
        "Belajar dari banjir Batang Lunto: catatan posko Desember lalu",
        "Saat Batang Lunto meluap Desember lalu, koordinasi posko sempat tersendat karena data pengungsi "
        "tercatat di tiga tempat. Mari berbagi apa yang bisa diperbaiki sebelum musim hujan berikutnya.",
        "2025-11-24T16:00:00",
        replies=(
            (
                RUDI,
                "Dinas PUPR sedang mendata titik tanggul kritis di Lembah Segar. Hasilnya bisa kami bagikan ke BPBD.",
                "2025-11-24T17:05:00",
            ),
            (
                FITRI,
                "Perlu juga patroli sampah di sungai sebelum hujan lebat: banyak sumbatan di bawah jembatan.",
                "2025-11-25T08:30:00",
            ),
            (
                ELVI,
                "Dinsos siap memakai satu formulir data pengungsi bersama. "
                "@riko.saputra, boleh kita rapatkan minggu ini?",
                "2025-11-25T09:00:00",
            ),
        ),
        likes=((1, RUDI), (4, RIKO), (3, RIKO)),
    ),
    DemoThread(
        "demo-forum-umum-03",
        "umum",
        MIRA,
        "Tips membagi waktu kerja dan belajar mandiri supaya 20 JP tercapai",
        "Sebagai guru PPPK, jam mengajar padat. Bagaimana rekan-rekan menyisihkan waktu belajar mandiri "
        "tanpa mengganggu tugas?",
        "2025-12-08T19:30:00",
        replies=(
            (
                ZULKIFLI,
                "Saya ambil 30 menit setelah apel pagi dua kali seminggu untuk modul "
                "e-learning. Tiga bulan sudah 12 JP.",
                "2025-12-08T20:10:00",
            ),
            (
                ORGANIZER,
                "Komunitas belajar di sekolah juga dihitung 2 JP per pertemuan. Catat notulanya sebagai bukti.",
                "2025-12-09T08:15:00",
            ),
            (
                SYAFRIL,
                "Promo paket data murah khusus ASN, hubungi 0812-xxxx-xxxx sekarang juga!",
                "2025-12-09T09:00:00",
            ),
        ),
        likes=((2, MIRA), (3, MIRA), (3, DESI)),
    ),
    DemoThread(
        "demo-forum-rsud-01",
        "ruang-rsud",
        NOFRIADI,
        "Jadwal in-house training PPI bulan depan",
        "Komite PPI akan mengadakan in-house training kewaspadaan standar untuk perawat baru. Mohon kepala "
        "ruangan mengirim nama peserta paling lambat Jumat.",
        "2025-12-02T07:30:00",
        replies=(
            (
                SRI_WAHYUNI,
                "Ruang rawat inap penyakit dalam mengirim empat orang, daftar menyusul siang ini.",
                "2025-12-02T09:00:00",
            ),
        ),
        likes=((1, SRI_WAHYUNI),),
    ),
)

# The off-topic promotion above waits in the moderation queue.
REPORTS: tuple[tuple[str, int, str, str], ...] = (
    ("demo-forum-umum-03", 4, MIRA, "Promosi jualan, tidak sesuai topik forum."),
)


def _categories(admin) -> int:
    existing = {category.slug for category in db.session.scalars(select(ForumCategory))}
    unit_ids = {unit.code: unit.id for unit in units.list_active()}
    created = 0
    for item in CATEGORIES:
        if item.slug in existing:
            continue
        forums.create_category(
            admin,
            forums.CategoryInput(
                name=item.name,
                slug=item.slug,
                description=item.description,
                position=item.position,
                visibility=item.visibility,
                unit_id=unit_ids.get(item.unit_code or ""),
                is_read_only=item.read_only,
            ),
        )
        created += 1
    return created


def _record(item: DemoThread) -> dict:
    return {
        "type": "thread",
        "external_id": item.key,
        "category": item.category,
        "title": item.title,
        "body": item.body,
        "author_nip": item.author_nip,
        "created_at": item.created_at,
        "replies": [{"author_nip": nip, "body": body, "created_at": at} for nip, body, at in item.replies],
    }


def _thread(key: str) -> ForumThread | None:
    return db.session.scalar(select(ForumThread).where(ForumThread.external_id == key))


def _extras(item: DemoThread, moderator) -> Counter[str]:
    counts: Counter[str] = Counter()
    thread = _thread(item.key)
    if thread is None:
        return counts
    if item.solution and thread.solved_at is None:
        solution = forums.post_by_number(thread, item.solution)
        assert solution is not None  # the demo threads name their own posts
        forums.toggle_solution(thread.author, solution)
        counts["solutions"] += 1
    for number, nip in item.likes:
        user, post = accounts.get_by_nip(nip), forums.post_by_number(thread, number)
        assert user is not None and post is not None  # the demo threads name their own posts and people
        liked = db.session.scalar(
            select(ForumLike.id).where(ForumLike.post_id == post.id, ForumLike.user_id == user.id)
        )
        if not liked and post.author_id != user.id:
            forums.toggle_like(user, post)
            counts["likes"] += 1
    if item.pinned and not thread.is_pinned:
        forums.set_pinned(moderator, thread, True)
    return counts


def _reports() -> int:
    added = 0
    for key, number, nip, reason in REPORTS:
        thread, reporter = _thread(key), accounts.get_by_nip(nip)
        post = forums.post_by_number(thread, number) if thread else None
        if post is None or reporter is None:
            continue
        if not db.session.scalar(select(ForumReport.id).where(ForumReport.post_id == post.id)):
            forums.report(reporter, post, reason)
            added += 1
    return added


def load(_context: DemoContext) -> Mapping[str, int]:
    admin = accounts.get_by_nip(people.demo_admin().nip)
    assert admin is not None  # the people are loaded first
    moderator = accounts.get_by_nip(people.MODERATOR.nip)
    counts: Counter[str] = Counter()
    counts["categories"] = _categories(admin)
    forums.ensure_general_category()
    for item in THREADS:
        with db.session.begin_nested():
            counts[import_thread(_record(item), admin).value] += 1
        db.session.commit()
    for item in THREADS:
        counts.update(_extras(item, moderator))
    counts["reports"] = _reports()
    return counts
