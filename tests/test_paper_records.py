"""Papers as compact records: one JSON list made in one call, each record read back alone."""

from __future__ import annotations

from store.model import Paper, Source
from store.papers import PaperRecords, encode_papers


def _paper(n: int, **fields: object) -> Paper:
    values: dict[str, object] = dict(
        id=f"{n:010x}", title=f"Title {n}", title_is_derived=False, authors=("A. Author",),
        authors_complete=True, author_count=1, year=2024, date="2024-01-02", date_is_inferred=False,
        category="cs.LG", venue=None, kind=None, score=None, upvotes=None, has_code=False,
        abstract="An abstract.", sources=(Source("a.txt", "paper_list"),), researchers=(),
    )
    values.update(fields)
    return Paper(**values)  # type: ignore[arg-type]


PAPERS = [
    _paper(0, title='Brackets ],["0000000001",] and "quotes" \\ in a title', abstract='],["x"],[["y"]]'),
    _paper(1, authors=(), sources=(Source("0000000002", "daily_feed"), Source("b.txt", "profile")),
           researchers=("Ann Lee", "Bo Li"), score=4.5, upvotes=3, has_code=True),
    _paper(2, authors=("],[\"", "Zoë"), sources=(), researchers=("],[\"",), date=None, year=None, author_count=None),
]


def test_records_read_back_as_the_papers() -> None:
    records = PaperRecords.from_papers(PAPERS)
    assert list(records) == PAPERS
    assert [records[i] for i in range(3)] == PAPERS
    assert records.ids == ["0000000000", "0000000001", "0000000002"]


def test_each_record_starts_after_a_comma_and_is_followed_by_one_byte() -> None:
    data, starts = encode_papers(PAPERS[1:])
    text = bytes(data)
    assert starts.tolist() == [1, text.index(b'],["0000000002","Title 2"') + 2, len(text)]
    assert text[: starts[1] - 1] == (
        b'[["0000000001","Title 1",false,[],true,1,2024,"2024-01-02",false,"cs.LG",null,null,4.5,3,'
        b'["0000000002","daily_feed","b.txt","profile"],true,"An abstract.",["Ann Lee","Bo Li"]]'
    )


def test_no_papers() -> None:
    records = PaperRecords.from_papers([])
    assert len(records) == 0 and list(records) == [] and records.ids == []
