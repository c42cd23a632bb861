# ruff: noqa: E501 - one judged document or query per line reads best
"""The judged Indonesian relevance set: portal articles, forum threads and workshops, and queries typed the way
ASN type them (issue 14 item 3).

Documents come in topic groups (ids 11-17: learning culture, 21-26: public service training, ...): each group
says the same thing in other words (affixed forms, synonyms, acronyms spelled out, loanwords vs Indonesian
words) and carries distractors that share surface words with the queries (festival budaya, pemimpin redaksi,
banjir promo, kartu kredit). Queries are short and lowercase, with affixed and reduplicated forms, questions,
acronyms, loanwords and a few typos. Grades: 2 = what the searcher wants, 1 = useful; unlisted = not relevant.

The split is fixed: the queries at even positions tune the ranking (TUNING), those at odd positions are held
out (HELD_OUT) and only reported.
"""

from __future__ import annotations

from typing import NamedTuple


class Doc(NamedTuple):
    doc_type: str  # "article", "thread", "workshop"
    title: str
    summary: str = ""
    body: str = ""
    replies: str = ""


def A(title: str, summary: str, body: str) -> Doc:  # noqa: N802 - short constructors keep the table readable
    """An article: title, summary, body."""
    return Doc("article", title, summary, body)


def T(title: str, body: str, replies: str = "") -> Doc:  # noqa: N802
    """A forum thread: title, opening post, replies separated by " | "."""
    return Doc("thread", title, "", body, " ".join(part.strip() for part in replies.split("|")))


def W(title: str, summary: str, body: str) -> Doc:  # noqa: N802
    """A workshop: title, development type and provider (summary), description."""
    return Doc("workshop", title, summary, body)


DOCUMENTS: dict[int, Doc] = {
    # 1x: learning culture (budaya belajar) — in other words, and distractors on "budaya" (tourism/culture)
    11: A(
        "Membangun Budaya Belajar di Perangkat Daerah",
        "Budaya belajar tumbuh bila pimpinan memberi waktu dan contoh.",
        "Kepala OPD menyediakan satu jam setiap Jumat untuk belajar bersama. Pegawai yang baru ikut pelatihan membagikan materinya kepada rekan satu bidang.",
    ),
    12: T(
        "Komunitas belajar di kantor kami, ada yang punya pengalaman?",
        "Kami ingin membentuk komunitas belajar lintas bidang supaya pegawai saling berbagi ilmu.",
        "Di Dinas Kesehatan ada forum berbagi praktik baik tiap bulan. | Mulai kecil saja, lima orang sudah cukup, yang penting rutin.",
    ),
    13: W(
        "Lokakarya Berbagi Praktik Baik Antar OPD",
        "Workshop · BKPSDM",
        "Setiap OPD menampilkan satu praktik baik pelayanan dan mendiskusikan cara menirunya. Peserta saling belajar dari pengalaman unit lain.",
    ),
    14: A(
        "Knowledge Sharing: Pegawai Mengajar Pegawai",
        "Berbagi pengetahuan membuat organisasi pembelajar.",
        "Pegawai yang menguasai suatu keahlian mengajar rekannya dalam sesi singkat. Organisasi pembelajar mencatat pengetahuan agar tidak hilang saat pegawai pindah.",
    ),
    15: A(
        "Festival Budaya Kota Sawahlunto",
        "Agenda budaya tahunan untuk wisatawan.",
        "Festival menampilkan tari tradisional, randai, dan kuliner khas. Dinas Pariwisata mengundang sanggar budaya dari setiap kecamatan.",
    ),
    16: T(
        "Budaya kerja BerAKHLAK itu apa saja?",
        "Mohon penjelasan core values ASN.",
        "Berorientasi pelayanan, akuntabel, kompeten, harmonis, loyal, adaptif, kolaboratif.",
    ),
    # 2x: public service training (pelatihan pelayanan)
    21: W(
        "Pelatihan Pelayanan Prima untuk Petugas Loket",
        "Pelatihan Klasikal · BKPSDM",
        "Petugas loket dilatih menyapa warga, menjelaskan persyaratan, dan menangani keluhan dengan sabar.",
    ),
    22: A(
        "Melatih Petugas Melayani Warga dengan Ramah",
        "Petugas garis depan menentukan kesan warga.",
        "Cara melatih petugas front office: bermain peran, umpan balik dari atasan, dan survei singkat setelah layanan.",
    ),
    23: W(
        "Bimtek Standar Pelayanan Publik",
        "Bimbingan Teknis · Bagian Organisasi",
        "Menyusun standar pelayanan, maklumat pelayanan, dan alur layanan sesuai Permenpan RB.",
    ),
    24: T(
        "Cara menghadapi warga yang marah di loket?",
        "Sering ada warga emosi karena antrean panjang.",
        "Dengarkan dulu, jangan dipotong. | Kami dapat materi ini di pelatihan pelayanan prima tahun lalu, sangat membantu.",
    ),
    25: A(
        "Pelatihan Kebencanaan untuk Relawan",
        "BPBD melatih relawan kelurahan.",
        "Relawan dilatih evakuasi warga, dapur umum, dan posko pengungsian saat banjir.",
    ),
    # 3x: performance appraisal (penilaian kinerja, SKP)
    31: A(
        "Cara Menilai Kinerja Pegawai secara Objektif",
        "Penilaian berdasarkan bukti, bukan kesan.",
        "Atasan menilai capaian SKP setiap pegawai berdasarkan bukti dukung. Penilaian dilakukan tiap triwulan dan dibahas dalam dialog kinerja.",
    ),
    32: A(
        "Panduan Mengisi SKP di e-Kinerja BKN",
        "Langkah demi langkah menyusun sasaran kinerja.",
        "Isi rencana hasil kerja, indikator, dan target, lalu unggah bukti dukung ke aplikasi e-Kinerja.",
    ),
    33: T(
        "Predikat kinerja saya 'butuh perbaikan', apa dampaknya?",
        "Baru keluar hasil evaluasi kinerja tahunan.",
        "Berpengaruh ke TPP dan kenaikan pangkat. | Minta dialog kinerja dengan atasan untuk rencana perbaikan.",
    ),
    34: W(
        "Workshop Penyusunan Sasaran Kinerja Pegawai",
        "Workshop · BKPSDM",
        "Peserta menyusun SKP dengan indikator yang terukur dan selaras dengan kinerja unit.",
    ),
    35: A(
        "Kinerja Keuangan Daerah Tahun Lalu",
        "Laporan realisasi pendapatan dan belanja.",
        "Realisasi pendapatan asli daerah mencapai target. Belanja modal terserap 87 persen.",
    ),
    # 4x: leadership (kepemimpinan)
    41: A(
        "Kepemimpinan Kepala Seksi di Kecamatan",
        "Memimpin tim kecil dengan contoh.",
        "Pemimpin yang baik membagi tugas dengan jelas, mendengarkan staf, dan memberi contoh. Gaya kepemimpinan melayani cocok untuk kantor kecamatan.",
    ),
    42: W(
        "Pelatihan Kepemimpinan Pengawas (PKP)",
        "Pelatihan Klasikal · BPSDM Sumbar",
        "Membekali pejabat pengawas memimpin tim, mengelola kinerja, dan merancang proyek perubahan.",
    ),
    43: W(
        "Pelatihan Kepemimpinan Administrator (PKA)",
        "Pelatihan Klasikal · BPSDM Sumbar",
        "Pejabat administrator mengembangkan kepemimpinan kinerja melalui aksi perubahan di unit kerjanya.",
    ),
    44: T(
        "Tips memimpin rapat staf yang lebih tua",
        "Saya kasi baru, stafnya senior semua.",
        "Hormati pengalaman mereka, minta pendapat sebelum memutuskan. | Pimpin dengan teladan, bukan perintah.",
    ),
    45: A(
        "Pemimpin Redaksi Buletin Kota Berganti",
        "Susunan redaksi buletin pemerintah kota.",
        "Buletin bulanan kini dikelola Diskominfo dengan pemimpin redaksi baru.",
    ),
    # 5x: competency development 20 JP, self-learning, e-learning
    51: A(
        "Pengembangan Kompetensi 20 JP per Tahun",
        "Hak dan kewajiban setiap PNS.",
        "Setiap PNS wajib mengikuti pengembangan kompetensi paling sedikit 20 jam pelajaran setahun melalui pelatihan, seminar, atau belajar mandiri.",
    ),
    52: A(
        "Belajar Mandiri lewat E-Learning ASN Unggul",
        "Kursus daring gratis yang diakui.",
        "Pegawai dapat belajar mandiri melalui platform e-learning dan mencatat jam pelajaran sebagai pengembangan kompetensi.",
    ),
    53: T(
        "Webinar dihitung berapa JP?",
        "Saya ikut webinar tiga jam, bisa diakui untuk target JP?",
        "Bisa, unggah sertifikatnya di menu rekam belajar. | Biasanya satu jam pelajaran 45 menit.",
    ),
    54: W(
        "Kursus Daring Literasi Digital ASN",
        "E-learning · Diskominfo",
        "Kelas daring mandiri tentang literasi digital; peserta memperoleh 10 JP setelah lulus kuis.",
    ),
    55: A(
        "Kompetensi Teknis Operator Alat Berat",
        "Sertifikasi operator Dinas PUPR.",
        "Operator ekskavator wajib memiliki surat izin operator yang masih berlaku.",
    ),
    # 6x: job analysis (anjab, ABK)
    61: A(
        "Penyusunan Analisis Jabatan",
        "Dasar menyusun uraian tugas.",
        "Analisis jabatan menghasilkan uraian tugas, syarat jabatan, dan peta jabatan di setiap perangkat daerah.",
    ),
    62: A(
        "Anjab dan ABK untuk Usulan Formasi",
        "Menghitung kebutuhan pegawai.",
        "Analisis beban kerja dipakai menghitung kebutuhan pegawai sebelum usulan formasi CPNS dan PPPK.",
    ),
    63: W(
        "Bimtek Analisis Beban Kerja",
        "Bimbingan Teknis · Bagian Organisasi",
        "Menghitung beban kerja jabatan dari volume kerja dan norma waktu untuk menentukan jumlah pegawai ideal.",
    ),
    64: T(
        "Peta jabatan OPD kami belum diperbarui",
        "Setelah perampingan struktur, peta jabatan belum sesuai.",
        "Ajukan ke Bagian Organisasi, mereka yang memvalidasi anjab. | Harus ada SK walikota untuk peta jabatan baru.",
    ),
    65: A(
        "Lowongan Jabatan Pimpinan Tinggi Pratama",
        "Seleksi terbuka JPT.",
        "Pemerintah kota membuka seleksi terbuka untuk tiga jabatan kepala dinas.",
    ),
    # 7x: procurement (pengadaan barang/jasa, PBJ)
    71: A(
        "Pengadaan Barang dan Jasa Pemerintah untuk Pemula",
        "Aturan dasar Perpres 12/2021.",
        "Pejabat pengadaan wajib bersertifikat. Pembelian lewat e-purchasing memakai katalog elektronik LKPP.",
    ),
    72: W(
        "Pelatihan Sertifikasi Pejabat Pengadaan",
        "Pelatihan Klasikal · UKPBJ",
        "Persiapan ujian kompetensi pengadaan barang/jasa tingkat dasar untuk PPK dan pejabat pengadaan.",
    ),
    73: T(
        "Belanja di e-katalog lokal, bagaimana caranya?",
        "Kami mau beli ATK dari penyedia lokal.",
        "Penyedia harus tayang dulu di katalog elektronik lokal. | Minta bantuan UKPBJ untuk negosiasi harga.",
    ),
    74: A(
        "Tender Konstruksi Jalan Lingkar",
        "Pengumuman pemenang tender.",
        "Tender pembangunan jalan lingkar dimenangkan oleh penyedia dari Padang.",
    ),
    75: A(
        "Pengadaan Tanah untuk Kepentingan Umum",
        "Tahapan pembebasan lahan.",
        "Pengadaan tanah melalui musyawarah ganti rugi dengan pemilik lahan.",
    ),
    # 8x: gratification & integrity
    81: A(
        "Pelaporan Gratifikasi ke UPG",
        "Batas waktu 30 hari kerja.",
        "Pegawai yang menerima hadiah terkait jabatan wajib melapor ke unit pengendalian gratifikasi atau KPK paling lambat 30 hari kerja.",
    ),
    82: A(
        "Etika dan Integritas ASN",
        "Menolak suap dan konflik kepentingan.",
        "Integritas berarti menolak gratifikasi, menghindari konflik kepentingan, dan jujur dalam laporan.",
    ),
    83: T(
        "Dapat parsel lebaran dari rekanan, boleh diterima?",
        "Rekanan proyek mengirim parsel ke rumah.",
        "Sebaiknya ditolak, kalau terlanjur laporkan ke UPG. | Hadiah dari rekanan jelas terkait jabatan.",
    ),
    84: W(
        "Sosialisasi Pengendalian Gratifikasi dan Benturan Kepentingan",
        "Sosialisasi · Inspektorat",
        "Inspektorat menjelaskan jenis gratifikasi yang wajib dilaporkan dan cara melapor daring.",
    ),
    85: A(
        "Hadiah Lomba Kebersihan Kelurahan",
        "Pemenang lomba menerima hadiah uang pembinaan.",
        "Kelurahan terbersih menerima hadiah dari walikota pada upacara HUT kota.",
    ),
    # 9x: archives
    91: A(
        "Manajemen Arsip Dinamis",
        "Arsip aktif dan inaktif di OPD.",
        "Kearsipan dinamis mengatur penciptaan, penggunaan, dan pemeliharaan arsip aktif serta inaktif.",
    ),
    92: A(
        "Digitalisasi Arsip Kepegawaian",
        "Memindai dokumen kepegawaian.",
        "SK pangkat, ijazah, dan dokumen kepegawaian lain dipindai dan disimpan dalam sistem informasi kepegawaian.",
    ),
    93: W(
        "Bimtek Pengelolaan Arsip untuk Arsiparis",
        "Bimbingan Teknis · Dinas Perpustakaan dan Kearsipan",
        "Penataan berkas, jadwal retensi, dan pemusnahan arsip yang sudah habis masa simpannya.",
    ),
    94: T(
        "Arsip lama menumpuk di gudang, boleh dimusnahkan?",
        "Berkas tahun 2005 memenuhi gudang.",
        "Cek jadwal retensi dulu. | Pemusnahan harus dengan berita acara dan persetujuan ANRI untuk arsip tertentu.",
    ),
    95: A(
        "Museum Goedang Ransoem Menyimpan Arsip Foto Tambang",
        "Koleksi foto sejarah.",
        "Museum memamerkan foto dapur umum buruh tambang dari masa kolonial.",
    ),
    # 10x: promotion (kenaikan pangkat)
    101: A(
        "Kenaikan Pangkat Reguler lewat SIASN",
        "Syarat dan jadwal periode April dan Oktober.",
        "Usulan kenaikan pangkat diajukan melalui SIASN dengan lampiran SKP dua tahun terakhir dan SK pangkat terakhir.",
    ),
    102: T(
        "Kapan bisa naik pangkat setelah ijazah S2?",
        "Saya baru lulus magister, golongan III/b.",
        "Bisa kenaikan pangkat penyesuaian ijazah kalau ada formasi jabatannya. | Tanya ke BKPSDM bidang mutasi.",
    ),
    103: A(
        "Kenaikan Pangkat Pilihan untuk Pejabat Fungsional",
        "Naik pangkat lewat angka kredit.",
        "Pejabat fungsional naik pangkat bila angka kredit kumulatif terpenuhi.",
    ),
    104: W(
        "Sosialisasi Layanan Kepegawaian di SIASN",
        "Sosialisasi · BKPSDM",
        "Cara memutakhirkan data, mengusulkan kenaikan pangkat, dan memantau status usulan di SIASN.",
    ),
    105: A(
        "Pangkat dan Golongan Anggota Satpol PP",
        "Struktur kepangkatan polisi pamong praja.",
        "Satpol PP memakai tanda pangkat di pundak sesuai golongan.",
    ),
    # 11x: leave (cuti)
    111: A(
        "Cuti Tahunan PNS",
        "Hak cuti 12 hari kerja.",
        "PNS berhak atas cuti tahunan 12 hari kerja. Permohonan cuti diajukan kepada pejabat yang berwenang.",
    ),
    112: T(
        "Cara mengajukan cuti lewat aplikasi?",
        "Sekarang cuti harus daring ya?",
        "Ya, lewat menu layanan cuti di SIASN. | Jangan lupa persetujuan atasan langsung sebelum tanggal mulai.",
    ),
    113: A(
        "Cuti Melahirkan dan Cuti Alasan Penting",
        "Jenis cuti selain cuti tahunan.",
        "PNS perempuan berhak cuti melahirkan tiga bulan; cuti alasan penting diberikan bila keluarga sakit keras.",
    ),
    114: A(
        "Libur Nasional dan Cuti Bersama",
        "Kalender kerja tahun ini.",
        "Pemerintah menetapkan hari libur nasional dan cuti bersama; pelayanan publik tetap buka dengan piket.",
    ),
    115: A(
        "Izin Keluar Kantor pada Jam Kerja",
        "Tata cara izin singkat.",
        "Pegawai yang keluar kantor saat jam kerja wajib izin atasan dan mengisi buku izin.",
    ),
    # 12x: discipline
    121: A(
        "Disiplin Pegawai dan Hukuman Disiplin",
        "PP 94 Tahun 2021.",
        "PP 94/2021 mengatur kewajiban, larangan, dan hukuman disiplin bagi PNS, dari teguran lisan hingga pemberhentian.",
    ),
    122: T(
        "Tidak masuk kerja 10 hari, apa sanksinya?",
        "Ada staf yang sering absen tanpa keterangan.",
        "Akumulasi ketidakhadiran dihitung setahun; bisa kena hukuman disiplin sedang. | Panggil dulu untuk pemeriksaan.",
    ),
    123: W(
        "Sosialisasi Penegakan Disiplin ASN",
        "Sosialisasi · BKPSDM",
        "Tata cara pemeriksaan, berita acara, dan penjatuhan sanksi disiplin pegawai.",
    ),
    124: A(
        "Disiplin Anggaran di Akhir Tahun",
        "Mencegah belanja menumpuk di Desember.",
        "Bendahara diminta disiplin mencatat belanja agar tidak terjadi penumpukan realisasi di akhir tahun.",
    ),
    # 13x: meetings & communication
    131: A(
        "Komunikasi Efektif dalam Rapat",
        "Rapat singkat yang menghasilkan keputusan.",
        "Rapat efektif punya agenda jelas, notulen, dan tindak lanjut. Pimpinan rapat menjaga waktu.",
    ),
    132: W(
        "Pelatihan Public Speaking untuk ASN",
        "Pelatihan Klasikal · Diskominfo",
        "Teknik berbicara di depan umum, mengatur suara, dan menguasai panggung saat presentasi.",
    ),
    133: A(
        "Berbicara di Depan Umum Tanpa Gugup",
        "Latihan sederhana sebelum tampil.",
        "Persiapkan poin utama, latihan di depan cermin, dan atur napas sebelum memberi sambutan.",
    ),
    134: T(
        "Notulen rapat harus ditandatangani siapa?",
        "Bingung format notulen yang benar.",
        "Notulis dan pimpinan rapat. | Lampirkan daftar hadir.",
    ),
    135: A(
        "Rapat Paripurna DPRD Membahas APBD",
        "Agenda legislatif.",
        "DPRD menggelar rapat paripurna pengesahan APBD perubahan.",
    ),
    # 14x: official letters
    141: A(
        "Menulis Surat Dinas yang Baik",
        "Tata naskah dinas.",
        "Tata naskah dinas mengatur format surat, penomoran, dan bahasa yang lugas sesuai pedoman.",
    ),
    142: W(
        "Bimtek Tata Naskah Dinas Elektronik",
        "Bimbingan Teknis · Bagian Umum",
        "Membuat, menandatangani, dan mendistribusikan naskah dinas secara elektronik dengan tanda tangan digital.",
    ),
    143: T(
        "Surat-surat keluar dinomori dari mana?",
        "Tiap bidang pakai nomor sendiri atau terpusat?",
        "Penomoran terpusat di sekretariat. | Ikuti kode klasifikasi arsip.",
    ),
    144: A(
        "Surat Suara Pemilu Tiba di Gudang KPU",
        "Logistik pemilu.",
        "Surat suara untuk lima kecamatan telah tiba dan disortir relawan.",
    ),
    # 15x: occupational safety
    151: A(
        "Keselamatan Kerja di Lapangan",
        "APD wajib bagi petugas teknis.",
        "Petugas lapangan Dinas PUPR wajib memakai alat pelindung diri dan mengikuti prosedur keselamatan kerja.",
    ),
    152: W(
        "Pelatihan K3 untuk Petugas Teknis",
        "Pelatihan Klasikal · Disnakertrans",
        "Kesehatan dan keselamatan kerja: identifikasi bahaya, penggunaan helm dan sepatu keselamatan, pertolongan pertama.",
    ),
    153: T(
        "Petugas kebersihan tidak mau pakai sarung tangan",
        "Alasannya panas.",
        "Sediakan sarung tangan yang nyaman. | Jelaskan risiko luka dan infeksi, lalu awasi.",
    ),
    154: A(
        "Keselamatan Berkendara Mudik Lebaran",
        "Imbauan Dinas Perhubungan.",
        "Periksa kendaraan dan istirahat setiap empat jam saat mudik.",
    ),
    # 16x: disaster
    161: A(
        "Penanggulangan Bencana Banjir",
        "Kesiapsiagaan kelurahan.",
        "BPBD menyiapkan jalur evakuasi, dapur umum, dan posko pengungsian saat banjir.",
    ),
    162: W(
        "Simulasi Evakuasi Gempa di Perkantoran",
        "Simulasi · BPBD",
        "Pegawai berlatih keluar gedung dengan tertib menuju titik kumpul.",
    ),
    163: T(
        "Kantor kami di dekat sungai, apa yang perlu disiapkan musim hujan?",
        "Tahun lalu air masuk ke ruang arsip.",
        "Pindahkan arsip ke lantai atas. | Koordinasi dengan BPBD untuk peringatan dini.",
    ),
    164: A(
        "Banjir Promo Belanja Akhir Tahun",
        "Pusat perbelanjaan ramai.",
        "Pengunjung memadati pusat perbelanjaan yang memberi potongan harga.",
    ),
    # 17x: heritage & tourism
    171: A(
        "Pelestarian Warisan Tambang Batu Bara Ombilin",
        "Warisan dunia UNESCO.",
        "Warisan tambang Ombilin dilestarikan lewat museum dan lubang tambang Mbah Soero.",
    ),
    172: W(
        "Pelatihan Pemandu Wisata Sejarah",
        "Pelatihan Klasikal · Disparpora",
        "Pemandu wisata belajar kisah tambang, kereta api, dan kota lama untuk memandu wisatawan.",
    ),
    173: T(
        "Promosi wisata lewat media sosial, siapa yang kelola?",
        "Akun pariwisata kota jarang diperbarui.",
        "Disparpora punya admin, tapi butuh konten dari OPD lain. | Libatkan komunitas fotografer.",
    ),
    174: A(
        "Tambang Emas Ilegal Ditertibkan",
        "Operasi gabungan.",
        "Tim gabungan menertibkan penambangan emas tanpa izin di aliran sungai.",
    ),
    # 18x: health
    181: A(
        "Imunisasi Dasar Lengkap untuk Bayi",
        "Jadwal imunisasi.",
        "Petugas kesehatan mengimunisasi bayi sesuai jadwal dan mencatatnya di buku KIA.",
    ),
    182: A(
        "Pelayanan Kesehatan di Puskesmas",
        "Layanan dasar untuk warga.",
        "Puskesmas melayani pemeriksaan ibu hamil, vaksinasi anak, dan pengobatan umum dengan antrean daring.",
    ),
    183: W(
        "Pelatihan Vaksinator bagi Bidan Desa",
        "Pelatihan Klasikal · Dinas Kesehatan",
        "Teknik penyuntikan aman, rantai dingin vaksin, dan pencatatan imunisasi.",
    ),
    184: T(
        "Posyandu kami kekurangan kader",
        "Kader banyak yang pindah.",
        "Rekrut dari PKK. | Beri pelatihan singkat dan insentif.",
    ),
    185: A(
        "Kesehatan Keuangan BUMD",
        "Rasio keuangan perusahaan daerah.",
        "Laporan menunjukkan rasio likuiditas BUMD air minum membaik.",
    ),
    # 19x: teachers & online learning
    191: A(
        "Pembelajaran Daring untuk Guru",
        "Merancang kelas daring.",
        "Guru mengikuti pelatihan jarak jauh untuk merancang pembelajaran daring yang menarik bagi siswa.",
    ),
    192: W(
        "Workshop Kurikulum Merdeka untuk Guru SD",
        "Workshop · Dinas Pendidikan",
        "Guru menyusun modul ajar dan asesmen diagnostik sesuai Kurikulum Merdeka.",
    ),
    193: T(
        "Aplikasi apa yang bagus untuk kelas online?",
        "Sekolah kami mau mulai kelas jarak jauh.",
        "Google Classroom cukup. | Rekam video pendek supaya siswa bisa mengulang.",
    ),
    194: A(
        "Guru Besar Universitas Andalas Berkunjung",
        "Kunjungan akademisi.",
        "Guru besar bidang geologi meninjau bekas tambang bersama Bappeda.",
    ),
    # 20x: information security
    201: A(
        "Keamanan Informasi dan Kata Sandi",
        "Kebiasaan aman di kantor.",
        "Pegawai wajib memakai kata sandi kuat, tidak membagikannya, dan waspada terhadap surel phishing.",
    ),
    202: W(
        "Pelatihan Keamanan Siber untuk Operator Aplikasi",
        "Pelatihan Klasikal · Diskominfo",
        "Mengenali serangan phishing, ransomware, dan cara mengamankan akun aplikasi layanan.",
    ),
    203: T(
        "Email kantor saya dibajak, harus bagaimana?",
        "Ada surel aneh terkirim dari akun saya.",
        "Segera ganti password dan aktifkan verifikasi dua langkah. | Laporkan ke tim CSIRT Diskominfo.",
    ),
    204: A(
        "Keamanan dan Ketertiban Pasar Tradisional",
        "Satpol PP berpatroli.",
        "Satpol PP menjaga keamanan pasar dan menertibkan pedagang di trotoar.",
    ),
    # 21x: budgeting
    211: A(
        "Perencanaan Anggaran Berbasis Kinerja",
        "Anggaran terkait sasaran.",
        "Bappeda dan BPKD menyusun anggaran yang dikaitkan dengan sasaran kinerja dan indikator program.",
    ),
    212: W(
        "Bimtek Penyusunan RKA SKPD",
        "Bimbingan Teknis · BPKD",
        "Menyusun rencana kerja dan anggaran perangkat daerah di SIPD.",
    ),
    213: T(
        "Pergeseran anggaran antar kegiatan, boleh?",
        "Ada kegiatan yang batal.",
        "Bisa lewat pergeseran dengan persetujuan TAPD. | Catat di SIPD sebelum perubahan APBD.",
    ),
    214: A(
        "Anggaran Rumah Tangga Koperasi Pegawai",
        "Aturan internal koperasi.",
        "Koperasi pegawai memperbarui anggaran dasar dan anggaran rumah tangga.",
    ),
    # 22x: post-training evaluation
    221: A(
        "Evaluasi Pasca Pelatihan",
        "Mengukur dampak ke kinerja.",
        "Tiga bulan setelah pelatihan, peserta dan atasannya mengisi evaluasi dampak terhadap kinerja.",
    ),
    222: T(
        "Apakah pelatihan kemarin ada manfaatnya?",
        "Atasan minta bukti perubahan setelah diklat.",
        "Isi formulir evaluasi L3 bersama atasan. | Tunjukkan hasil kerja sebelum dan sesudah.",
    ),
    223: A(
        "Model Kirkpatrick Empat Level",
        "Reaksi, pembelajaran, perilaku, hasil.",
        "Evaluasi diklat diukur pada empat level: reaksi peserta, hasil belajar, perubahan perilaku kerja, dan dampak organisasi.",
    ),
    224: A(
        "Evaluasi Program Bantuan Sosial",
        "Ketepatan sasaran penerima.",
        "Dinas Sosial mengevaluasi data penerima bantuan bersama kelurahan.",
    ),
    # 23x: public satisfaction
    231: A(
        "Survei Kepuasan Masyarakat",
        "IKM tiap semester.",
        "Unit layanan mengukur kepuasan masyarakat setiap semester dan menindaklanjuti keluhan pengguna layanan.",
    ),
    232: W(
        "Bimtek Pengelolaan Pengaduan SP4N-LAPOR",
        "Bimbingan Teknis · Bagian Organisasi",
        "Admin pengaduan belajar menjawab aduan warga dalam batas waktu dan melaporkan tindak lanjutnya.",
    ),
    233: T(
        "Nilai IKM kami turun, apa yang salah?",
        "Skor kepuasan pengguna layanan turun.",
        "Lihat unsur dengan nilai terendah, biasanya waktu layanan. | Umumkan tindak lanjut supaya warga tahu.",
    ),
    234: A(
        "Kepuasan Kerja Pegawai dan Lingkungan Kantor",
        "Survei internal.",
        "Ruang kerja yang nyaman meningkatkan kepuasan kerja pegawai.",
    ),
    # 24x: mentoring & coaching
    241: A(
        "Mentoring Pegawai Baru",
        "Pendampingan masa orientasi.",
        "CPNS didampingi mentor selama masa orientasi. Mentor membimbing adaptasi budaya kerja dan tugas pokok.",
    ),
    242: A(
        "Coaching oleh Atasan Langsung",
        "Membantu pegawai menemukan solusi.",
        "Atasan melakukan coaching dua kali sebulan untuk membantu pegawai menyelesaikan masalah kerja.",
    ),
    243: W(
        "Pelatihan Coaching dan Mentoring bagi Pejabat",
        "Pelatihan Klasikal · BKPSDM",
        "Pejabat belajar teknik bertanya, mendengar aktif, dan membimbing bawahan.",
    ),
    244: T(
        "CPNS baru bingung tugasnya, siapa yang membimbing?",
        "Kami terima lima CPNS bulan ini.",
        "Tunjuk pendamping dari pegawai senior. | Beri daftar tugas minggu pertama.",
    ),
    245: A(
        "Bimbingan Belajar Gratis untuk Siswa",
        "Program kelurahan.",
        "Mahasiswa KKN membuka bimbingan belajar untuk siswa SD.",
    ),
    # 25x: talent management
    251: A(
        "Manajemen Talenta ASN",
        "Memetakan potensi dan kinerja.",
        "Talenta terbaik dipetakan dengan sembilan kotak kinerja dan potensi untuk suksesi jabatan pimpinan.",
    ),
    252: W(
        "Asesmen Kompetensi Pejabat Administrator",
        "Asesmen · BKPSDM",
        "Uji kompetensi manajerial dan sosial kultural untuk pemetaan talenta.",
    ),
    253: T(
        "Bagaimana masuk kelompok rencana suksesi?",
        "Katanya ada talent pool.",
        "Nilai kinerja dan hasil asesmen harus tinggi. | Ikuti pengembangan yang direkomendasikan.",
    ),
    254: A(
        "Ajang Pencarian Bakat Pelajar",
        "Lomba seni tingkat kota.",
        "Dinas Pendidikan menggelar ajang bakat seni untuk pelajar.",
    ),
    # 26x: credit points
    261: A(
        "Angka Kredit Jabatan Fungsional",
        "Naik jenjang lewat angka kredit.",
        "Pejabat fungsional mengumpulkan angka kredit dari tugas utama dan pengembangan profesi.",
    ),
    262: T(
        "Konversi predikat kinerja ke angka kredit",
        "Aturan baru angka kredit sekarang dari SKP?",
        "Betul, predikat baik dikonversi ke angka kredit tahunan. | Cek tabel di Permenpan 1/2023.",
    ),
    263: W(
        "Bimtek Penyusunan DUPAK",
        "Bimbingan Teknis · BKPSDM",
        "Mengisi daftar usulan penetapan angka kredit dan bukti fisik kegiatan.",
    ),
    264: A(
        "Kartu Kredit Pemerintah untuk Belanja Operasional",
        "Transaksi nontunai.",
        "Bendahara memakai kartu kredit pemerintah untuk belanja kecil.",
    ),
    # 27x: MSMEs
    271: A(
        "Pemberdayaan UMKM",
        "Pendampingan usaha mikro.",
        "Dinas Koperasi mendampingi pelaku usaha mikro dalam pemasaran digital dan perizinan usaha.",
    ),
    272: W(
        "Pelatihan Pemasaran Online untuk Pelaku Usaha",
        "Pelatihan Klasikal · Dinas Koperasi UKM",
        "Berjualan di marketplace, memotret produk, dan mengelola pesanan.",
    ),
    273: T(
        "Perajin songket butuh pasar baru",
        "Penjualan turun.",
        "Ikutkan pameran nasional. | Jual daring, kirim lewat ekspedisi.",
    ),
    274: A(
        "Tenun Songket Silungkang",
        "Kerajinan khas.",
        "Perajin songket Silungkang dibina agar motif tradisional tetap lestari.",
    ),
    # 28x: village finance
    281: A(
        "Pengelolaan Keuangan Desa",
        "APBDes yang transparan.",
        "Perangkat desa dilatih menyusun APBDes, melaporkan realisasi, dan menjaga transparansi dana desa.",
    ),
    282: W(
        "Bimtek Siskeudes untuk Bendahara Desa",
        "Bimbingan Teknis · DPMD",
        "Mencatat transaksi dana desa di aplikasi Siskeudes.",
    ),
    283: T(
        "Dana desa boleh untuk gaji perangkat?",
        "Ada pertanyaan dari kepala desa.",
        "Penghasilan tetap dari ADD, bukan dana desa. | Lihat Permendes prioritas penggunaan.",
    ),
    # 29x: e-government
    291: A(
        "Arsitektur SPBE Kota Sawahlunto",
        "Sistem pemerintahan berbasis elektronik.",
        "SPBE menyatukan aplikasi layanan, data, dan infrastruktur. Diskominfo mengoordinasikan rencana induk.",
    ),
    292: W(
        "Pelatihan Pengolahan Data dengan Spreadsheet",
        "Pelatihan Klasikal · Diskominfo",
        "Rumus, tabel pivot, dan grafik di Excel untuk mengolah data layanan.",
    ),
    293: T(
        "Aplikasi OPD terlalu banyak, bisa disatukan?",
        "Setiap bidang bikin aplikasi sendiri.",
        "Itu tujuan SPBE: integrasi layanan. | Daftarkan dulu di katalog aplikasi Diskominfo.",
    ),
    294: A(
        "Membuat Dashboard Data Kepegawaian",
        "Visualisasi untuk pimpinan.",
        "Data pegawai diolah menjadi dasbor interaktif agar pimpinan cepat membaca tren.",
    ),
    # 30x: retirement
    301: A(
        "Persiapan Masa Pensiun PNS",
        "Batas usia pensiun dan berkas.",
        "PNS diberhentikan dengan hak pensiun saat mencapai batas usia pensiun; berkas diusulkan setahun sebelumnya.",
    ),
    302: T(
        "Kapan Taspen dicairkan setelah pensiun?",
        "Ayah saya pensiun bulan depan.",
        "Tabungan hari tua dicairkan setelah SK pensiun terbit. | Bawa SK dan KTP ke kantor Taspen.",
    ),
    303: W(
        "Pelatihan Wirausaha Menjelang Purnabakti",
        "Pelatihan Klasikal · BKPSDM",
        "Pegawai yang akan purnatugas belajar memulai usaha kecil.",
    ),
    # 31x: allowances & attendance
    311: A(
        "Tambahan Penghasilan Pegawai (TPP)",
        "Dasar perhitungan TPP.",
        "TPP dihitung dari beban kerja, kehadiran, dan capaian kinerja bulanan.",
    ),
    312: T(
        "Presensi telat 5 menit memotong tunjangan?",
        "Mesin absen sering error.",
        "Ada potongan per keterlambatan. | Laporkan gangguan mesin ke bagian umum supaya tidak dipotong.",
    ),
    313: A(
        "Absensi Daring dengan Swafoto",
        "Presensi lewat ponsel.",
        "Pegawai mencatat kehadiran dengan swafoto dan lokasi di aplikasi presensi.",
    ),
    # 32x: extra distractors and mixed
    321: A("Pelatihan Anjing Pelacak Satpol PP", "Unit K9.", "Anjing pelacak dilatih mengenali narkotika di terminal."),
    322: A(
        "Jadwal Kereta Wisata Mak Itam",
        "Kereta uap bersejarah.",
        "Kereta wisata beroperasi setiap akhir pekan dari stasiun Sawahlunto.",
    ),
    323: W(
        "Pelatihan Menjahit bagi Ibu Rumah Tangga",
        "Pelatihan Keterampilan · Disnakertrans",
        "Keterampilan menjahit untuk membuka usaha konveksi rumahan.",
    ),
    324: T(
        "Parkir kantor penuh setiap pagi",
        "Kendaraan tamu tidak kebagian tempat.",
        "Atur parkir pegawai di belakang. | Minta pegawai naik angkot.",
    ),
    325: A(
        "Lomba Kebersihan Antar Kantor",
        "Penilaian kebersihan ruang kerja.",
        "Tim juri menilai kebersihan, kerapian, dan penghijauan kantor OPD.",
    ),
    # more relevant documents in other words, and more distractors
    17: W(
        "Bimtek Pengelolaan Pengetahuan Organisasi",
        "Bimbingan Teknis · BKPSDM",
        "Mendokumentasikan pengalaman kerja menjadi artikel agar pegawai lain dapat belajar darinya.",
    ),
    26: A(
        "Standar Operasional Prosedur Layanan Adminduk",
        "SOP loket kependudukan.",
        "SOP memuat alur, persyaratan, dan waktu layanan KTP elektronik dan kartu keluarga.",
    ),
    36: T(
        "Bukti dukung SKP berupa apa saja?",
        "Atasan minta bukti capaian.",
        "Foto kegiatan, laporan, atau tangkapan layar aplikasi. | Unggah tiap bulan, jangan menumpuk di akhir tahun.",
    ),
    46: A(
        "Gaya Kepemimpinan Transformasional",
        "Pemimpin yang menginspirasi perubahan.",
        "Pemimpin transformasional menantang cara lama dan mendorong inovasi di unitnya.",
    ),
    56: T(
        "Target 20 JP belum tercapai, apa akibatnya?",
        "Sudah bulan November.",
        "Belum ada sanksi, tapi jadi catatan dalam penilaian. | Cari pelatihan daring singkat yang bersertifikat.",
    ),
    76: W(
        "Bimtek E-Purchasing Katalog Elektronik",
        "Bimbingan Teknis · UKPBJ",
        "Praktik belanja langsung di katalog elektronik untuk PPK dan pejabat pengadaan.",
    ),
    86: T(
        "Boleh terima honor narasumber dari OPD lain?",
        "Saya diundang jadi pembicara.",
        "Honor resmi sesuai standar biaya bukan gratifikasi. | Tetap laporkan kalau ragu.",
    ),
    96: A(
        "Jadwal Retensi Arsip",
        "Berapa lama arsip disimpan.",
        "Jadwal retensi menetapkan jangka simpan arsip aktif dan inaktif serta nasib akhirnya: musnah atau permanen.",
    ),
    106: T(
        "Usulan kenaikan pangkat saya dikembalikan",
        "Statusnya BTS di SIASN.",
        "Biasanya berkas kurang: SKP atau ijazah. | Perbaiki lalu kirim ulang sebelum batas periode.",
    ),
    125: A(
        "Kode Etik dan Sanksi bagi Pegawai",
        "Pelanggaran etika berbeda dengan disiplin.",
        "Majelis kode etik memeriksa pelanggaran etika dan dapat menjatuhkan sanksi moral.",
    ),
    136: W(
        "Pelatihan Teknik Presentasi yang Meyakinkan",
        "Pelatihan Klasikal · BKPSDM",
        "Menyusun slide sederhana, bercerita dengan data, dan menjawab pertanyaan audiens.",
    ),
    155: A(
        "Alat Pelindung Diri untuk Petugas Damkar",
        "Perlengkapan pemadam kebakaran.",
        "Petugas pemadam memakai helm, baju tahan api, dan alat bantu napas.",
    ),
    186: T(
        "Jadwal imunisasi campak untuk anak usia 9 bulan?",
        "Anak saya terlewat jadwal.",
        "Datang ke posyandu atau puskesmas terdekat. | Imunisasi kejar masih bisa diberikan.",
    ),
    205: A(
        "Verifikasi Dua Langkah untuk Akun Dinas",
        "Lapisan keamanan tambahan.",
        "Aktifkan verifikasi dua langkah agar akun tidak bisa dibuka hanya dengan kata sandi.",
    ),
    246: A(
        "Bimbingan Teknis Jabatan Fungsional Baru",
        "Orientasi pejabat fungsional hasil penyetaraan.",
        "Pejabat hasil penyetaraan dibimbing memahami butir kegiatan jabatan fungsional.",
    ),
    295: A(
        "Belajar Microsoft Excel dari Nol",
        "Dasar-dasar lembar kerja.",
        "Mengenal sel, rumus penjumlahan, dan membuat tabel sederhana untuk laporan bulanan.",
    ),
}

QUERIES: list[tuple[str, dict[int, int]]] = [
    ("budaya belajar", {11: 2, 12: 2, 14: 2, 13: 1, 17: 1}),
    ("komunitas belajar", {12: 2, 11: 1, 13: 1, 14: 1}),
    ("berbagi praktik baik", {13: 2, 12: 2, 14: 1, 11: 1}),
    ("pelatihan pelayanan", {21: 2, 22: 2, 23: 1, 24: 1}),
    ("melayani warga", {22: 2, 21: 2, 24: 1, 26: 1}),
    ("cara menghadapi warga marah", {24: 2, 21: 1, 22: 1}),
    ("penilaian kinerja", {31: 2, 32: 1, 33: 1, 34: 1, 36: 1}),
    ("skp", {32: 2, 31: 2, 34: 2, 36: 2, 101: 1, 262: 1}),
    ("cara isi skp di e-kinerja", {32: 2, 34: 1, 36: 1, 31: 1}),
    ("bukti dukung skp", {36: 2, 32: 1, 31: 1}),
    ("kepemimpinan", {41: 2, 42: 2, 43: 2, 46: 2, 44: 1}),
    ("kepemimpnan", {41: 2, 42: 2, 43: 2, 46: 2, 44: 1}),
    ("memimpin tim", {42: 2, 41: 2, 44: 1, 46: 1}),
    ("diklat kepemimpinan", {42: 2, 43: 2, 41: 1, 46: 1}),
    ("pengembangan kompetensi", {51: 2, 52: 2, 54: 1, 56: 1, 53: 1}),
    ("20 jp", {51: 2, 56: 2, 53: 1, 54: 1}),
    ("webinar dihitung jp", {53: 2, 52: 1, 51: 1}),
    ("belajar mandiri", {52: 2, 54: 2, 51: 1}),
    ("e-learning", {52: 2, 54: 2, 191: 1}),
    ("anjab", {61: 2, 62: 2, 64: 1, 63: 1}),
    ("analisis beban kerja", {63: 2, 62: 2, 61: 1}),
    ("peta jabatan", {64: 2, 61: 2}),
    ("pengadaan barang jasa", {71: 2, 72: 2, 76: 1, 73: 1}),
    ("pbj", {71: 2, 72: 2, 76: 1, 73: 1}),
    ("belanja e-katalog", {73: 2, 76: 2, 71: 1}),
    ("gratifikasi", {81: 2, 84: 2, 82: 1, 83: 1, 86: 1}),
    ("gratifkasi", {81: 2, 84: 2, 82: 1, 83: 1, 86: 1}),
    ("melaporkan hadiah", {81: 2, 83: 1, 84: 1, 86: 1}),
    ("parsel dari rekanan", {83: 2, 81: 1}),
    ("kearsipan", {91: 2, 93: 2, 92: 1, 96: 1, 94: 1}),
    ("arsip kepegawaian digital", {92: 2, 91: 1}),
    ("pemusnahan arsip", {94: 2, 93: 2, 96: 2}),
    ("naik pangkat", {101: 2, 102: 2, 103: 1, 104: 1, 106: 1}),
    ("kenaikan pangkat pns", {101: 2, 104: 1, 102: 1, 106: 1, 103: 1}),
    ("usulan pangkat dikembalikan", {106: 2, 101: 1}),
    ("cuti tahunan", {111: 2, 112: 1}),
    ("cara ajukan cuti", {112: 2, 111: 1, 113: 1}),
    ("cuti melahirkan", {113: 2}),
    ("hukuman disiplin", {121: 2, 123: 2, 122: 1, 125: 1}),
    ("sanksi pegawai bolos", {122: 2, 121: 1, 123: 1, 125: 1}),
    ("public speaking", {132: 2, 133: 2, 136: 1}),
    ("berbicara di depan umum", {133: 2, 132: 2, 136: 1}),
    ("notulen rapat", {134: 2, 131: 1}),
    ("surat dinas", {141: 2, 142: 2, 143: 1}),
    ("surat-surat dinas", {141: 2, 143: 2, 142: 1}),
    ("tanda tangan elektronik", {142: 2}),
    ("keselamatan kerja", {151: 2, 152: 2, 153: 1, 155: 1}),
    ("k3", {152: 2, 151: 2, 155: 1, 153: 1}),
    ("apd petugas", {151: 2, 155: 2, 152: 1, 153: 1}),
    ("banjir", {161: 2, 163: 2}),
    ("simulasi gempa", {162: 2}),
    ("wisata tambang", {171: 2, 172: 2, 173: 1, 322: 1}),
    ("imunisasi", {181: 2, 183: 2, 186: 2, 182: 1}),
    ("imunisai", {181: 2, 183: 2, 186: 2, 182: 1}),
    ("vaksinasi anak", {182: 2, 181: 2, 183: 1, 186: 1}),
    ("pelatihan guru", {191: 2, 192: 2}),
    ("kelas online", {193: 2, 191: 2}),
    ("keamanan siber", {202: 2, 201: 2, 203: 1, 205: 1}),
    ("password", {201: 2, 203: 2, 205: 1}),
    ("akun email dibajak", {203: 2, 205: 1, 202: 1}),
    ("penyusunan anggaran", {211: 2, 212: 2, 213: 1}),
    ("rka skpd", {212: 2, 211: 1}),
    ("evaluasi pelatihan", {221: 2, 222: 2, 223: 2}),
    ("dampak diklat", {221: 2, 222: 2, 223: 1}),
    ("survei kepuasan masyarakat", {231: 2, 233: 2, 232: 1}),
    ("ikm", {231: 2, 233: 2}),
    ("pengaduan warga", {232: 2, 231: 1, 233: 1}),
    ("mentoring", {241: 2, 243: 2, 244: 1, 242: 1}),
    ("coaching", {242: 2, 243: 2, 241: 1}),
    ("membimbing cpns", {241: 2, 244: 2, 243: 1}),
    ("manajemen talenta", {251: 2, 253: 2, 252: 1}),
    ("angka kredit", {261: 2, 262: 2, 263: 2, 103: 1}),
    ("umkm", {271: 2, 272: 2, 273: 1}),
    ("jualan online", {272: 2, 271: 1, 273: 1}),
    ("dana desa", {281: 2, 282: 2, 283: 2}),
    ("spbe", {291: 2, 293: 2}),
    ("excel", {292: 2, 295: 2, 294: 1}),
    ("pengolahan data", {292: 2, 294: 2, 295: 1}),
    ("pensiun", {301: 2, 302: 2, 303: 1}),
    ("tpp", {311: 2, 312: 1}),
    ("tunjangan dipotong telat", {312: 2, 311: 1, 313: 1}),
    ("presensi", {313: 2, 312: 2, 311: 1}),
    ("bagaimana cara naik pangkat?", {101: 2, 102: 2, 104: 1, 106: 1, 103: 1}),
    ("kearsipn", {91: 2, 93: 2, 92: 1, 96: 1, 94: 1}),
    ("pengadan barang", {71: 2, 72: 2, 76: 1, 73: 1}),
]
TYPO_QUERIES = {"kepemimpnan", "gratifkasi", "imunisai", "kearsipn", "pengadan barang"}

TUNING = QUERIES[0::2]
HELD_OUT = QUERIES[1::2]
JUDGEMENTS: dict[str, dict[int, int]] = dict(QUERIES)
