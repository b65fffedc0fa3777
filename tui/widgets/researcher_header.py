"""The researcher header: lead figures, papers per year, top categories and what is new, in 1–2 lines."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

from store.researchers import ResearcherSummary
from tui.output import figure_value, safe, sparkline

# Figures shown in the header, in order: key -> (label, unit). The first ones are kept at any width.
LEAD_FIGURES = {"h_index": ("h-index", ""), "citations": ("citations", ""), "trust_score": ("trust", ""), "trust_level": ("", "")}
MORE_FIGURES = {"novelty_pct": ("novelty", "%"), "ai_score": ("AI score", ""), "verification_level": ("verification", "")}
MAX_LINES = 2
# Ranks, most important first: what is new, the lead figure, the sparkline, then the top categories
# interleaved with the second figure. Only these may take a second line; the rest fill what is left.
NEW_RANK, SPARK_RANK = 0, 2
FIGURE_RANKS = (1, 4)
CATEGORY_RANKS = (3, 5, 6)
FIGURE_EXTRA_RANK, CATEGORY_EXTRA_RANK, UNDATED_RANK = 10, 20, 40
GROUP_GAP = "   "


@dataclass(frozen=True)
class Part:
    """One piece of the header. Parts of a group are joined by " · ", groups by a wider gap.

    When space runs short the highest `rank` goes first; only `essential` parts may take a second line.
    """

    text: Text
    group: int
    rank: int
    essential: bool = True


def pack(parts: list[Part], width: int, separator: Text, max_lines: int) -> list[Text] | None:
    """The parts in at most `max_lines` lines of `width` cells, breaking only between groups;
    None if they do not fit."""
    groups: dict[int, list[Text]] = {}
    for part in parts:
        groups.setdefault(part.group, []).append(part.text)
    lines: list[Text] = []
    for texts in groups.values():
        group = separator.join(texts)
        if group.cell_len > width:
            return None
        if lines and lines[-1].cell_len + len(GROUP_GAP) + group.cell_len <= width:
            lines[-1].append(GROUP_GAP)
            lines[-1].append_text(group)
        else:
            lines.append(group.copy())
    return lines if len(lines) <= max_lines else None


def fit(parts: list[Part], width: int, separator: Text) -> list[Text]:
    """As many parts as fit, most important first, in as few lines as the essential ones need."""
    def attempt(chosen: list[Part], max_lines: int) -> list[Text] | None:
        ids = set(map(id, chosen))
        return pack([p for p in parts if id(p) in ids], width, separator, max_lines)  # in display order

    by_rank = sorted(parts, key=lambda p: p.rank)
    essential = [p for p in by_rank if p.essential]
    keep = list(essential)
    while keep and attempt(keep, MAX_LINES) is None:
        keep.pop()
    if not keep:  # not even the first part fits: show it cut
        return [by_rank[0].text.copy()] if parts else []
    lines = len(attempt(keep, MAX_LINES) or ())
    extras = [p for p in by_rank if not p.essential] if len(keep) == len(essential) else []
    for extra in extras:
        if attempt([*keep, extra], lines) is None:
            break  # stop at the first misfit: the categories shown stay the top ones, in order
        keep.append(extra)
    return attempt(keep, lines) or []


class ResearcherHeader(Widget):
    """Above the paper list for a selected researcher; hidden for "All papers"."""

    DEFAULT_CSS = """
    ResearcherHeader { height: auto; max-height: 2; }
    ResearcherHeader > .researcher-header--label { color: $text-muted; }
    ResearcherHeader > .researcher-header--value { text-style: bold; }
    ResearcherHeader > .researcher-header--spark { color: $text-primary; }
    ResearcherHeader > .researcher-header--new { color: $text-accent; text-style: bold; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "researcher-header--label", "researcher-header--value", "researcher-header--spark", "researcher-header--new",
    }

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.summary: ResearcherSummary | None = None
        self.new_count = 0
        self.display = False

    def show(self, summary: ResearcherSummary | None, new_count: int = 0) -> None:
        """Show `summary` (None hides the header); `new_count` papers arrived since the last visit."""
        if summary is None and self.summary is None:
            return  # hidden already: laying the screen out again would cost a frame for nothing
        self.summary, self.new_count = summary, new_count
        self.display = summary is not None
        self.refresh(layout=True)

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"researcher-header--{name}")  # whole: a partial one loses the muted blend

    def parts(self) -> list[Part]:
        """Everything the header could show, in display order."""
        summary = self.summary
        if summary is None:
            return []
        label, value = self._style("label"), self._style("value")
        parts: list[Part] = []
        figures = [(k, LEAD_FIGURES[k]) for k in LEAD_FIGURES if k in summary.figures]
        figures += [(k, MORE_FIGURES[k]) for k in MORE_FIGURES if k in summary.figures]
        for i, (key, (name, unit)) in enumerate(figures):
            text = Text.assemble((f"{name} " if name else "", label), (figure_value(summary.figures[key]) + unit, value))
            lead = i < len(FIGURE_RANKS)
            parts.append(Part(text, 0, FIGURE_RANKS[i] if lead else FIGURE_EXTRA_RANK + i, essential=lead))
        if summary.per_year:
            first, last = min(summary.per_year), max(summary.per_year)
            span = str(first) if first == last else f"{first}–{last}"
            spark = Text.assemble((sparkline(summary.per_year), self._style("spark")), " ", (span, label))
            parts.append(Part(spark, 1, SPARK_RANK))
        if summary.undated:
            undated = Text.assemble((str(summary.undated), value), (" undated", label))
            parts.append(Part(undated, 1, UNDATED_RANK, essential=False))
        for i, (category, count) in enumerate(summary.categories):
            top = i < len(CATEGORY_RANKS)
            text = Text.assemble(safe(category), " ", (str(count), label))
            parts.append(Part(text, 2, CATEGORY_RANKS[i] if top else CATEGORY_EXTRA_RANK + i, essential=top))
        if self.new_count:
            parts.append(Part(Text(f"• {self.new_count} new since last visit", self._style("new")), 3, NEW_RANK))
        return parts

    def lines(self, width: int) -> list[Text]:
        """The header as it reads at `width` cells: at most two lines, never wrapped mid-part."""
        lines = fit(self.parts(), width, Text(" · ", self._style("label")))
        for line in lines:
            line.no_wrap = True
            line.truncate(width, overflow="ellipsis")
        return lines

    def render(self) -> Text:
        return Text("\n").join(self.lines(self.content_region.width))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width)) if width else 0
