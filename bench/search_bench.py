"""Search benchmark: indexing rate, rebuild time, index size, query latency with highlights, update delay.

Synthetic Indonesian documents (~300 words) built from an affix-rich vocabulary; realistic queries of 1-3
words, some with typos, some quoted. Not a test: run with ``make bench`` or
``.venv/bin/python bench/run.py search --sizes 1000,10000,50000 --rounds 3``; ``--backend postgresql --pg-url URL``
(or ``BENCH_DATABASE_URL``) measures the PostgreSQL backend (``search_bench_pg``), ``--backend both`` both.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import resource
import statistics
import tempfile
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta

from portal import create_app
from portal.extensions import db
from portal.search import registry, services
from portal.search.registry import MEMBERS, DocumentType, SearchDocument
from portal.search.whoosh_backend import BackendQuery, WhooshBackend, close_all

ROOTS = {
    "latih": ["pelatihan", "melatih", "dilatih", "latihan", "terlatih"],
    "layan": ["pelayanan", "layanan", "melayani", "dilayani"],
    "kembang": ["pengembangan", "dikembangkan", "berkembang", "mengembangkan"],
    "pegawai": ["pegawai", "kepegawaian"],
    "pimpin": ["kepemimpinan", "pemimpin", "memimpin", "pimpinan"],
    "nilai": ["penilaian", "menilai", "dinilai", "nilai"],
    "kerja": ["kinerja", "pekerjaan", "bekerja"],
    "ajar": ["pembelajaran", "belajar", "mengajar", "pelajaran"],
    "kelola": ["pengelolaan", "mengelola", "dikelola"],
    "rencana": ["perencanaan", "merencanakan", "rencana"],
    "awas": ["pengawasan", "mengawasi", "pengawas"],
    "arsip": ["kearsipan", "arsip", "pengarsipan"],
    "sehat": ["kesehatan", "sehat", "menyehatkan"],
    "didik": ["pendidikan", "pendidik", "mendidik"],
    "lapor": ["laporan", "melaporkan", "pelaporan"],
    "ukur": ["pengukuran", "mengukur", "ukuran"],
}
NOUNS = [
    "warga",
    "kota",
    "kecamatan",
    "kelurahan",
    "desa",
    "dinas",
    "unit",
    "kantor",
    "loket",
    "aplikasi",
    "data",
    "sistem",
    "anggaran",
    "program",
    "kegiatan",
    "sasaran",
    "indikator",
    "target",
    "atasan",
    "staf",
    "tim",
    "rapat",
    "agenda",
    "dokumen",
    "surat",
    "naskah",
    "formasi",
    "jabatan",
    "pangkat",
    "cuti",
    "disiplin",
    "integritas",
    "etika",
    "budaya",
    "inovasi",
    "mutu",
    "standar",
    "prosedur",
    "jadwal",
    "laporan",
    "bukti",
    "sertifikat",
    "modul",
    "materi",
    "narasumber",
    "peserta",
    "mentor",
    "coaching",
    "komunitas",
    "museum",
    "tambang",
    "songket",
    "wisata",
    "pasar",
    "usaha",
    "koperasi",
    "pangan",
    "bencana",
    "banjir",
    "relawan",
    "posko",
    "puskesmas",
    "imunisasi",
    "guru",
    "siswa",
    "sekolah",
    "perpustakaan",
    "jalan",
    "jembatan",
    "air",
    "listrik",
]
ACRONYMS = ["SKP", "SPBE", "ASN", "PNS", "PPPK", "OPD", "BKPSDM", "JP", "SIASN", "UMKM"]
FILLER = [
    "dan",
    "yang",
    "untuk",
    "dengan",
    "pada",
    "dalam",
    "agar",
    "serta",
    "oleh",
    "bagi",
    "secara",
    "tentang",
    "setiap",
]
TYPOS = {"kepemimpinan": "kepemimpnan", "pelayanan": "pelayann", "pengembangan": "pengembngan", "kinerja": "kinrja"}


def _vocabulary(size: int = 6000, seed: int = 3) -> list[str]:
    """Real words first, then made-up but plausible ones: a Zipf-shaped lexicon like real text has."""
    rng = random.Random(seed)
    words = [form for forms in ROOTS.values() for form in forms] + NOUNS
    syllables = [
        "ba",
        "be",
        "bi",
        "bu",
        "da",
        "di",
        "du",
        "ga",
        "gi",
        "ka",
        "ke",
        "ku",
        "la",
        "li",
        "lu",
        "ma",
        "me",
        "mi",
        "mu",
        "na",
        "ni",
        "nu",
        "pa",
        "pe",
        "ra",
        "ri",
        "ru",
        "sa",
        "si",
        "su",
        "ta",
        "ti",
        "tu",
    ]
    while len(words) < size:
        word = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
        if word not in words:
            words.append(word + rng.choice(("", "an", "kan", "nya")))
    rng.shuffle(words)
    return words


VOCABULARY = _vocabulary()
ZIPF_WEIGHTS = [1 / rank for rank in range(1, len(VOCABULARY) + 1)]


def _word(rng: random.Random) -> str:
    pick = rng.random()
    if pick < 0.04:
        return rng.choice(ACRONYMS)
    if pick < 0.30:
        return rng.choice(FILLER)
    return rng.choices(VOCABULARY, cum_weights=_CUMULATIVE)[0]


_CUMULATIVE = list(itertools.accumulate(ZIPF_WEIGHTS))


def make_documents(count: int, seed: int = 7) -> Iterator[SearchDocument]:
    rng = random.Random(seed)
    start = datetime(2023, 1, 1, tzinfo=UTC)
    for doc_id in range(1, count + 1):
        title = " ".join(_word(rng) for _ in range(6)).capitalize()
        summary = " ".join(_word(rng) for _ in range(20))
        body = ". ".join(" ".join(_word(rng) for _ in range(14)).capitalize() for _ in range(20))
        yield SearchDocument(
            doc_type="article",
            doc_id=doc_id,
            title=title,
            url=f"/artikel/{doc_id}",
            created_at=start + timedelta(hours=doc_id),
            summary=summary,
            body=body,
            unit_id=rng.randint(1, 30),
            author_id=rng.randint(1, 500),
            competency_ids=(rng.randint(1, 9),),
            audience=frozenset({MEMBERS}),
        )


def make_queries(count: int, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    queries = []
    for n in range(count):
        size = rng.choice((1, 2, 2, 2, 3, 3))
        words = [
            rng.choice(VOCABULARY[:800]) if rng.random() < 0.5 else rng.choice(rng.choice(list(ROOTS.values())))
            for _ in range(size)
        ]
        words = [w for w in words if w not in FILLER] or ["pelatihan"]
        if n % 10 == 0:
            words = [TYPOS.get(w, w) for w in words] + [rng.choice(list(TYPOS.values()))]
        query = " ".join(words)
        queries.append(f'"{query}"' if n % 15 == 0 and len(words) > 1 else query)
    return queries


def _dir_size(path: str) -> int:
    return sum(os.path.getsize(os.path.join(root, name)) for root, _dirs, files in os.walk(path) for name in files)


def _percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def measure_queries(backend: WhooshBackend, queries: list[str]) -> dict[str, float]:
    """Wall-clock and CPU latency (ms) of backend searches as services.search() makes them (all document types
    named). CPU time is the figure to trust when other processes share the machine."""
    audiences = frozenset({"public", MEMBERS, "user:1", "unit:3", "role:member"})
    wall, cpu = [], []
    for query in queries:
        words, phrases = services.parse_query(query)
        request = BackendQuery(words=words, phrases=phrases, audiences=audiences, doc_types=("article",), per_page=10)
        started, started_cpu = time.perf_counter(), time.process_time()
        backend.search(request)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return {
        "p50_ms": statistics.median(wall),
        "p95_ms": _percentile(wall, 0.95),
        "cpu_p50_ms": statistics.median(cpu),
        "cpu_p95_ms": _percentile(cpu, 0.95),
    }


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure_update_delay(root: str, size: int, samples: int = 20) -> float:
    """Commit an outbox row in SQLite, apply it as the after-request hook does, time until it is searchable."""
    store: dict[int, SearchDocument] = {}
    bench_type = DocumentType(
        name="article",
        label="Artikel",
        load_all=lambda: iter(()),
        load_by_ids=lambda ids: [store[i] for i in ids if i in store],
        visible_ids=lambda user, ids: set(ids),
    )
    with tempfile.TemporaryDirectory() as instance:
        app = create_app(
            {
                "PORTAL_CONFIG": "testing",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance}/bench.sqlite3",
                "SEARCH_INDEX_DIR": root,
            }
        )
        registry.register(bench_type)
        delays = []
        with app.app_context():
            db.create_all()
            base = SearchDocument(
                doc_type="article",
                doc_id=0,
                title="",
                url="/",
                created_at=datetime.now(UTC),
                audience=frozenset({"public"}),
            )
            for n in range(samples):
                doc_id = size + 1 + n
                marker = f"penandaunik{n}x"
                store[doc_id] = SearchDocument(**{**base.__dict__, "doc_id": doc_id, "title": f"Dokumen {marker}"})
                services.queue("article", doc_id)
                db.session.commit()
                started = time.perf_counter()
                services.apply_after_request()
                while not services.search(marker, services.SearchFilters(), None).hits:
                    time.sleep(0.001)
                delays.append((time.perf_counter() - started) * 1000)
            db.session.remove()
            db.engine.dispose()
        registry.unregister("article")
    return statistics.median(delays)


def run_size(size: int, rounds: int, queries: list[str], procs: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as root:
        backend = WhooshBackend(root)
        started, started_cpu, children_cpu = time.perf_counter(), time.process_time(), _children_cpu()
        backend.rebuild(make_documents(size), lock_timeout=10, procs=procs)
        rebuild_seconds = time.perf_counter() - started
        rebuild_cpu = time.process_time() - started_cpu + _children_cpu() - children_cpu
        size_mb = _dir_size(root) / 1e6
        rounds_measured = [measure_queries(backend, queries) for _ in range(rounds)]
        delay = measure_update_delay(root, size)
        close_all()
    return {
        "docs": size,
        "rebuild_s": rebuild_seconds,
        "docs_per_s": size / rebuild_seconds,
        "rebuild_cpu_s": rebuild_cpu,
        "size_mb": size_mb,
        **{key: statistics.median(r[key] for r in rounds_measured) for key in rounds_measured[0]},
        "update_delay_ms": delay,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--rounds", type=int, default=3, help="query rounds per size; medians are reported")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--procs", type=int, default=2, help="indexing processes for the rebuild")
    parser.add_argument("--backend", choices=("whoosh", "postgresql", "both"), default=None)
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_DATABASE_URL"), help="a PostgreSQL server")
    args = parser.parse_args(argv)
    queries = make_queries(args.queries)
    backend = args.backend or ("both" if args.pg_url else "whoosh")
    if backend in ("postgresql", "both"):
        if not args.pg_url:
            parser.error("--pg-url (or BENCH_DATABASE_URL) is needed for the PostgreSQL backend")
        from bench.search_bench_pg import report

        sizes = [int(s) for s in args.sizes.split(",")]
        report(args.pg_url, sizes, args.rounds, queries, make_documents)
        if backend == "postgresql":
            return
        print("Whoosh backend")
    print(
        f"{'docs':>7} {'rebuild s':>10} {'docs/s':>8} {'cpu s':>7} {'MB':>7} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'cpu p50':>8} {'cpu p95':>8} {'update ms':>10}"
    )
    for size in (int(s) for s in args.sizes.split(",")):
        row = run_size(size, args.rounds, queries, args.procs)
        print(
            f"{row['docs']:>7} {row['rebuild_s']:>10.1f} {row['docs_per_s']:>8.0f} {row['rebuild_cpu_s']:>7.1f} "
            f"{row['size_mb']:>7.1f} {row['p50_ms']:>7.1f} {row['p95_ms']:>7.1f} {row['cpu_p50_ms']:>8.1f} "
            f"{row['cpu_p95_ms']:>8.1f} {row['update_delay_ms']:>10.0f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
