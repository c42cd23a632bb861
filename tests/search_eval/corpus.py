# ruff: noqa: E501 - one judged document or query per line reads best
"""A small Indonesian corpus of portal content and judged queries for the relevance harness.

Grades: 2 = what the searcher wants, 1 = useful. Many queries use another word form than the documents
(pelatihan / melatih / dilatih), some carry typos.
"""

from __future__ import annotations

DOCUMENTS: dict[int, tuple[str, str]] = {
    1: (
        "Melatih Petugas Melayani Warga",
        "Petugas loket Disdukcapil dilatih menyapa warga, menjelaskan syarat dokumen, dan menangani keluhan dengan sabar.",
    ),
    2: (
        "Cara Menilai Kinerja Pegawai secara Objektif",
        "Atasan menilai capaian SKP setiap pegawai berdasarkan bukti dukung, bukan kesan pribadi. Penilaian dilakukan tiap triwulan.",
    ),
    3: (
        "Kepemimpinan Kepala Seksi di Kecamatan",
        "Pemimpin yang baik memberi contoh, membagi tugas dengan jelas, dan mendengarkan staf. Kepemimpinan melayani cocok untuk kantor kecamatan.",
    ),
    4: (
        "Pengembangan Kompetensi 20 JP per Tahun",
        "Setiap PNS wajib mengikuti pengembangan kompetensi paling sedikit 20 JP setahun melalui pelatihan, seminar, atau belajar mandiri.",
    ),
    5: (
        "Panduan Mengisi SKP di e-Kinerja",
        "Langkah mengisi sasaran kinerja pegawai: rencana hasil kerja, indikator, target, lalu unggah bukti ke aplikasi e-Kinerja BKN.",
    ),
    6: (
        "Arsitektur SPBE Kota Sawahlunto",
        "Sistem Pemerintahan Berbasis Elektronik menyatukan aplikasi layanan, data, dan infrastruktur. Diskominfo mengoordinasikan rencana induk SPBE.",
    ),
    7: (
        "Pelayanan Publik yang Ramah Disabilitas",
        "Kantor pelayanan menyediakan jalur kursi roda, loket prioritas, dan petugas yang terlatih berbahasa isyarat.",
    ),
    8: (
        "Mentoring Pegawai Baru",
        "CPNS didampingi mentor selama masa orientasi. Mentor membimbing adaptasi budaya kerja dan tugas pokok.",
    ),
    9: (
        "Coaching oleh Atasan Langsung",
        "Atasan melakukan coaching dua kali sebulan untuk membantu pegawai menemukan solusi atas masalah kerja.",
    ),
    10: (
        "Penyusunan Analisis Jabatan",
        "Analisis jabatan menghasilkan uraian tugas, syarat jabatan, dan beban kerja setiap jabatan di perangkat daerah.",
    ),
    11: (
        "Anjab dan ABK untuk Formasi",
        "Analisis beban kerja dipakai menghitung kebutuhan pegawai sebelum usulan formasi CPNS dan PPPK.",
    ),
    12: (
        "Pengadaan Barang dan Jasa Pemerintah",
        "Pejabat pengadaan wajib bersertifikat. Proses tender dan e-purchasing melalui katalog elektronik LKPP.",
    ),
    13: (
        "Pelatihan Kepemimpinan Pengawas",
        "Diklat PKP membekali pejabat pengawas dengan kemampuan memimpin tim, mengelola kinerja, dan merancang proyek perubahan.",
    ),
    14: (
        "Pelatihan Kepemimpinan Administrator",
        "PKA mengembangkan kepemimpinan kinerja pejabat administrator melalui proyek perubahan di unit kerjanya.",
    ),
    15: (
        "Etika dan Integritas ASN",
        "Nilai dasar BerAKHLAK: berorientasi pelayanan, akuntabel, kompeten, harmonis, loyal, adaptif, kolaboratif. Integritas berarti menolak gratifikasi.",
    ),
    16: (
        "Pelaporan Gratifikasi",
        "Pegawai yang menerima hadiah terkait jabatan wajib melapor ke UPG atau KPK paling lambat 30 hari kerja.",
    ),
    17: (
        "Manajemen Arsip Dinamis",
        "Kearsipan dinamis mengatur penciptaan, penggunaan, dan pemeliharaan arsip aktif serta inaktif di setiap OPD.",
    ),
    18: (
        "Digitalisasi Arsip Kepegawaian",
        "Dokumen kepegawaian seperti SK pangkat dan ijazah dipindai dan disimpan dalam sistem informasi kepegawaian.",
    ),
    19: (
        "Kenaikan Pangkat Reguler",
        "Usulan kenaikan pangkat diajukan melalui SIASN dengan lampiran SKP dua tahun terakhir dan SK pangkat terakhir.",
    ),
    20: (
        "Cuti Tahunan PNS",
        "PNS berhak atas cuti tahunan 12 hari kerja. Permohonan cuti diajukan kepada pejabat yang berwenang memberikan cuti.",
    ),
    21: (
        "Disiplin Pegawai dan Hukuman",
        "PP 94/2021 mengatur kewajiban, larangan, dan hukuman disiplin bagi PNS yang melanggar, dari teguran hingga pemberhentian.",
    ),
    22: (
        "Komunikasi Efektif dalam Rapat",
        "Rapat efektif punya agenda jelas, notulen, dan tindak lanjut. Pimpinan rapat menjaga waktu dan memberi kesempatan bicara.",
    ),
    23: (
        "Menulis Surat Dinas yang Baik",
        "Tata naskah dinas mengatur format surat, penomoran, dan bahasa yang lugas sesuai pedoman tata naskah.",
    ),
    24: (
        "Keselamatan Kerja di Lapangan",
        "Petugas lapangan Dinas PUPR wajib memakai alat pelindung diri dan mengikuti prosedur keselamatan kerja.",
    ),
    25: (
        "Penanggulangan Bencana Banjir",
        "BPBD melatih relawan kelurahan menghadapi banjir: evakuasi warga, dapur umum, dan posko pengungsian.",
    ),
    26: (
        "Pelestarian Warisan Tambang Ombilin",
        "Warisan dunia UNESCO di Sawahlunto dilestarikan lewat museum Goedang Ransoem dan Lubang Tambang Mbah Soero.",
    ),
    27: (
        "Promosi Wisata Sejarah Kota",
        "Disparpora mempromosikan wisata sejarah tambang batu bara dan kereta api kepada wisatawan.",
    ),
    28: (
        "Tenun Songket Silungkang",
        "Perajin songket Silungkang dibina agar motif tradisional tetap lestari dan produk menembus pasar nasional.",
    ),
    29: (
        "Pelayanan Kesehatan di Puskesmas",
        "Puskesmas melayani pemeriksaan ibu hamil, imunisasi anak, dan pengobatan umum dengan sistem antrean daring.",
    ),
    30: (
        "Imunisasi Dasar Lengkap",
        "Petugas kesehatan mengimunisasi bayi sesuai jadwal dan mencatat hasilnya di buku KIA.",
    ),
    31: (
        "Pembelajaran Daring untuk Guru",
        "Guru mengikuti pelatihan jarak jauh untuk merancang pembelajaran daring yang menarik bagi siswa.",
    ),
    32: (
        "Keamanan Informasi dan Kata Sandi",
        "Pegawai wajib memakai kata sandi kuat, tidak membagikannya, dan waspada terhadap surel phishing.",
    ),
    33: (
        "Perencanaan Anggaran Berbasis Kinerja",
        "Bappeda dan BPKD menyusun anggaran yang dikaitkan dengan sasaran kinerja dan indikator program.",
    ),
    34: (
        "Evaluasi Pasca Pelatihan",
        "Tiga bulan setelah pelatihan, peserta dan atasannya mengisi evaluasi dampak pelatihan terhadap kinerja.",
    ),
    35: (
        "Survei Kepuasan Masyarakat",
        "Unit layanan mengukur kepuasan masyarakat setiap semester dan menindaklanjuti keluhan pengguna layanan.",
    ),
    36: (
        "Inovasi Layanan Mal Pelayanan Publik",
        "Mal Pelayanan Publik menyatukan layanan perizinan, kependudukan, dan perpajakan di satu gedung.",
    ),
    37: (
        "Manajemen Talenta ASN",
        "Talenta terbaik dipetakan dengan sembilan kotak kinerja dan potensi untuk suksesi jabatan pimpinan.",
    ),
    38: (
        "Belajar Mandiri lewat E-Learning",
        "Pegawai dapat belajar mandiri melalui e-learning dan mencatat jam pelajaran sebagai pengembangan kompetensi.",
    ),
    39: (
        "Komunitas Belajar Antar OPD",
        "Komunitas belajar mempertemukan pegawai lintas OPD untuk berbagi praktik baik setiap bulan.",
    ),
    40: (
        "Penilaian Angka Kredit Jabatan Fungsional",
        "Pejabat fungsional mengumpulkan angka kredit dari tugas utama dan pengembangan profesi untuk naik jenjang.",
    ),
    41: (
        "Orientasi PPPK Baru",
        "PPPK yang baru diangkat mengikuti orientasi tentang hak, kewajiban, dan target kinerja sesuai perjanjian kerja.",
    ),
    42: (
        "Pengelolaan Keuangan Desa",
        "Perangkat desa dilatih menyusun APBDes, melaporkan realisasi, dan menjaga transparansi dana desa.",
    ),
    43: (
        "Pemberdayaan UMKM",
        "Dinas Koperasi UKM mendampingi pelaku usaha mikro dalam pemasaran digital dan perizinan usaha.",
    ),
    44: (
        "Ketahanan Pangan Kelurahan",
        "Pekarangan pangan lestari dan kebun kelurahan mendukung ketahanan pangan keluarga.",
    ),
    45: (
        "Pengawasan Internal oleh Inspektorat",
        "Inspektorat melakukan audit kinerja dan reviu laporan keuangan untuk mencegah penyimpangan.",
    ),
}

# query -> {doc id: grade}
JUDGEMENTS: dict[str, dict[int, int]] = {
    "pelatihan pelayanan": {1: 2, 7: 1},
    "cara menilai kinerja pegawai": {2: 2, 5: 1, 34: 1},
    "penilaian kinerja": {2: 2, 5: 1, 34: 1},
    "kepemimpinan": {3: 2, 13: 2, 14: 2},
    "kepemimpnan": {3: 2, 13: 2, 14: 2},
    "memimpin tim": {13: 2, 3: 1},
    "pengembangan kompetensi": {4: 2, 38: 1, 14: 1},
    "mengembangkan kompetensi pegawai": {4: 2, 38: 1},
    "20 JP": {4: 2},
    "SKP": {5: 2, 2: 1, 19: 1},
    "mengisi sasaran kinerja": {5: 2},
    "SPBE": {6: 2},
    "layanan disabilitas": {7: 2},
    "membimbing pegawai baru": {8: 2, 41: 1},
    "mentor": {8: 2},
    "coaching": {9: 2},
    "jabatan analisis": {10: 2, 11: 1},
    "beban kerja": {11: 2, 10: 1},
    "pengadaan": {12: 2},
    "integritas": {15: 2, 16: 1},
    "melaporkan gratifikasi": {16: 2, 15: 1},
    "kearsipan": {17: 2, 18: 1},
    "arsip pegawai digital": {18: 2, 17: 1},
    "naik pangkat": {19: 2},
    "hukuman disiplin": {21: 2},
    "rapat": {22: 2},
    "keselamatan kerja": {24: 2},
    "pelatihan relawan banjir": {25: 2},
    "tambang": {26: 2, 27: 1},
    "songket": {28: 2},
    "imunisasi": {30: 2, 29: 1},
    "pelayanan kesehatan": {29: 2, 30: 1},
    "pelatihan guru": {31: 2},
    "anggaran kinerja": {33: 2},
    "evaluasi pelatihan": {34: 2},
    "kepuasan masyarakat": {35: 2},
    "talenta": {37: 2},
    "belajar mandiri": {38: 2, 39: 1},
    "angka kredit": {40: 2},
    "keuangan desa": {42: 2},
    "pengawasan": {45: 2},
    "kompetnsi": {4: 2, 38: 1},
    "pelayann publik": {36: 2, 7: 1},
}
