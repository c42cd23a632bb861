"""City-scale data for the load benchmark: users, articles, forum threads, workshops, and the search index.

Rows go in with SQLAlchemy Core ``insert`` in batches (explicit ids, so no RETURNING round trips), every
password is the same precomputed hash, and all randomness comes from one seeded ``random.Random``: the same
scale and seed give the same rows (dates are relative to the day of the run, so workshops stay upcoming).

City scale: 3,000 users, 20,000 articles (tags, competencies, comments, votes), 100,000 forum posts in
threads of 25, 500 workshops with 20,000 registrations. ``small`` is 1/20 of that.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import escape
from typing import Any
from urllib.parse import quote

from sqlalchemy import Table, func, insert, select, text
from werkzeug.security import generate_password_hash

from bench.search_bench import ACRONYMS, FILLER, VOCABULARY
from portal.accounts.models import EmploymentStatus, User
from portal.articles.models import (
    Article,
    ArticleComment,
    ArticleStatus,
    ArticleVote,
    Tag,
    article_competencies,
    article_tags,
)
from portal.competencies.models import Competency
from portal.competencies.seed import upsert_catalogue
from portal.core.markdown import RENDERER_VERSION
from portal.core.permissions import Role
from portal.extensions import db
from portal.forums.models import ForumCategory, ForumLike, ForumPost, ForumThread, Visibility
from portal.learning.models import DevelopmentType, LearningRecord, LearningSource, LearningStatus
from portal.learning.seed import upsert_development_types
from portal.search import services as search
from portal.units.models import Unit, UnitHead
from portal.units.seed import upsert_units
from portal.workshops.models import (
    ApprovalMode,
    Registration,
    RegistrationStatus,
    Workshop,
    WorkshopSession,
    WorkshopStatus,
    workshop_competencies,
)

BENCH_NIP = "199001012020011001"  # the member the load benchmark logs in as
BENCH_PASSWORD = "Beban#Uji2026"  # noqa: S105 - synthetic benchmark account
BATCH = 5000
POSTS_PER_THREAD = 25
SENTENCE_POOL = 4000


@dataclass(frozen=True)
class Scale:
    users: int
    articles: int
    tags: int
    comments: int
    votes: int
    threads: int
    likes: int
    workshops: int
    registrations: int

    @property
    def posts(self) -> int:
        return self.threads * POSTS_PER_THREAD


CITY = Scale(
    users=3000,
    articles=20_000,
    tags=300,
    comments=10_000,
    votes=40_000,
    threads=4000,
    likes=20_000,
    workshops=500,
    registrations=20_000,
)
SCALES = {
    "city": CITY,
    "small": Scale(**{name: max(1, value // 20) for name, value in vars(CITY).items()}),
}
FIRST_NAMES = ("Andi", "Budi", "Citra", "Dewi", "Eka", "Fajar", "Gita", "Hendra", "Indah", "Joko", "Kartika", "Lina")
FIRST_NAMES += ("Mega", "Nanda", "Oki", "Putri", "Rahmat", "Sari", "Taufik", "Utami", "Vivi", "Wahyu", "Yuni", "Zul")
LAST_NAMES = ("Saputra", "Lestari", "Pratama", "Wulandari", "Hidayat", "Rahmawati", "Syahputra", "Anggraini")
LAST_NAMES += ("Putra", "Permata", "Nasution", "Siregar", "Chaniago", "Piliang", "Koto", "Tanjung", "Sikumbang")
POSITIONS = ("Analis Kebijakan", "Pranata Komputer", "Arsiparis", "Perencana", "Auditor", "Guru", "Perawat", "Staf")
FORUM_CATEGORIES = (
    ("umum", "Umum"),
    ("pelayanan-publik", "Pelayanan Publik"),
    ("kepegawaian", "Kepegawaian"),
    ("teknologi", "Teknologi dan SPBE"),
    ("keuangan", "Keuangan Daerah"),
    ("kesehatan", "Kesehatan"),
    ("pendidikan", "Pendidikan"),
    ("pengawasan", "Pengawasan"),
    ("perencanaan", "Perencanaan"),
    ("tanya-bkpsdm", "Tanya BKPSDM"),
)


@dataclass
class Generated:
    """What the benchmark needs to know about the data it just made."""

    counts: dict[str, int]
    seconds: dict[str, float]


class Text:
    """Indonesian-looking sentences from the search benchmark's lexicon, pooled so bodies cost little."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        weights = [1 / rank for rank in range(1, len(VOCABULARY) + 1)]
        self._words = rng.choices(VOCABULARY, weights=weights, k=200_000)
        self._cursor = 0
        self.sentences = [self.sentence(rng.randint(8, 18)) for _ in range(SENTENCE_POOL)]

    def word(self) -> str:
        pick = self.rng.random()
        if pick < 0.04:
            return self.rng.choice(ACRONYMS)
        if pick < 0.30:
            return self.rng.choice(FILLER)
        self._cursor = (self._cursor + 1) % len(self._words)
        return self._words[self._cursor]

    def words(self, count: int) -> str:
        return " ".join(self.word() for _ in range(count))

    def sentence(self, count: int) -> str:
        return self.words(count).capitalize() + "."

    def paragraphs(self, sentences: int, per_paragraph: int = 4) -> list[str]:
        picked = self.rng.sample(self.sentences, sentences)
        return [" ".join(picked[i : i + per_paragraph]) for i in range(0, sentences, per_paragraph)]


def markdown_and_html(paragraphs: Sequence[str]) -> tuple[str, str]:
    """Plain paragraphs render to <p> elements exactly as portal.core.markdown does."""
    return "\n\n".join(paragraphs), "".join(f"<p>{escape(p, quote=False)}</p>\n" for p in paragraphs)


def _insert(table: Table, rows: Iterable[dict[str, Any]]) -> int:
    count = 0
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            db.session.execute(insert(table), batch)
            count += len(batch)
            batch = []
    if batch:
        db.session.execute(insert(table), batch)
        count += len(batch)
    db.session.commit()
    return count


class Generator:
    def __init__(self, scale: Scale, seed: int):
        self.scale = scale
        self.rng = random.Random(seed)
        self.text = Text(self.rng)
        self.now = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        self.password_hash = generate_password_hash(BENCH_PASSWORD)
        self.unit_ids: list[int] = []
        self.competency_ids: list[int] = []
        self.type_ids: list[int] = []
        self.user_units: dict[int, int] = {}
        self.organizer_ids: list[int] = []

    def ago(self, max_days: float) -> datetime:
        return self.now - timedelta(seconds=self.rng.uniform(0, max_days * 86400))

    def user_id(self) -> int:
        return self.rng.randint(1, self.scale.users)

    # ------------------------------------------------------------ reference data and people

    def seed_reference_data(self) -> None:
        upsert_units()
        upsert_catalogue()
        upsert_development_types()
        self.unit_ids = list(db.session.scalars(select(Unit.id).order_by(Unit.id)))
        self.competency_ids = list(db.session.scalars(select(Competency.id).order_by(Competency.id)))
        self.type_ids = list(db.session.scalars(select(DevelopmentType.id).order_by(DevelopmentType.id)))

    def users(self) -> Iterator[dict[str, Any]]:
        statuses = list(EmploymentStatus)
        for user_id in range(1, self.scale.users + 1):
            role = self._role(user_id)
            if role == Role.ORGANIZER:
                self.organizer_ids.append(user_id)
            unit_id = self.unit_ids[user_id % len(self.unit_ids)]
            self.user_units[user_id] = unit_id
            name = f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"
            nip = BENCH_NIP if user_id == 1 else f"19{user_id:08d}2020011{user_id % 10}"[:18].ljust(18, "0")
            yield {
                "id": user_id,
                "nip": nip,
                "name": name,
                "handle": f"pegawai{user_id}",
                "email": f"pegawai{user_id}@sawahluntokota.go.id",
                "unit_id": unit_id,
                "position": self.rng.choice(POSITIONS),
                "employment_status": statuses[user_id % len(statuses)],
                "role": role,
                "password_hash": self.password_hash,
                "bio": "",
                "is_verified": True,
                "verified_at": self.ago(700),
                "active": True,
                "created_at": self.ago(720),
                "session_token": f"{user_id:064x}",
            }

    @staticmethod
    def _role(user_id: int) -> Role:
        if user_id == 2:
            return Role.ADMIN
        if user_id % 50 == 3:
            return Role.ORGANIZER
        if user_id % 100 == 7:
            return Role.MODERATOR
        return Role.MEMBER

    # ------------------------------------------------------------ articles

    def tags(self) -> Iterator[dict[str, Any]]:
        names = sorted({self.text.word().lower() for _ in range(self.scale.tags * 4)} - set(FILLER))
        for tag_id, name in enumerate(names[: self.scale.tags], start=1):
            yield {"id": tag_id, "slug": name, "name": name, "created_at": self.ago(700)}

    def articles(self) -> Iterator[dict[str, Any]]:
        for article_id in range(1, self.scale.articles + 1):
            author_id = self.user_id()
            paragraphs = self.text.paragraphs(self.rng.randint(12, 24))
            body_md, body_html = markdown_and_html(paragraphs)
            summary = self.text.sentence(20)[:480]
            published_at = self.ago(720)
            status = ArticleStatus.PUBLISHED if article_id % 25 else ArticleStatus.DRAFT
            yield {
                "id": article_id,
                "title": self.text.sentence(self.rng.randint(4, 9))[:-1][:200],
                "summary": summary,
                "excerpt": summary,
                "body_md": body_md,
                "body_html": body_html,
                "renderer_version": RENDERER_VERSION,
                "word_count": len(body_md.split()),
                "status": status,
                "author_id": author_id,
                "unit_id": self.user_units[author_id],
                "vote_count": 0,
                "view_count": self.rng.randint(0, 400),
                "status_note": "",
                "created_at": published_at - timedelta(hours=2),
                "updated_at": published_at,
                "published_at": published_at if status == ArticleStatus.PUBLISHED else None,
            }

    def article_links(self, column: str, choices: Sequence[int], most: int) -> Iterator[dict[str, Any]]:
        for article_id in range(1, self.scale.articles + 1):
            for linked in self.rng.sample(choices, self.rng.randint(1, most)):
                yield {"article_id": article_id, column: linked}

    def comments(self) -> Iterator[dict[str, Any]]:
        for comment_id in range(1, self.scale.comments + 1):
            body_md, body_html = markdown_and_html(self.text.paragraphs(self.rng.randint(1, 3), per_paragraph=2))
            yield {
                "id": comment_id,
                "article_id": self.rng.randint(1, self.scale.articles),
                "author_id": self.user_id(),
                "body_md": body_md,
                "body_html": body_html,
                "renderer_version": RENDERER_VERSION,
                "created_at": self.ago(365),
                "hidden_reason": "",
            }

    def votes(self) -> Iterator[dict[str, Any]]:
        pairs = self._unique_pairs(self.scale.votes, self.scale.articles, self.scale.users)
        for vote_id, (article_id, user_id) in enumerate(pairs, start=1):
            yield {"id": vote_id, "article_id": article_id, "user_id": user_id, "created_at": self.ago(365)}

    def _unique_pairs(self, count: int, left: int, right: int) -> list[tuple[int, int]]:
        pairs: set[tuple[int, int]] = set()
        while len(pairs) < min(count, left * right):
            pairs.add((self.rng.randint(1, left), self.rng.randint(1, right)))
        return sorted(pairs)

    # ------------------------------------------------------------ forums

    def forum_categories(self) -> Iterator[dict[str, Any]]:
        for position, (slug, name) in enumerate(FORUM_CATEGORIES, start=1):
            yield {
                "id": position,
                "slug": slug,
                "name": name,
                "description": self.text.sentence(12),
                "position": position,
                "visibility": Visibility.EVERYONE,
                "is_read_only": False,
                "created_at": self.now - timedelta(days=730),
            }

    def threads_and_posts(self) -> tuple[list[dict[str, Any]], Iterator[dict[str, Any]]]:
        threads = []
        for thread_id in range(1, self.scale.threads + 1):
            created = self.ago(600)
            last = min(self.now, created + timedelta(days=self.rng.uniform(0.1, 30)))
            threads.append(
                {
                    "id": thread_id,
                    "category_id": 1 + thread_id % len(FORUM_CATEGORIES),
                    "author_id": self.user_id(),
                    "title": self.text.sentence(self.rng.randint(5, 10))[:-1] + "?",
                    "is_pinned": thread_id <= len(FORUM_CATEGORIES),
                    "is_locked": False,
                    "reply_count": POSTS_PER_THREAD - 1,
                    "last_number": POSTS_PER_THREAD,
                    "last_post_number": POSTS_PER_THREAD,
                    "last_post_at": last,
                    "last_poster_id": self.user_id(),
                    "created_at": created,
                }
            )
        return threads, self._posts(threads)

    def _posts(self, threads: Sequence[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        post_id = 0
        for thread in threads:
            start, end = thread["created_at"], thread["last_post_at"]
            step = (end - start) / POSTS_PER_THREAD
            for number in range(1, POSTS_PER_THREAD + 1):
                post_id += 1
                body_md, body_html = markdown_and_html(self.text.paragraphs(self.rng.randint(2, 6), per_paragraph=2))
                yield {
                    "id": post_id,
                    "thread_id": thread["id"],
                    "number": number,
                    "author_id": thread["author_id"] if number == 1 else self.user_id(),
                    "body_md": body_md,
                    "body_html": body_html,
                    "renderer_version": RENDERER_VERSION,
                    "is_solution": False,
                    "like_count": 0,
                    "edit_count": 0,
                    "created_at": end if number == POSTS_PER_THREAD else start + step * (number - 1),
                    "hidden_reason": "",
                }

    def likes(self) -> Iterator[dict[str, Any]]:
        pairs = self._unique_pairs(self.scale.likes, self.scale.posts, self.scale.users)
        for like_id, (post_id, user_id) in enumerate(pairs, start=1):
            yield {"id": like_id, "post_id": post_id, "user_id": user_id, "created_at": self.ago(365)}

    # ------------------------------------------------------------ workshops

    def workshops(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        workshops, sessions = [], []
        for workshop_id in range(1, self.scale.workshops + 1):
            # two thirds in the past year, one third in the coming six months
            starts = self.now + timedelta(days=self.rng.uniform(-365, 180), hours=1)
            starts = starts.replace(hour=1, minute=0)  # 08:00 WIB
            days = self.rng.randint(1, 3)
            description_md, description_html = markdown_and_html(self.text.paragraphs(8))
            workshops.append(
                {
                    "id": workshop_id,
                    "title": "Pelatihan " + self.text.words(self.rng.randint(3, 6)),
                    "description_md": description_md,
                    "description_html": description_html,
                    "renderer_version": RENDERER_VERSION,
                    "development_type_id": self.rng.choice(self.type_ids),
                    "provider_unit_id": self.rng.choice(self.unit_ids),
                    "location": "Aula Balai Kota Sawahlunto",
                    "capacity": self.rng.randint(20, 60),
                    "jp": days * 8,
                    "employment_filter": "all",
                    "approval_mode": ApprovalMode.AUTOMATIC,
                    "status": WorkshopStatus.COMPLETED if starts < self.now else WorkshopStatus.PUBLISHED,
                    "status_note": "",
                    "organizer_id": self.rng.choice(self.organizer_ids or [2]),
                    "starts_at": starts,
                    "ends_at": starts + timedelta(days=days - 1, hours=7),
                    "created_at": starts - timedelta(days=45),
                    "updated_at": starts - timedelta(days=45),
                    "published_at": starts - timedelta(days=40),
                }
            )
            for day in range(days):
                sessions.append(
                    {
                        "id": len(sessions) + 1,
                        "workshop_id": workshop_id,
                        "starts_at": starts + timedelta(days=day),
                        "ends_at": starts + timedelta(days=day, hours=7),
                        "checkin_code": f"{self.rng.getrandbits(160):040x}{day:03d}",
                    }
                )
        return workshops, sessions

    def registrations(self, workshops: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        per_workshop = self.scale.registrations / len(workshops)
        for workshop in workshops:
            wanted = min(self.scale.users, max(1, round(self.rng.uniform(0.5, 1.5) * per_workshop)))
            people = self.rng.sample(range(1, self.scale.users + 1), wanted)
            if workshop["id"] % 5 == 0 and 1 not in people:
                people[0] = 1  # the benchmark member has some workshops of their own
            for position, user_id in enumerate(people):
                queued = workshop["published_at"] + timedelta(minutes=position * 7)
                confirmed = position < workshop["capacity"]
                rows.append(
                    {
                        "id": len(rows) + 1,
                        "workshop_id": workshop["id"],
                        "user_id": user_id,
                        "status": RegistrationStatus.CONFIRMED if confirmed else RegistrationStatus.WAITLISTED,
                        "created_at": queued,
                        "queued_at": queued,
                        "confirmed_at": queued if confirmed else None,
                        "decision_reason": "",
                        "completed_at": workshop["ends_at"] if confirmed and workshop["ends_at"] < self.now else None,
                    }
                )
        return rows

    def learning_records(
        self, workshops: Sequence[dict[str, Any]], registrations: Sequence[dict[str, Any]]
    ) -> Iterator[dict[str, Any]]:
        by_id = {workshop["id"]: workshop for workshop in workshops}
        for registration in registrations:
            if registration["completed_at"] is None:
                continue
            workshop = by_id[registration["workshop_id"]]
            yield {
                "user_id": registration["user_id"],
                "title": workshop["title"],
                "development_type_id": workshop["development_type_id"],
                "provider": "BKPSDM Kota Sawahlunto",
                "start_date": workshop["starts_at"].date(),
                "end_date": workshop["ends_at"].date(),
                "jp": workshop["jp"],
                "source": LearningSource.ATTENDANCE,
                "status": LearningStatus.VERIFIED,
                "workshop_id": workshop["id"],
                "certificate_number": "",
                "created_at": workshop["ends_at"],
                "updated_at": workshop["ends_at"],
                "verified_at": workshop["ends_at"],
            }


def _make_member_a_unit_head(gen: Generator) -> None:
    """The benchmark member heads their unit, so the development dashboard (a head's page) is measured too."""
    _insert(UnitHead.__table__, [{"unit_id": gen.user_units[1], "user_id": 1, "appointed_at": gen.ago(365)}])


def _timed(seconds: dict[str, float], label: str, work: Callable[[], int]) -> int:
    started = time.perf_counter()
    count = work()
    seconds[label] = round(time.perf_counter() - started, 1)
    print(f"  {label}: {count:,} rows in {seconds[label]} s", flush=True)
    return count


def _recount() -> None:
    """Stored counters (votes, likes, forum category totals) match the rows, as the services keep them."""
    statements = (
        "UPDATE articles SET vote_count = (SELECT count(*) FROM article_votes v WHERE v.article_id = articles.id)",
        "UPDATE forum_posts SET like_count = (SELECT count(*) FROM forum_likes l WHERE l.post_id = forum_posts.id)",
        "UPDATE forum_categories SET"
        " thread_count = (SELECT count(*) FROM forum_threads t WHERE t.category_id = forum_categories.id),"
        " post_count = (SELECT coalesce(sum(t.reply_count + 1), 0) FROM forum_threads t"
        "  WHERE t.category_id = forum_categories.id),"
        " last_post_at = (SELECT max(t.last_post_at) FROM forum_threads t WHERE t.category_id = forum_categories.id)",
    )
    for statement in statements:
        db.session.execute(text(statement))
    db.session.commit()


def _reset_sequences(tables: Sequence[Table]) -> None:
    """Rows were inserted with explicit ids: move PostgreSQL's sequences past them so the app can insert."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in tables:
        name = table.name  # from our models, not from input
        db.session.execute(
            text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), coalesce(max(id), 0) + 1, false) FROM {name}")  # noqa: S608
        )
    db.session.execute(text("ANALYZE"))  # what autovacuum would do shortly after a bulk load
    db.session.commit()


def generate(scale_name: str, seed: int = 2026, index_procs: int = 2) -> Generated:
    """Fill the (empty) database of the current app and build the search index. Call inside an app context."""
    scale = SCALES[scale_name]
    gen = Generator(scale, seed)
    seconds: dict[str, float] = {}
    counts: dict[str, int] = {}
    db.create_all()
    gen.seed_reference_data()
    counts["users"] = _timed(seconds, "users", lambda: _insert(User.__table__, gen.users()))
    counts["tags"] = _timed(seconds, "tags", lambda: _insert(Tag.__table__, gen.tags()))
    tag_ids = list(range(1, counts["tags"] + 1))
    counts["articles"] = _timed(seconds, "articles", lambda: _insert(Article.__table__, gen.articles()))
    _timed(seconds, "article tags", lambda: _insert(article_tags, gen.article_links("tag_id", tag_ids, 4)))
    _timed(
        seconds,
        "article competencies",
        lambda: _insert(
            article_competencies,
            gen.article_links("competency_id", gen.competency_ids, 3),
        ),
    )
    counts["comments"] = _timed(seconds, "comments", lambda: _insert(ArticleComment.__table__, gen.comments()))
    counts["votes"] = _timed(seconds, "votes", lambda: _insert(ArticleVote.__table__, gen.votes()))

    _insert(ForumCategory.__table__, gen.forum_categories())
    threads, posts = gen.threads_and_posts()
    counts["threads"] = _timed(seconds, "threads", lambda: _insert(ForumThread.__table__, threads))
    counts["posts"] = _timed(seconds, "posts", lambda: _insert(ForumPost.__table__, posts))
    counts["likes"] = _timed(seconds, "likes", lambda: _insert(ForumLike.__table__, gen.likes()))

    workshops, sessions = gen.workshops()
    counts["workshops"] = _timed(seconds, "workshops", lambda: _insert(Workshop.__table__, workshops))
    _insert(WorkshopSession.__table__, sessions)
    _insert(
        workshop_competencies,
        ({"workshop_id": w["id"], "competency_id": gen.rng.choice(gen.competency_ids)} for w in workshops),
    )
    registrations = gen.registrations(workshops)
    counts["registrations"] = _timed(seconds, "registrations", lambda: _insert(Registration.__table__, registrations))
    counts["learning records"] = _insert(LearningRecord.__table__, gen.learning_records(workshops, registrations))
    _make_member_a_unit_head(gen)
    _recount()
    _reset_sequences(
        [
            model.__table__
            for model in (User, Tag, Article, ArticleComment, ArticleVote, ForumCategory, ForumThread, ForumPost)
        ]
        + [ForumLike.__table__, Workshop.__table__, WorkshopSession.__table__, Registration.__table__]
        + [LearningRecord.__table__]
    )
    counts["search documents"] = _timed(seconds, "search index", lambda: search.rebuild(procs=index_procs))
    return Generated(counts=counts, seconds=seconds)


def sample_urls() -> dict[str, str]:
    """The URLs the benchmark requests, picked from the generated data (call inside an app context)."""
    published = (Article.status == ArticleStatus.PUBLISHED, Article.deleted_at.is_(None))
    newest_first = (Article.published_at.desc(), Article.id.desc())
    total = db.session.scalar(select(func.count()).select_from(Article).where(*published)) or 0
    article_id = db.session.scalar(select(Article.id).where(*published).order_by(*newest_first).offset(total // 3))
    deep = db.session.execute(
        select(Article.published_at, Article.id)
        .where(*published)
        .order_by(*newest_first)
        .offset(math.floor(total * 0.9))
    ).first()
    thread_id = db.session.scalar(
        select(ForumThread.id).where(ForumThread.last_number == POSTS_PER_THREAD, ForumThread.is_pinned.is_(False))
    )
    workshop_id = db.session.scalar(
        select(Workshop.id).where(Workshop.status == WorkshopStatus.PUBLISHED).order_by(Workshop.starts_at)
    )
    return {
        "home": "/",
        "article list": "/artikel",
        "article list, 90% deep": "/artikel?setelah=" + _cursor(deep[0], deep[1]),
        "article page": f"/artikel/{article_id}",
        "forum category": f"/forum/k/{FORUM_CATEGORIES[1][0]}",
        "thread page (25 posts)": f"/forum/t/{thread_id}",
        "workshop list": "/pelatihan",
        "workshop page": f"/pelatihan/{workshop_id}",
        "search": "/cari?q=" + "pelatihan+pelayanan+publik",
        "learning record": "/rekam-jejak",
        "development dashboard": "/dasbor-pengembangan",
        "evaluations": "/evaluasi",
    }


def _cursor(moment: datetime, row_id: int) -> str:
    return quote(f"{moment.isoformat()}~{row_id}", safe="")
