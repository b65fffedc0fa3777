"""The papers pane: one line a paper, drawn only when visible, with search matches highlighted."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.style import Style

from store.desk import NO_MARK, Mark
from store.model import Paper
from store.search import highlight_spans
from store.text import clean_line, counted
from tui.widgets.row import Row
from tui.widgets.row_list import RowList

DERIVED_MARK = "≈ "  # titles made from the abstract: never shown as if they were real titles
ITALIC, GREEN, CYAN = Style(italic=True), Style(color="green"), Style(color="cyan")


def first_authors(paper: Paper) -> str:
    if not paper.authors:
        count = paper.author_count
        return counted(count, "author") if count else ""
    family = clean_line(paper.authors[0]).split(" ")[-1]
    return family + (" et al." if len(paper.authors) > 1 or not paper.authors_complete else "")


class PaperTable(RowList):
    """Year, category, markers, title and first author for each paper of the current view.

    Markers: ★ starred, ✎ has a note, • new since the last visit, C code, + on several pages.
    A paper marked read is drawn dim.
    """

    BINDINGS = [*RowList.BINDINGS]
    COMPONENT_CLASSES = {"row-list--star", "row-list--new"}
    DEFAULT_CSS = """
    PaperTable > .row-list--star { color: $warning; }
    PaperTable > .row-list--new { color: $accent; text-style: bold; }
    """

    def __init__(self, *, id: str | None = None, marks: Callable[[str], Mark] = lambda _: NO_MARK) -> None:
        super().__init__(id=id)
        self.papers: Sequence[Paper] = ()
        self.query_text = ""
        self.empty_message = "No papers."
        self.marks = marks
        self._new_ids: frozenset[str] = frozenset()

    def show(self, papers: Sequence[Paper], query_text: str = "", empty_message: str = "No papers.") -> None:
        self.papers = papers
        self.query_text = query_text
        self.empty_message = empty_message
        self.set_row_count(len(papers))

    @property
    def new_ids(self) -> frozenset[str]:
        """Ids of the papers marked new since the last visit."""
        return self._new_ids

    @new_ids.setter
    def new_ids(self, ids: frozenset[str]) -> None:
        self._new_ids = ids
        self.redraw_rows()

    @property
    def current(self) -> Paper | None:
        return self.papers[self.cursor] if self.papers else None

    def empty_row(self) -> Row:
        return Row((self.empty_message, self.component_style("dim")))

    def render_row(self, index: int, width: int) -> Row:
        paper = self.papers[index]
        mark = self.marks(paper.id)
        dim = self.component_style("dim")
        row = Row((f"{paper.year or '----'} {clean_line(paper.category or '')[:5]:<5} ", dim))
        row.append("★" if mark.starred else " ", self.component_style("star"))
        row.append("✎" if mark.note else " ", dim)
        row.append("•" if paper.id in self.new_ids else " ", self.component_style("new"))
        row.append("C" if paper.has_code else " ", GREEN)
        row.append("+" if len(paper.sources) > 1 else " ", CYAN)
        row.append(" ")
        author = first_authors(paper)
        author_width = min(18, max(len(author), 0)) if width >= 70 else 0
        title_width = max(width - row.cell_len - (author_width + 2 if author_width else 0), 10)
        row.extend(self._title_row(paper, read=mark.is_read).truncate(title_width, pad=bool(author_width)))
        if author_width:
            row.append("  ")
            row.append(author[:author_width], dim)
        return row

    def _title_row(self, paper: Paper, *, read: bool) -> Row:
        """The title, search matches highlighted; a read paper's drawn dim over all of it."""
        dim = self.component_style("dim")
        last = dim if read else None
        derived = ITALIC if paper.title_is_derived else None
        plain_style, match_style = _chain(derived, last), _chain(derived, self.component_style("match"), last)
        title = Row()
        if paper.title_is_derived:
            title.append(DERIVED_MARK, _chain(ITALIC + dim, last))
        plain = clean_line(paper.title)
        done = 0
        for begin, end in highlight_spans(plain, self.query_text):  # sorted; words may overlap
            begin = max(begin, done)
            if end > begin:
                title.append(plain[done:begin], plain_style)
                title.append(plain[begin:end], match_style)
                done = end
        return title.append(plain[done:], plain_style)


def _chain(*styles: Style | None) -> Style | None:
    """The styles applied in order (later ones win), as Rich applies overlapping spans."""
    present = [style for style in styles if style is not None]
    return Style.chain(*present) if present else None
