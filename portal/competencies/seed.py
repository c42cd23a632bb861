"""The competency catalogue as reference rows.

Managerial (M.01-M.08) and socio-cultural (SK.01) competencies with their level descriptions follow
PermenPANRB 38/2017 (Standar Kompetensi Jabatan ASN). Technical competencies are defined by each agency; the
ones here fit the City of Sawahlunto's units. Besides the admin's services, this is the only writer of
competencies: upserts by code update names and texts, never duplicate, and leave ``is_active`` to the admin.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.competencies.models import LEVELS, Competency, CompetencyCategory, CompetencyLevel
from portal.extensions import db


@dataclass(frozen=True)
class CompetencySeed:
    code: str
    category: CompetencyCategory
    name: str
    description: str
    levels: tuple[str, str, str, str, str]  # level 1 .. level 5


_M = CompetencyCategory.MANAGERIAL
_SK = CompetencyCategory.SOCIO_CULTURAL
_T = CompetencyCategory.TECHNICAL

MANAGERIAL_AND_SOCIO_CULTURAL: tuple[CompetencySeed, ...] = (
    CompetencySeed(
        "M.01",
        _M,
        "Integritas",
        "Konsisten berperilaku selaras dengan nilai, norma dan/atau etika organisasi, dan jujur dalam hubungan "
        "dengan manajemen, rekan kerja, bawahan langsung, dan pemangku kepentingan, menciptakan budaya etika "
        "tinggi, bertanggung jawab atas tindakan atau keputusan beserta risiko yang menyertainya.",
        (
            "Mampu bertindak sesuai nilai, norma, dan etika organisasi dalam kapasitas pribadi.",
            "Mampu mengingatkan dan mengajak rekan kerja untuk bertindak sesuai nilai, norma, dan etika organisasi.",
            "Mampu memastikan dan menanamkan keyakinan bersama agar anggota yang dipimpin bertindak sesuai nilai, "
            "norma, dan etika organisasi, dalam lingkup formal.",
            "Mampu menciptakan situasi kerja yang mendorong kepatuhan pada nilai, norma, dan etika organisasi.",
            "Mampu menjadi role model dalam penerapan standar keadilan dan etika di tingkat nasional.",
        ),
    ),
    CompetencySeed(
        "M.02",
        _M,
        "Kerja Sama",
        "Kemampuan menjalin, membina, dan mempertahankan hubungan kerja yang efektif, memiliki komitmen saling "
        "membantu dalam penyelesaian tugas, dan mengoptimalkan segala sumber daya untuk mencapai tujuan "
        "strategis organisasi.",
        (
            "Berpartisipasi dalam kelompok kerja.",
            "Menumbuhkan tim kerja yang partisipatif dan efektif.",
            "Efektif membangun tim kerja untuk peningkatan kinerja organisasi.",
            "Membangun komitmen tim dan sinergi.",
            "Menciptakan situasi kerja sama secara konsisten, baik di dalam maupun di luar instansi.",
        ),
    ),
    CompetencySeed(
        "M.03",
        _M,
        "Komunikasi",
        "Kemampuan untuk menerangkan pandangan dan gagasan secara jelas, sistematis, disertai argumentasi yang "
        "logis dengan cara-cara yang sesuai, baik secara lisan maupun tertulis; memastikan pemahaman; "
        "mendengarkan secara aktif dan efektif; mempersuasi, meyakinkan, dan membujuk orang lain dalam rangka "
        "mencapai tujuan organisasi.",
        (
            "Menyampaikan informasi dengan jelas, lengkap, dan dengan pemahaman yang sama.",
            "Aktif menjalankan komunikasi secara formal dan informal; bersedia mendengarkan orang lain, "
            "menginterpretasikan pesan dengan respons yang sesuai, mampu menyusun materi presentasi, pidato, "
            "naskah, dan laporan.",
            "Berkomunikasi secara asertif, terampil berkomunikasi lisan dan tertulis untuk menyampaikan "
            "informasi yang sensitif, rumit, atau kompleks.",
            "Mampu mengemukakan pemikiran multidimensi secara lisan dan tertulis untuk mendorong kesepakatan "
            "dengan tujuan meningkatkan kinerja secara keseluruhan.",
            "Menggagas sistem komunikasi yang terbuka secara strategis untuk mencari solusi dengan tujuan "
            "meningkatkan kinerja.",
        ),
    ),
    CompetencySeed(
        "M.04",
        _M,
        "Orientasi pada Hasil",
        "Kemampuan mempertahankan komitmen pribadi yang tinggi untuk menyelesaikan tugas, dapat diandalkan, "
        "bertanggung jawab, mampu secara sistematis mengidentifikasi risiko dan peluang dengan memperhatikan "
        "keterhubungan antara perencanaan dan hasil, untuk keberhasilan organisasi.",
        (
            "Bertanggung jawab untuk memenuhi standar kerja.",
            "Berupaya meningkatkan hasil kerja pribadi yang lebih tinggi dari standar yang ditetapkan.",
            "Menetapkan target kerja yang menantang bagi unit kerja, memberi apresiasi dan teguran untuk "
            "mendorong kinerja.",
            "Mendorong unit kerja mencapai target yang ditetapkan atau melebihi hasil kerja sebelumnya.",
            "Meningkatkan mutu pencapaian kerja organisasi.",
        ),
    ),
    CompetencySeed(
        "M.05",
        _M,
        "Pelayanan Publik",
        "Kemampuan dalam melaksanakan tugas-tugas pemerintahan, pembangunan, dan kegiatan pemenuhan kebutuhan "
        "pelayanan publik secara profesional, transparan, mengikuti standar pelayanan yang objektif, netral, "
        "tidak memihak, tidak diskriminatif, serta tidak terpengaruh kepentingan pribadi, kelompok, golongan, "
        "atau partai politik.",
        (
            "Menjalankan tugas mengikuti standar pelayanan.",
            "Mampu menyelia dan menjelaskan proses pelaksanaan tugas-tugas pemerintahan dan pelayanan publik "
            "secara transparan.",
            "Mampu memanfaatkan kekuatan kelompok serta memperbaiki standar pelayanan publik di lingkup unit kerja.",
            "Mampu memonitor, mengevaluasi, memperhitungkan, dan mengantisipasi dampak dari isu-isu jangka "
            "panjang, kesempatan, atau kekuatan politik dalam hal pelayanan kebutuhan pemangku kepentingan yang "
            "transparan, objektif, dan profesional.",
            "Mampu memastikan kebijakan-kebijakan pelayanan publik yang menjamin terselenggaranya pelayanan "
            "publik yang objektif, netral, tidak memihak, tidak diskriminatif, serta tidak terpengaruh "
            "kepentingan pribadi, kelompok, atau partai politik.",
        ),
    ),
    CompetencySeed(
        "M.06",
        _M,
        "Pengembangan Diri dan Orang Lain",
        "Kemampuan untuk meningkatkan pengetahuan dan menyempurnakan keterampilan diri; menginspirasi orang lain "
        "untuk mengembangkan dan menyempurnakan pengetahuan dan keterampilan yang relevan dengan kerja dan "
        "pengembangan karier jangka panjang, mendorong kemauan belajar sepanjang hidup, memberikan saran, "
        "bantuan, umpan balik, dan bimbingan untuk membantu orang lain mengembangkan potensi dirinya.",
        (
            "Pengembangan diri.",
            "Meningkatkan kemampuan bawahan dengan memberikan contoh dan penjelasan cara melaksanakan suatu pekerjaan.",
            "Memberikan umpan balik dan membimbing.",
            "Menyusun program pengembangan jangka panjang dalam rangka mendorong manajemen pembelajaran.",
            "Menciptakan situasi yang mendorong organisasi untuk mengembangkan kemampuan belajar secara "
            "berkelanjutan dalam rangka mendukung pencapaian hasil.",
        ),
    ),
    CompetencySeed(
        "M.07",
        _M,
        "Mengelola Perubahan",
        "Kemampuan dalam menyesuaikan diri dengan situasi yang baru atau berubah dan tidak bergantung secara "
        "berlebihan pada metode dan proses lama, mengambil tindakan untuk mendukung dan melaksanakan inisiatif "
        "perubahan, memimpin usaha perubahan, mengambil tanggung jawab pribadi untuk memastikan perubahan "
        "berhasil diimplementasikan secara efektif.",
        (
            "Mengikuti perubahan dengan arahan.",
            "Proaktif beradaptasi mengikuti perubahan.",
            "Membantu orang lain mengikuti perubahan dan mengantisipasi perubahan secara tepat.",
            "Memimpin perubahan pada unit kerja.",
            "Memimpin, menggalang, dan menggerakkan dukungan pemangku kepentingan untuk menjalankan perubahan "
            "secara berkelanjutan pada tingkat instansi atau nasional.",
        ),
    ),
    CompetencySeed(
        "M.08",
        _M,
        "Pengambilan Keputusan",
        "Kemampuan membuat keputusan yang baik secara tepat waktu dan dengan keyakinan diri setelah "
        "mempertimbangkan prinsip kehati-hatian, dirumuskan secara sistematis dan saksama berdasarkan berbagai "
        "informasi, alternatif pemecahan masalah, dan konsekuensinya, serta bertanggung jawab atas keputusan "
        "yang diambil.",
        (
            "Mengumpulkan informasi untuk bertindak sesuai kewenangan.",
            "Menganalisis masalah secara mendalam.",
            "Membandingkan berbagai alternatif dan menyeimbangkan risiko keberhasilan dalam implementasi.",
            "Menyelesaikan masalah yang mengandung risiko tinggi, mengantisipasi dampak keputusan, membuat "
            "tindakan pengamanan, dan memitigasi risiko.",
            "Menghasilkan solusi dan mengambil keputusan untuk mengatasi permasalahan jangka panjang atau "
            "strategis yang berdampak nasional.",
        ),
    ),
    CompetencySeed(
        "SK.01",
        _SK,
        "Perekat Bangsa",
        "Kemampuan dalam mempromosikan sikap toleransi, keterbukaan, peka terhadap perbedaan individu dan "
        "kelompok masyarakat; mampu menjadi perpanjangan tangan pemerintah dalam mempersatukan masyarakat dan "
        "membangun hubungan sosial psikologis dengan masyarakat di tengah kemajemukan Indonesia sehingga "
        "menciptakan kelekatan yang kuat antara ASN dan para pemangku kepentingan serta di antara para pemangku "
        "kepentingan itu sendiri; menjaga, mengembangkan, dan mewujudkan rasa persatuan dan kesatuan dalam "
        "kehidupan bermasyarakat, berbangsa, dan bernegara Indonesia.",
        (
            "Peka memahami dan menerima kemajemukan.",
            "Aktif mengembangkan sikap saling menghargai, menekankan persamaan dan persatuan.",
            "Mempromosikan dan mengembangkan sikap toleransi dan persatuan.",
            "Mendayagunakan perbedaan secara konstruktif dan kreatif untuk meningkatkan efektivitas organisasi.",
            "Menjadi wakil pemerintah untuk membangun hubungan sosial psikologis.",
        ),
    ),
)

TECHNICAL: tuple[CompetencySeed, ...] = (
    CompetencySeed(
        "T.KES.01",
        _T,
        "Pelayanan Kesehatan",
        "Kemampuan memberikan pelayanan kesehatan perorangan dan masyarakat yang aman, bermutu, dan sesuai "
        "standar pelayanan, standar profesi, serta standar prosedur operasional di puskesmas, RSUD, dan "
        "jejaringnya.",
        (
            "Mampu melaksanakan tindakan pelayanan kesehatan dasar sesuai standar prosedur operasional di bawah "
            "supervisi.",
            "Mampu memberikan pelayanan kesehatan secara mandiri sesuai standar profesi, termasuk edukasi pasien "
            "dan pencatatan rekam medis yang lengkap.",
            "Mampu mengoordinasikan pelayanan kesehatan di unit layanan, menerapkan keselamatan pasien, dan "
            "menangani kasus yang kompleks.",
            "Mampu mengevaluasi mutu dan kinerja pelayanan kesehatan, menganalisis indikator mutu, dan menyusun "
            "rencana perbaikan berkelanjutan.",
            "Mampu merumuskan kebijakan dan strategi pelayanan kesehatan daerah yang terintegrasi, termasuk sistem "
            "rujukan dan akreditasi fasilitas kesehatan.",
        ),
    ),
    CompetencySeed(
        "T.KEU.01",
        _T,
        "Pengelolaan Keuangan Daerah",
        "Kemampuan merencanakan, menatausahakan, melaporkan, dan mempertanggungjawabkan keuangan daerah sesuai "
        "PP 12/2019 dan Standar Akuntansi Pemerintahan, termasuk penggunaan SIPD.",
        (
            "Mampu menatausahakan dokumen keuangan (SPP, SPM, bukti transaksi) sesuai prosedur dengan bimbingan.",
            "Mampu melaksanakan penatausahaan dan pembukuan keuangan perangkat daerah secara mandiri, termasuk "
            "rekonsiliasi dan laporan bulanan.",
            "Mampu menyusun laporan keuangan perangkat daerah sesuai Standar Akuntansi Pemerintahan dan "
            "menganalisis realisasi anggaran.",
            "Mampu mengevaluasi pengelolaan keuangan lintas perangkat daerah, menindaklanjuti temuan pemeriksaan, "
            "dan menyusun laporan keuangan pemerintah daerah.",
            "Mampu merumuskan kebijakan pengelolaan keuangan daerah yang menjaga akuntabilitas, opini WTP, dan "
            "kesinambungan fiskal daerah.",
        ),
    ),
    CompetencySeed(
        "T.PBJ.01",
        _T,
        "Pengadaan Barang/Jasa Pemerintah",
        "Kemampuan merencanakan dan melaksanakan pengadaan barang/jasa pemerintah yang efisien, efektif, "
        "transparan, dan akuntabel sesuai Perpres 16/2018 beserta perubahannya, melalui SPSE dan katalog "
        "elektronik.",
        (
            "Memahami prinsip, etika, dan tahapan pengadaan barang/jasa serta mampu menyiapkan dokumen "
            "administrasi pengadaan.",
            "Mampu melaksanakan pengadaan langsung, e-purchasing katalog elektronik, dan penyusunan HPS secara "
            "mandiri.",
            "Mampu melaksanakan pemilihan penyedia melalui tender atau seleksi, menyusun spesifikasi teknis, dan "
            "mengelola kontrak.",
            "Mampu mengendalikan risiko pengadaan, menangani sanggah dan permasalahan kontrak, serta mendampingi "
            "perangkat daerah.",
            "Mampu merumuskan strategi pengadaan daerah, termasuk konsolidasi pengadaan dan peningkatan "
            "penggunaan produk dalam negeri serta usaha mikro dan kecil.",
        ),
    ),
    CompetencySeed(
        "T.ARS.01",
        _T,
        "Pengelolaan Kearsipan",
        "Kemampuan mengelola arsip dinamis dan statis sesuai UU 43/2009, mulai dari penciptaan, penggunaan, "
        "pemeliharaan, dan penyusutan hingga pelestarian dan akses arsip, termasuk arsip elektronik melalui "
        "SRIKANDI.",
        (
            "Mampu melakukan pencatatan, pemberkasan, dan penyimpanan arsip aktif sesuai klasifikasi arsip.",
            "Mampu mengelola arsip inaktif, menyusun daftar arsip, dan menggunakan aplikasi SRIKANDI secara mandiri.",
            "Mampu melaksanakan penilaian dan penyusutan arsip berdasarkan jadwal retensi arsip serta membina "
            "kearsipan di unit kerja.",
            "Mampu mengevaluasi penyelenggaraan kearsipan perangkat daerah serta melakukan akuisisi dan "
            "preservasi arsip statis.",
            "Mampu merumuskan kebijakan dan sistem kearsipan daerah, termasuk penyelamatan arsip vital dan arsip "
            "bernilai sejarah.",
        ),
    ),
    CompetencySeed(
        "T.SPBE.01",
        _T,
        "Tata Kelola SPBE dan Teknologi Informasi",
        "Kemampuan merencanakan, membangun, mengoperasikan, dan mengevaluasi layanan Sistem Pemerintahan "
        "Berbasis Elektronik sesuai Perpres 95/2018, meliputi arsitektur, aplikasi, infrastruktur, dan "
        "manajemen layanan TI.",
        (
            "Mampu mengoperasikan aplikasi dan perangkat TI kantor serta menangani gangguan sederhana sesuai prosedur.",
            "Mampu mengelola aplikasi, basis data, atau jaringan secara mandiri dan mendokumentasikan layanan TI.",
            "Mampu merancang dan mengembangkan aplikasi atau infrastruktur sesuai arsitektur SPBE serta "
            "memastikan interoperabilitas data.",
            "Mampu mengevaluasi tingkat kematangan SPBE serta mengelola manajemen layanan dan risiko SPBE lintas "
            "perangkat daerah.",
            "Mampu menyusun arsitektur dan peta rencana SPBE daerah serta merumuskan kebijakan transformasi "
            "digital pemerintah daerah.",
        ),
    ),
    CompetencySeed(
        "T.SPBE.02",
        _T,
        "Keamanan Informasi",
        "Kemampuan melindungi kerahasiaan, keutuhan, dan ketersediaan informasi serta sistem elektronik "
        "pemerintah daerah, termasuk pelindungan data pribadi dan penanganan insiden siber.",
        (
            "Memahami dan menerapkan praktik keamanan informasi dasar: kata sandi yang kuat, mengenali phishing, "
            "dan melaporkan insiden.",
            "Mampu menerapkan kontrol keamanan pada aplikasi, jaringan, dan perangkat, serta melakukan "
            "pencadangan dan pemulihan data.",
            "Mampu menilai kerentanan dan risiko keamanan informasi serta menangani insiden siber di unit kerja.",
            "Mampu mengelola sistem manajemen keamanan informasi lintas perangkat daerah dan mengoordinasikan tim "
            "tanggap insiden siber (CSIRT).",
            "Mampu merumuskan kebijakan dan strategi keamanan informasi serta pelindungan data pribadi di "
            "lingkungan pemerintah daerah.",
        ),
    ),
    CompetencySeed(
        "T.BUD.01",
        _T,
        "Pelestarian Cagar Budaya dan Permuseuman",
        "Kemampuan melindungi, mengembangkan, dan memanfaatkan cagar budaya serta mengelola museum sesuai "
        "UU 11/2010, termasuk kawasan Warisan Tambang Batubara Ombilin Sawahlunto yang ditetapkan UNESCO sebagai "
        "Warisan Dunia.",
        (
            "Mampu melakukan pendataan, pemeliharaan, dan perawatan rutin benda, bangunan, serta koleksi museum "
            "sesuai pedoman.",
            "Mampu melaksanakan registrasi dan inventarisasi koleksi serta pemanduan edukatif di museum atau situs "
            "cagar budaya.",
            "Mampu menyusun kajian pelestarian, rencana tata pamer, dan program publik museum serta menilai "
            "kondisi cagar budaya.",
            "Mampu mengoordinasikan pengelolaan kawasan cagar budaya bersama pemangku kepentingan dan memantau "
            "pelaksanaan rencana pengelolaan Warisan Dunia.",
            "Mampu merumuskan kebijakan pelestarian dan pemanfaatan cagar budaya daerah yang berkelanjutan dan "
            "selaras dengan komitmen Warisan Dunia.",
        ),
    ),
    CompetencySeed(
        "T.PAR.01",
        _T,
        "Pengembangan Destinasi Pariwisata",
        "Kemampuan mengembangkan destinasi, produk, dan pemasaran pariwisata daerah berbasis potensi lokal, "
        "seperti wisata sejarah tambang, songket Silungkang, dan ekonomi kreatif, dengan melibatkan masyarakat.",
        (
            "Mampu memberikan informasi dan pelayanan dasar kepada wisatawan serta mendata kunjungan wisata.",
            "Mampu melaksanakan promosi, mengelola daya tarik wisata, dan membina kelompok sadar wisata.",
            "Mampu merancang paket dan event wisata, menganalisis data kunjungan, serta mengembangkan kemitraan "
            "dengan pelaku usaha.",
            "Mampu mengevaluasi kinerja destinasi pariwisata dan mengoordinasikan pengembangan destinasi lintas "
            "sektor.",
            "Mampu merumuskan rencana induk dan kebijakan pembangunan kepariwisataan daerah yang berdaya saing "
            "dan berkelanjutan.",
        ),
    ),
    CompetencySeed(
        "T.PDK.01",
        _T,
        "Pembelajaran dan Pengelolaan Pendidikan",
        "Kemampuan merencanakan, melaksanakan, dan menilai pembelajaran yang berpusat pada peserta didik sesuai "
        "Kurikulum Merdeka, serta mengelola satuan pendidikan.",
        (
            "Mampu melaksanakan pembelajaran sesuai modul ajar yang tersedia dan melakukan penilaian sederhana "
            "dengan bimbingan.",
            "Mampu menyusun modul ajar serta menerapkan pembelajaran berdiferensiasi dan asesmen formatif secara "
            "mandiri.",
            "Mampu menganalisis hasil asesmen untuk perbaikan pembelajaran dan membimbing rekan sejawat dalam "
            "komunitas belajar.",
            "Mampu memimpin pengembangan kurikulum operasional dan peningkatan mutu pembelajaran di satuan pendidikan.",
            "Mampu merumuskan kebijakan peningkatan mutu pendidikan daerah berdasarkan data rapor pendidikan.",
        ),
    ),
    CompetencySeed(
        "T.BEN.01",
        _T,
        "Penanggulangan Bencana",
        "Kemampuan melaksanakan penanggulangan bencana pada tahap prabencana, tanggap darurat, dan pascabencana "
        "sesuai UU 24/2007, termasuk risiko longsor, banjir, dan kebakaran di kawasan bekas tambang.",
        (
            "Mampu melaksanakan tugas operasional kebencanaan sesuai prosedur tetap, seperti pendataan dan "
            "evakuasi, di bawah komando.",
            "Mampu melaksanakan kaji cepat, distribusi logistik, dan sosialisasi pengurangan risiko bencana "
            "secara mandiri.",
            "Mampu menyusun kajian risiko bencana dan rencana kontinjensi serta mengoordinasikan posko tanggap "
            "darurat.",
            "Mampu memimpin penanganan darurat bencana lintas instansi serta menyusun rencana rehabilitasi dan "
            "rekonstruksi.",
            "Mampu merumuskan kebijakan dan rencana penanggulangan bencana daerah yang terintegrasi dengan "
            "rencana pembangunan.",
        ),
    ),
    CompetencySeed(
        "T.REN.01",
        _T,
        "Perencanaan Pembangunan Daerah",
        "Kemampuan menyusun, mengendalikan, dan mengevaluasi dokumen perencanaan pembangunan daerah (RPJPD, "
        "RPJMD, RKPD, serta Renstra dan Renja perangkat daerah) sesuai Permendagri 86/2017, termasuk "
        "penggunaan SIPD.",
        (
            "Mampu mengumpulkan dan mengolah data serta bahan penyusunan dokumen perencanaan sesuai format yang "
            "ditetapkan.",
            "Mampu menyusun rancangan Renja perangkat daerah dan memfasilitasi musrenbang kelurahan, desa, atau "
            "kecamatan.",
            "Mampu menganalisis permasalahan pembangunan, menyusun indikator kinerja, dan menyelaraskan program "
            "dengan prioritas daerah.",
            "Mampu mengendalikan dan mengevaluasi pelaksanaan rencana pembangunan daerah serta merekomendasikan "
            "perbaikan kebijakan.",
            "Mampu merumuskan visi, arah kebijakan, dan strategi pembangunan jangka menengah dan panjang daerah.",
        ),
    ),
    CompetencySeed(
        "T.IZN.01",
        _T,
        "Pelayanan Perizinan Berusaha",
        "Kemampuan menyelenggarakan pelayanan perizinan dan nonperizinan berbasis risiko melalui OSS dan "
        "pelayanan terpadu satu pintu yang cepat, mudah, dan transparan.",
        (
            "Mampu menerima dan memeriksa kelengkapan berkas permohonan perizinan serta memberikan informasi layanan.",
            "Mampu memproses permohonan perizinan melalui OSS dan aplikasi daerah secara mandiri sesuai standar "
            "pelayanan.",
            "Mampu melakukan verifikasi teknis, menangani pengaduan, dan mengoordinasikan tim teknis perizinan.",
            "Mampu mengevaluasi kinerja layanan perizinan, mengawasi perizinan berbasis risiko, dan "
            "menyederhanakan prosedur.",
            "Mampu merumuskan kebijakan kemudahan berusaha dan iklim investasi daerah.",
        ),
    ),
    CompetencySeed(
        "T.ASN.01",
        _T,
        "Manajemen ASN",
        "Kemampuan menyelenggarakan manajemen ASN berbasis sistem merit sesuai UU 20/2023, meliputi perencanaan "
        "kebutuhan, pengadaan, pengembangan kompetensi, manajemen kinerja, karier, dan pengelolaan data "
        "kepegawaian di SIASN.",
        (
            "Mampu menatausahakan dokumen dan data kepegawaian serta memperbarui data pegawai di SIASN sesuai "
            "prosedur.",
            "Mampu memproses layanan kepegawaian (kenaikan pangkat, mutasi, cuti, pensiun) dan mencatat "
            "pengembangan kompetensi secara mandiri.",
            "Mampu melakukan analisis jabatan, analisis beban kerja, dan analisis kebutuhan pengembangan kompetensi.",
            "Mampu mengelola manajemen talenta, penilaian kinerja, dan pemetaan kompetensi pegawai lintas "
            "perangkat daerah.",
            "Mampu merumuskan kebijakan manajemen ASN daerah berbasis sistem merit dan rencana pengembangan SDM "
            "jangka menengah.",
        ),
    ),
    CompetencySeed(
        "T.DAT.01",
        _T,
        "Statistik Sektoral dan Tata Kelola Data",
        "Kemampuan mengumpulkan, mengolah, menganalisis, dan menyebarluaskan data statistik sektoral sesuai "
        "prinsip Satu Data Indonesia (Perpres 39/2019): standar data, metadata, interoperabilitas, dan kode "
        "referensi.",
        (
            "Mampu mengumpulkan dan memasukkan data sesuai formulir dan standar data yang ditetapkan.",
            "Mampu mengolah data, menyusun tabel dan metadata statistik sektoral, serta memeriksa kualitas data.",
            "Mampu menganalisis dan menyajikan data statistik sebagai bahan perumusan kebijakan dan publikasi.",
            "Mampu mengoordinasikan walidata dan produsen data lintas perangkat daerah serta mengevaluasi "
            "penyelenggaraan statistik sektoral.",
            "Mampu merumuskan kebijakan tata kelola data daerah dan pemanfaatan data untuk pengambilan keputusan "
            "berbasis bukti.",
        ),
    ),
    CompetencySeed(
        "T.TIB.01",
        _T,
        "Penegakan Peraturan Daerah",
        "Kemampuan menegakkan peraturan daerah dan peraturan kepala daerah, menyelenggarakan ketertiban umum dan "
        "ketenteraman masyarakat, serta pelindungan masyarakat secara humanis sesuai PP 16/2018.",
        (
            "Mampu melaksanakan patroli, pengamanan, dan penjagaan sesuai prosedur operasional standar di bawah "
            "komando.",
            "Mampu melakukan sosialisasi perda, penertiban, dan pembinaan pelanggar secara persuasif dan mandiri.",
            "Mampu memimpin regu operasi penertiban, menyusun berita acara, dan melaksanakan tindakan penegakan "
            "perda nonyustisial.",
            "Mampu merencanakan dan mengevaluasi operasi penegakan perda lintas instansi serta menangani konflik "
            "di lapangan.",
            "Mampu merumuskan kebijakan ketenteraman, ketertiban umum, dan pelindungan masyarakat daerah.",
        ),
    ),
)

CATALOGUE: tuple[CompetencySeed, ...] = MANAGERIAL_AND_SOCIO_CULTURAL + TECHNICAL


def _sync_levels(competency: Competency, seed: CompetencySeed) -> bool:
    existing = {level.level: level for level in competency.levels}
    changed = False
    for number, text in zip(LEVELS, seed.levels, strict=True):
        if number not in existing:
            competency.levels.append(CompetencyLevel(level=number, description=text))
            changed = True
        elif existing[number].description != text:
            existing[number].description = text
            changed = True
    return changed


def _upsert(seed: CompetencySeed, existing: Competency | None) -> str:
    if existing is None:
        levels = [CompetencyLevel(level=n, description=text) for n, text in zip(LEVELS, seed.levels, strict=True)]
        db.session.add(
            Competency(
                code=seed.code, category=seed.category, name=seed.name, description=seed.description, levels=levels
            )
        )
        return "created"
    wanted = {"category": seed.category, "name": seed.name, "description": seed.description}
    changed = {key: value for key, value in wanted.items() if getattr(existing, key) != value}
    for key, value in changed.items():
        setattr(existing, key, value)
    levels_changed = _sync_levels(existing, seed)
    return "updated" if changed or levels_changed else "unchanged"


def upsert_catalogue(seeds: tuple[CompetencySeed, ...] = CATALOGUE) -> Counter[str]:
    """Create or update the seeded competencies and commit; returns counts of "created", "updated", "unchanged"."""
    codes = [seed.code for seed in seeds]
    stmt = select(Competency).where(Competency.code.in_(codes)).options(selectinload(Competency.levels))
    existing = {competency.code: competency for competency in db.session.scalars(stmt)}
    counts: Counter[str] = Counter(_upsert(seed, existing.get(seed.code)) for seed in seeds)
    db.session.commit()
    return counts
