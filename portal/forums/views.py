"""Forum pages: categories, thread lists, the thread page, writing, likes, solutions, reports and moderation."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from markupsafe import Markup

from portal.accounts import services as accounts
from portal.accounts.current import current_user, current_user_object
from portal.core import fragments
from portal.core.forms import apply_error
from portal.core.htmx import html as fragment_response
from portal.core.htmx import is_htmx, redirect_to, render
from portal.core.inputs import int_arg
from portal.core.permissions import Permission, role_required
from portal.forums import flood, services
from portal.forums.forms import BODY_HELP, CategoryForm, EditPostForm, MoveForm, NewTopicForm, ReplyForm, ThreadForm
from portal.forums.models import ForumCategory, ForumPost, ForumThread
from portal.forums.services import CategoryInput, ForumError
from portal.units import services as units

bp = Blueprint("forums", __name__, url_prefix="/forum")

TOO_MANY_REQUESTS = 429


def _category_or_404(slug: str) -> ForumCategory:
    category = services.get_category(current_user, slug)
    if category is None:
        abort(404)
    return category


def _thread_or_404(thread_id: int) -> ForumThread:
    thread = services.get_thread(current_user, thread_id)
    if thread is None:
        abort(404)
    return thread


def _post_or_404(post_id: int) -> ForumPost:
    post = services.get_post(current_user, post_id)
    if post is None:
        abort(404)
    return post


def _flash_error(error: ForumError) -> None:
    flash(str(error.message), "danger")


def _thread_url(thread: ForumThread, page: int | None = None, anchor: str = "") -> str:
    url = url_for("forums.thread", thread_id=thread.id, halaman=page if page and page > 1 else None)
    return url + (f"#{anchor}" if anchor else "")


def _post_anchor_url(post: ForumPost) -> str:
    return _thread_url(post.thread, services.page_of(post.number), f"pos-{post.id}")


# ---------------------------------------------------------------- browsing


@bp.get("")
@login_required
def index():
    categories = services.visible_categories(current_user)
    return render(
        "forums/index.html",
        categories=categories,
        latest=services.latest_in_categories(categories),
        views=services.VIEWS,
        open_reports=services.count_open_reports(current_user),
        can_post=any(services.can_post_in(current_user, category) for category in categories),
    )


# Everything a cached thread list shows: the threads' columns, category names, authors' and last posters' names.
LIST_TABLES = ("forum_threads", "forum_categories", "users", "units")  # units: users load their unit
_SLOT_TAG = secrets.token_hex(8)  # per process, like the cache: user text cannot forge a marker
_SLOTS = re.compile(
    rf"\x00{_SLOT_TAG}:c:(\d+)\x00|\x00{_SLOT_TAG}:n:(\d+)\x00(.*?)\x00{_SLOT_TAG}:u:\2\x00(.*?)\x00{_SLOT_TAG}:e:\2\x00",
    re.DOTALL,
)


class _RowSlots:
    """Markers a cached row is rendered with, around what depends on the reader (see thread_row.html)."""

    @staticmethod
    def _marker(kind: str, thread_id: int) -> Markup:
        return Markup(f"\x00{_SLOT_TAG}:{kind}:{thread_id}\x00")  # noqa: S704 - digits and hex only

    def mark_class(self, thread_id: int) -> Markup:
        return self._marker("c", thread_id)

    def new(self, thread_id: int) -> Markup:
        return self._marker("n", thread_id)

    def unread(self, thread_id: int) -> Markup:
        return self._marker("u", thread_id)

    def end(self, thread_id: int) -> Markup:
        return self._marker("e", thread_id)


def _with_marks(html: str, marks: dict[int, str]) -> Markup:
    """The cached rows with this reader's unread marks: "new", "unread", or none."""

    def fill(found: re.Match[str]) -> str:
        if found.group(1) is not None:
            return " forum-unread" if marks.get(int(found.group(1))) else ""
        mark = marks.get(int(found.group(2)))
        return found.group(3) if mark == "new" else found.group(4) if mark == "unread" else ""

    return Markup(_SLOTS.sub(fill, html))  # noqa: S704 - cached template output, markers replaced by its own parts


def _thread_list(
    template: str,
    load: Callable[[], services.ThreadPage],
    viewer_key: Any,
    tables: tuple[str, ...] = LIST_TABLES,
    **context: Any,
):
    """The rows are the same for every reader who may see the same categories (``viewer_key``), apart from the
    unread marks: they are one cached fragment, and only the marks are looked up per request."""
    more = is_htmx() and bool(request.args.get("setelah"))  # "load more": the next rows only
    partial = "forums/_partials/thread_items.html" if more else "forums/_partials/thread_list.html"

    def rows() -> tuple[Markup, tuple[services.ThreadRef, ...]]:
        page = load()
        html = render_template(partial, page=page, row_slots=_RowSlots(), **context)
        refs = tuple(services.ThreadRef(t.id, t.last_post_number) for t in page.pinned + page.items)
        return Markup(html), refs  # noqa: S704 - autoescaped template output

    key = (fragments.request_key(), more, viewer_key)
    html, refs = fragments.remembered("forums.rows", (key, fragments.viewer_format()), tables, rows)
    rows_html = _with_marks(html, services.unread_marks(current_user, refs))
    if more:
        return fragment_response(rows_html)
    return render(template, rows=rows_html, views=services.VIEWS, **context)


@bp.get("/<any('terbaru', 'belum-terjawab', 'terjawab', 'saya'):view>")
@login_required
def listing(view: str):
    category_ids = tuple(c.id for c in services.visible_categories(current_user))
    viewer_key = (category_ids, current_user.id if view == "saya" else None)
    return _thread_list(
        "forums/listing.html",
        lambda: services.list_threads(current_user, view, cursor=request.args.get("setelah"), with_unread=False),
        viewer_key,
        (*LIST_TABLES, "forum_posts") if view == "saya" else LIST_TABLES,  # "saya": the threads one posted in
        view=view,
        heading=services.VIEWS[view],
        show_category=True,
        empty_text=_("Belum ada topik di sini."),
    )


@bp.get("/k/<slug>")
@login_required
def category(slug: str):
    found = _category_or_404(slug)  # who may see the category is checked here; its rows are the same for all
    return _thread_list(
        "forums/category.html",
        lambda: services.list_threads(
            current_user, category=found, cursor=request.args.get("setelah"), with_unread=False
        ),
        found.id,
        category=found,
        can_post=services.can_post_in(current_user, found),
        subscribed=services.is_subscribed_to_category(current_user, found),
        show_category=False,
        empty_text=_("Belum ada topik. Jadilah yang pertama bertanya!"),
    )


@bp.post("/k/<slug>/langganan")
@login_required
def subscribe_category(slug: str):
    found = _category_or_404(slug)
    if services.toggle_category_subscription(current_user, found):
        flash(_("Anda akan diberi tahu setiap ada topik baru di %(name)s.", name=found.name), "success")
    else:
        flash(_("Anda berhenti mengikuti kategori %(name)s.", name=found.name), "info")
    return redirect_to(url_for("forums.category", slug=found.slug))


# ---------------------------------------------------------------- the thread page


def _int_arg(name: str) -> int | None:
    return int_arg(name, minimum=0)


def _reply_form_with_quote(thread: ForumThread) -> ReplyForm:
    form = ReplyForm()
    quoted_id = _int_arg("kutip")
    if quoted_id:
        quoted = services.get_post(current_user, quoted_id)
        if quoted is not None and quoted.thread_id == thread.id and quoted.is_visible:
            form.body.data = services.quote(quoted)
    return form


_POST_COLUMNS = tuple(attribute.key for attribute in ForumPost.__mapper__.column_attrs)


def _post_fragments(view: services.ThreadView, thread: ForumThread, context: dict[str, Any]) -> dict[int, Markup]:
    """Each post's card, kept per post: the key holds every column of the post, what is shown of its author, and
    everything about the viewer the card depends on (moderator, own post, may reply/edit/mark, open reports).
    Its forms carry a CSRF placeholder that the response gets the viewer's token for (portal.core.fragments)."""
    found: dict[int, Markup] = {}
    liked = view.liked
    viewer = current_user_object()  # the proxy costs a lookup per use; 25 cards use it twice each
    for post in view.posts:
        author = post.author
        key = (
            tuple(getattr(post, column) for column in _POST_COLUMNS),
            (author.name, author.handle, author.unit.label if author.unit else None),
            (post.author_id == viewer.id, context["is_moderator"], context["can_reply"]),
            (context["can_mark_solution"], services.can_edit_post(viewer, post), thread.is_locked),
            (view.pages, view.open_reports.get(post.id) if context["is_moderator"] else None, post.id in liked),
        )
        found[post.id] = fragments.static(
            "forums.post",
            key,
            lambda post=post: render_template(
                "forums/_partials/post.html", post=post, liked=post.id in liked, **context
            ),
        )
    return found


def _thread_page(thread: ForumThread, page: int, form: ReplyForm | None = None, status: int = 200):
    view = services.thread_view(current_user, thread, page)
    moderator = services.is_moderator(current_user)
    context = {
        "view": view,
        "thread": thread,
        "can_reply": services.can_reply(current_user, thread),
        "can_mark_solution": services.can_mark_solution(current_user, thread),
        "is_moderator": moderator,
        "can_edit_post": services.can_edit_post,
    }
    response = render(
        "forums/thread.html",
        status=status,
        reply_form=form or _reply_form_with_quote(thread),
        move_form=_move_form(thread) if moderator else None,
        body_help=BODY_HELP,
        post_html=_post_fragments(view, thread, context),
        **context,
    )
    if view.posts:  # after rendering: its commit would expire everything the page still shows
        services.mark_read(current_user, thread, view.posts[-1].number, view.read_up_to)
    return response


def _move_form(thread: ForumThread) -> MoveForm:
    form = MoveForm()
    form.category_id.choices = [(c.id, c.name) for c in services.visible_categories(current_user)]
    form.category_id.data = thread.category_id
    return form


@bp.get("/t/<int:thread_id>")
@login_required
def thread(thread_id: int):
    found = _thread_or_404(thread_id)
    return _thread_page(found, _int_arg("halaman") or 1)


@bp.get("/t/<int:thread_id>/belum-dibaca")
@login_required
def first_unread(thread_id: int):
    found = _thread_or_404(thread_id)
    number = services.first_unread_number(current_user, found)
    post = services.post_by_number(found, number)
    anchor = f"pos-{post.id}" if post is not None else ""
    return redirect(_thread_url(found, services.page_of(number), anchor))


@bp.get("/pos/<int:post_id>")
@login_required
def post(post_id: int):
    """The stable permalink of a post: the thread page that holds it, scrolled to it."""
    return redirect(_post_anchor_url(_post_or_404(post_id)))


# ---------------------------------------------------------------- writing


def _flood_refused(form) -> bool:
    message = flood.refusal(current_user)
    if message:
        form.form_errors.append(message)
    return bool(message)


@bp.route("/k/<slug>/topik-baru", methods=["GET", "POST"])
@login_required
def new_thread(slug: str):
    found = _category_or_404(slug)
    if not services.can_post_in(current_user, found):
        abort(403)
    form = ThreadForm()
    status = 200
    if form.validate_on_submit():
        if _flood_refused(form):
            status = TOO_MANY_REQUESTS
        else:
            try:
                created = services.create_thread(current_user, found, form.title.data or "", form.body.data or "")
            except ForumError as error:
                apply_error(form, error)
            else:
                flood.spend(current_user)
                flash(_("Topik dibuka. Anda akan diberi tahu bila ada balasan."), "success")
                return redirect_to(url_for("forums.thread", thread_id=created.id))
    return render(
        "forums/new_thread.html",
        status=status,
        form=form,
        category=found,
        body_help=BODY_HELP,
        preview_html=services.render_body(form.body.data or "") if form.is_submitted() else None,
    )


@bp.route("/topik-baru", methods=["GET", "POST"])
@login_required
def new_topic():
    """Open a topic from the forum's front page, choosing the category in the form."""
    choices = services.postable_categories(current_user)
    if not choices:
        abort(403)
    form = NewTopicForm()
    form.category_id.choices = [(0, _("— Pilih kategori —")), *((c.id, c.name) for c in choices)]
    status = 200
    if form.validate_on_submit():
        if _flood_refused(form):
            status = TOO_MANY_REQUESTS
        else:
            try:
                created = services.create_thread_in(
                    current_user, form.category_id.data, form.title.data or "", form.body.data or ""
                )
            except ForumError as error:
                apply_error(form, error)
            else:
                flood.spend(current_user)
                flash(_("Topik dibuka. Anda akan diberi tahu bila ada balasan."), "success")
                return redirect_to(url_for("forums.thread", thread_id=created.id))
    if status == 200 and form.is_submitted():
        status = 400  # back with the errors
    return render(
        "forums/new_topic.html",
        status=status,
        form=form,
        body_help=BODY_HELP,
        preview_html=services.render_body(form.body.data or "") if form.is_submitted() else None,
    )


@bp.post("/t/<int:thread_id>/balas")
@login_required
def reply(thread_id: int):
    found = _thread_or_404(thread_id)
    form = ReplyForm()
    if form.validate_on_submit():
        if _flood_refused(form):
            return _thread_page(found, services.page_of(found.last_number), form, TOO_MANY_REQUESTS)
        try:
            created = services.reply(current_user, found, form.body.data or "")
        except ForumError as error:
            apply_error(form, error)
        else:
            flood.spend(current_user)
            flash(_("Balasan terkirim."), "success")
            return redirect_to(_post_anchor_url(created))
    return _thread_page(found, services.page_of(found.last_number), form, 400)


@bp.route("/pos/<int:post_id>/ubah", methods=["GET", "POST"])
@login_required
def edit_post(post_id: int):
    found = _post_or_404(post_id)
    if not services.can_edit_post(current_user, found):
        abort(403)
    form = EditPostForm()
    if request.method == "GET":
        form.body.data = found.body_md
        form.title.data = found.thread.title
    if form.validate_on_submit():
        try:
            services.edit_post(current_user, found, form.body.data or "", form.title.data if found.is_opening else None)
        except ForumError as error:
            apply_error(form, error)
        else:
            flash(_("Kiriman diperbarui."), "success")
            return redirect_to(_post_anchor_url(found))
    return render("forums/edit_post.html", form=form, post=found, body_help=BODY_HELP)


@bp.post("/pos/<int:post_id>/hapus")
@login_required
def delete_post(post_id: int):
    found = _post_or_404(post_id)
    thread_id, category_slug = found.thread_id, found.thread.category.slug
    try:
        services.delete_post(current_user, found)
    except ForumError as error:
        _flash_error(error)
        return redirect_to(url_for("forums.post", post_id=post_id))
    flash(_("Kiriman dihapus."), "success")
    if found.is_opening:
        return redirect_to(url_for("forums.category", slug=category_slug))
    return redirect_to(url_for("forums.thread", thread_id=thread_id))


@bp.get("/pos/<int:post_id>/riwayat")
@role_required(Permission.MODERATE)
def history(post_id: int):
    found = _post_or_404(post_id)
    return render("forums/history.html", post=found, revisions=services.revisions(current_user, found))


@bp.post("/pratinjau")
@login_required
def preview():
    return render("forums/_partials/preview.html", body_html=services.render_body(request.form.get("body", "")))


@bp.get("/sebut")
@login_required
def mentions():
    users = accounts.suggest_by_handle(request.args.get("q", ""))
    return render("forums/_partials/mentions.html", users=users)


# ---------------------------------------------------------------- likes, solutions, subscriptions, reports


@bp.post("/pos/<int:post_id>/suka")
@login_required
def like(post_id: int):
    found = _post_or_404(post_id)
    error = None
    try:
        liked = services.toggle_like(current_user, found)
    except ForumError as refused:
        liked, error = False, str(refused.message)
    if is_htmx():
        found = services.get_post(current_user, post_id)
        return render("forums/_partials/like.html", post=found, liked=liked, error=error)
    if error:
        flash(error, "danger")
    return redirect(_post_anchor_url(found))


@bp.post("/pos/<int:post_id>/solusi")
@login_required
def solution(post_id: int):
    found = _post_or_404(post_id)
    try:
        marked = services.toggle_solution(current_user, found)
    except ForumError as error:
        _flash_error(error)
    else:
        flash(_("Balasan ditandai sebagai solusi.") if marked else _("Tanda solusi dilepas."), "success")
    return redirect_to(url_for("forums.post", post_id=post_id))


@bp.post("/t/<int:thread_id>/langganan")
@login_required
def subscribe_thread(thread_id: int):
    found = _thread_or_404(thread_id)
    if services.toggle_thread_subscription(current_user, found):
        flash(_("Anda mengikuti topik ini dan akan diberi tahu bila ada balasan."), "success")
    else:
        flash(_("Anda berhenti mengikuti topik ini."), "info")
    return redirect_to(url_for("forums.thread", thread_id=thread_id))


@bp.get("/kategori")
@role_required(Permission.MANAGE_FORUMS)
def categories():
    return render("forums/categories.html", categories=services.manageable_categories(current_user))


def _category_form(found: ForumCategory | None) -> CategoryForm:
    form = CategoryForm(obj=found if request.method == "GET" else None)
    form.unit_id.choices = [(0, _("— Tidak ada —")), *units.choices()]
    if request.method == "GET" and found is not None:
        form.visibility.data = found.visibility.value
    return form


def _category_input(form: CategoryForm) -> CategoryInput:
    return CategoryInput(
        name=form.name.data or "",
        slug=form.slug.data or "",
        description=form.description.data or "",
        position=form.position.data or "0",
        visibility=form.visibility.data or "",
        unit_id=form.unit_id.data,
        is_read_only=bool(form.is_read_only.data),
    )


@bp.route("/kategori/baru", methods=["GET", "POST"])
@role_required(Permission.MANAGE_FORUMS)
def create_category():
    form = _category_form(None)
    if form.validate_on_submit():
        try:
            created = services.create_category(current_user, _category_input(form))
        except ForumError as error:
            apply_error(form, error)
        else:
            flash(_("Kategori %(name)s dibuat.", name=created.name), "success")
            return redirect_to(url_for("forums.categories"))
    return render("forums/category_form.html", form=form, category=None)


@bp.route("/kategori/<int:category_id>/ubah", methods=["GET", "POST"])
@role_required(Permission.MANAGE_FORUMS)
def edit_category(category_id: int):
    found = services.get_category_by_id(category_id)
    if found is None:
        abort(404)
    form = _category_form(found)
    if form.validate_on_submit():
        try:
            services.update_category(current_user, found, _category_input(form))
        except ForumError as error:
            apply_error(form, error)
        else:
            flash(_("Kategori %(name)s disimpan.", name=found.name), "success")
            return redirect_to(url_for("forums.categories"))
    return render("forums/category_form.html", form=form, category=found)
