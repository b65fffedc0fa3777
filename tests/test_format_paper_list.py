"""The bare paper list (seed 002): title/author splitting, inferred owner, dates, LaTeX."""

from __future__ import annotations

import time
from datetime import date

import pytest
from conftest import CAPTURED, seed_text

from store.formats import FORMATS, detect_format, paper_list
from store.formats.author_split import candidate_splits, split_title_authors
from store.formats.common import page_rows
from store.model import Owner, ParseContext, ParsedPage, ParsedPaper, ParseError

CONTEXT = ParseContext(captured=CAPTURED)
SEEDS = ["000", "001", "002", "003", "004"]


def parse(text: str, context: ParseContext = CONTEXT) -> ParsedPage:
    return paper_list.parse(text, context)


@pytest.fixture(scope="module")
def page() -> ParsedPage:
    return parse(seed_text("002"))


# (title, authors) of every entry of seed 002, in page order; each checked by eye.
EXPECTED_SPLITS = [
    (
        'A Comprehensive Survey of Forgetting in Deep Learning Beyond Continual Learning',
        ('Zhenyi Wang', 'Enneng Yang', 'Li Shen'),
    ),
    (
        'Improving Task-free Continual Learning by Distributionally Robust Memory Evolution',
        ('Zhenyi Wang', 'Li Shen', 'Le Fang'),
    ),
    (
        'Sparse Model Inversion: Efficient Inversion of Vision Transformers for Data-Free Applications',
        ('Zixuan Hu', 'Yongxian Wei', 'Li Shen'),
    ),
    (
        'AdaMerging: Adaptive Model Merging for Multi-Task Learning',
        ('Enneng Yang', 'Zhenyi Wang', 'Li Shen'),
    ),
    (
        'Adaptive Defense against Harmful Fine-Tuning for Large Language Models via Bayesian Data Scheduler',
        ('Zixuan Hu', 'Li Shen', 'Zhenyi Wang'),
    ),
    (
        'Architecture, Dataset and Model-Scale Agnostic Data-free Meta-Learning',
        ('Zixuan Hu', 'Li Shen', 'Zhenyi Wang'),
    ),
    (
        'Customized Load Profiles Synthesis for Electricity Customers Based on Conditional Diffusion Models',
        ('Zhenyi Wang', 'Hongcai Zhang'),
    ),
    (
        'Continual Learning From a Stream of APIs',
        ('Enneng Yang', 'Zhenyi Wang', 'Li Shen'),
    ),
    (
        'Medical SAM3: A Foundation Model for Universal Prompt-Driven Medical Image Segmentation',
        ('Chongcong Jiang', 'Tianxingjian Ding', 'Chuhan Song'),
    ),
    (
        'EvoRubric: Self-Evolving Rubric-Driven RL for Open-Ended Generation',
        ('Xin Guan', 'Xiaomeng Hu', 'Shen Huang'),
    ),
    (
        'Meta-Learning with Less Forgetting on Large-Scale Non-Stationary Task Distributions',
        ('Zhenyi Wang', 'Li Shen', 'Le Fang'),
    ),
    (
        'Distributionally Robust Cross Subject EEG Decoding',
        ('Tiehang Duan', 'Zhenyi Wang', 'Gianfranco Doretto'),
    ),
    (
        'Task-Distributionally Robust Data-Free Meta-Learning',
        ('Zixuan Hu', 'Li Shen', 'Zhenyi Wang'),
    ),
    (
        'A Unified and General Framework for Continual Learning',
        ('Zhenyi Wang', 'Yan Li', 'Li Shen'),
    ),
    (
        'SurgeryV2: Bridging the Gap Between Model Merging and Multi-Task Learning with Deep Representation Surgery',
        ('Enneng Yang', 'Li Shen', 'Zhenyi Wang'),
    ),
    (
        'Dynamic Feedback Engines: Layer-Wise Control for Self-Regulating Continual Learning',
        ('Hengyi Wu', 'Zhenyi Wang', 'Heng Huang'),
    ),
    (
        'Seeing to Ground: Visual Attention for Hallucination-Resilient MDLLMs',
        ('Vishal Narnaware', 'Animesh Gupta', 'Kevin Zhai'),
    ),
    (
        'RAIR: A Rule-Aware Benchmark Uniting Challenging Long-Tail and Visual Salience Subset for E-commerce Relevance Assessment',
        ('Chenji Lu', 'Zhuo Chen', 'Hui Zhao'),
    ),
    (
        'Dystruct: Dynamically Structured Diffusion Language Model Decoding via Bayesian Inference',
        ('Bian Sun', 'Kevin Zhai', 'Mubarak Shah'),
    ),
    (
        'AI Security in the Foundation Model Era: A Comprehensive Survey from a Unified Perspective',
        ('Zhenyi Wang', 'Siyu Luan'),
    ),
    (
        'Representation Surgery for Multi-Task Model Merging',
        ('Enneng Yang', 'Li Shen', 'Zhenyi Wang'),
    ),
    (
        'CoRe: Context-Robust Remasking for Diffusion Language Models',
        ('Kevin Zhai', 'Sabbir Mollah', 'Zhenyi Wang'),
    ),
    (
        'From Efficiency to Adaptivity: A Deeper Look at Adaptive Reasoning in Large Language Models',
        ('Chao Wu', 'Baoheng Li', 'Mingchen Gao'),
    ),
    (
        'FREE: Faster and Better Data-Free Meta-Learning',
        ('Yongxian Wei', 'Zixuan Hu', 'Zhenyi Wang'),
    ),
    (
        'Understanding Catastrophic Interference: On the Identifibility of Latent Representations',
        ('Yuke Li', 'Yujia Zheng', 'Tianyi Xiong'),
    ),
    (
        'Model-Agnostic Gender Bias Control for Text-to-Image Generation via Sparse Autoencoder',
        ('Chao Wu', 'Zhenyi Wang', 'Kangxian Xie'),
    ),
    (
        'Few-Shot Class Incremental Learning with Attention-Aware Self-Adaptive Prompt',
        ('Chenxi Liu', 'Zhenyi Wang', 'Tianyi Xiong'),
    ),
    (
        'Learning to Learn from APIs: Black-Box Data-Free Meta-Learning',
        ('Zixuan Hu', 'Li Shen', 'Zhenyi Wang'),
    ),
    (
        'Space4HGNN: A Novel, Modularized and Reproducible Platform to Evaluate Heterogeneous Graph Neural Network',
        ('Tianyu Zhao', 'Cheng Yang', 'Yibo Li'),
    ),
    (
        'Uncertainty Detection and Reduction in Neural Decoding of EEG Signals',
        ('Tiehang Duan', 'Zhenyi Wang', 'Sheng Liu'),
    ),
    (
        'Meta Learning on a Sequence of Imbalanced Domains with Difficulty Awareness',
        ('Zhenyi Wang', 'Tiehang Duan', 'Le Fang'),
    ),
    (
        'Meta-Learning with Neural Tangent Kernels',
        ('Yufan Zhou', 'Zhenyi Wang', 'Jiayi Xian'),
    ),
    (
        'Repulsive Attention: Rethinking Multi-head Attention as Bayesian Inference',
        ('Bang An', 'Jie Lyu', 'Zhenyi Wang'),
    ),
    (
        'A Multitask Deep Learning Approach for User Depression Detection on Sina Weibo',
        ('Yiding Wang', 'Zhenyi Wang', 'Chenghao Li'),
    ),
    (
        'Towards Faithful Neural Table-to-Text Generation with Content-Matching Constraints',
        ('Zhenyi Wang', 'Xiaoyang Wang', 'Bang An'),
    ),
    (
        'Learning Diverse Stochastic Human-Action Generators by Learning Smooth Latent Transitions',
        ('Zhenyi Wang', 'Ping Yu', 'Yang Zhao'),
    ),
    (
        'Location Augmentation for CNN',
        ('Zhenyi Wang', 'Olga Veksler'),
    ),
]


def test_every_split(page: ParsedPage) -> None:
    assert [(p.title, p.authors) for p in page.papers] == EXPECTED_SPLITS


def test_owner_is_inferred(page: ParsedPage) -> None:
    assert page.format == "paper_list"
    assert page.owner == Owner(name="Zhenyi Wang", kind="profile", inferred=True, fields={})
    assert page.page_date is None


def test_count_and_author_completeness(page: ParsedPage) -> None:
    assert len(page.papers) == 37
    complete = [p.title for p in page.papers if p.authors_complete]
    assert complete == [
        "Customized Load Profiles Synthesis for Electricity Customers Based on Conditional "
        "Diffusion Models",
        "Dynamic Feedback Engines: Layer-Wise Control for Self-Regulating Continual Learning",
        "AI Security in the Foundation Model Era: A Comprehensive Survey from a Unified Perspective",
        "Location Augmentation for CNN",
    ]
    for paper in page.papers:
        assert paper.author_count == (len(paper.authors) if paper.authors_complete else None)


def test_first_entry(page: ParsedPage) -> None:
    first = page.papers[0]
    assert first.abstract.startswith(
        "Forgetting refers to the loss or deterioration of previously acquired knowledge. "
    )
    assert first.abstract.endswith(
        "A comprehensive list of papers about forgetting in various research fields is available "
        "at https://github.com/EnnengYang/Awesome-Forgetting-in-Deep-Learning."
    )
    assert first == ParsedPaper(
        title="A Comprehensive Survey of Forgetting in Deep Learning Beyond Continual Learning",
        abstract=first.abstract,
        authors=("Zhenyi Wang", "Enneng Yang", "Li Shen"),
        authors_complete=False,
        author_count=None,
        date="2023-07-16",
        date_is_inferred=False,
        category="LG",
        has_code=True,
    )


def test_last_entry(page: ParsedPage) -> None:
    last = page.papers[-1]
    assert last.abstract.startswith("CNNs have made a tremendous impact on the field of computer")
    assert last.abstract.endswith(
        "salient object segmentation, semantic segmentation, and scene parsing."
    )
    assert last == ParsedPaper(
        title="Location Augmentation for CNN",
        abstract=last.abstract,
        authors=("Zhenyi Wang", "Olga Veksler"),
        authors_complete=True,
        author_count=2,
        date="2018-07-18",
        date_is_inferred=False,
        category="CV",
        has_code=False,
    )


def test_header_fields(page: ParsedPage) -> None:
    categories = {p.category for p in page.papers}
    assert categories == {"LG", "CV", "CL", "SP", "IR", "CR", "AI", "SI"}
    assert [i for i, p in enumerate(page.papers) if p.has_code] == [0, 1, 2, 4, 8, 13, 14]
    for paper in page.papers:
        assert paper.venue is None and paper.kind is None
        assert paper.score is None and paper.upvotes is None
        assert not paper.title_is_derived


def test_dates_without_year_are_inferred(page: ParsedPage) -> None:
    inferred = [
        (p.title.split(":")[0], p.date, p.has_code) for p in page.papers if p.date_is_inferred
    ]
    assert inferred == [
        ("Medical SAM3", "2026-01-15", True),  # "CVJan 15Code"
        ("EvoRubric", "2026-05-28", False),  # "CLMay 28"
        ("Seeing to Ground", "2026-03-26", False),
        ("Dystruct", "2026-05-10", False),
        ("AI Security in the Foundation Model Era", "2026-03-25", False),
        ("CoRe", "2026-02-04", False),
    ]


def test_inferred_year_never_after_capture() -> None:
    text = "CVDec 25Code\nA TitleJohn Smith, Mary Major\nAbstract.\n"
    (paper,) = parse(text, ParseContext(captured=date(2026, 1, 10))).papers
    assert (paper.date, paper.date_is_inferred, paper.has_code) == ("2025-12-25", True, True)


def test_latex_in_abstracts(page: ParsedPage) -> None:
    by_title = {p.title.split(":")[0]: p.abstract for p in page.papers}
    security = by_title["AI Security in the Foundation Model Era"]
    assert "the two foundational assets of ML – data and models – are no longer" in security
    assert "we propose a unified closed-loop threat taxonomy that" in security
    assert "(1) Data→Data (D→D): including data decryption attacks" in security
    assert "\\" not in security and "$" not in security and "{" not in security
    assert "a remarkable 11% improvement" in by_title["AdaMerging"]
    assert "speed-up (20×) and performance enhancement (1.42%∼4.78%)" in by_title["FREE"]
    task_free = by_title[
        "Improving Task-free Continual Learning by Distributionally Robust Memory Evolution"
    ]
    assert task_free.endswith(
        "Code is available on GitHub https://github.com/joey-wang123/DRO-Task-free"
    )
    # An author's own macro is not LaTeX anyone knows: it stays as written, not dropped.
    assert "we propose our method \\ourmeos with two-stage training" in by_title[
        "Understanding Catastrophic Interference"
    ]


# --- the split on its own ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "title", "authors", "complete"),
    [
        (
            "Graph Models for Data-Free TransferJean-Pierre Dupont, Zoë Ström, J. K. Rowling",
            "Graph Models for Data-Free Transfer",
            ("Jean-Pierre Dupont", "Zoë Ström", "J. K. Rowling"),
            True,
        ),
        (
            "Irish Speech CorporaSeán O'Neil, Vincent van der Berg et al.",
            "Irish Speech Corpora",
            ("Seán O'Neil", "Vincent van der Berg"),
            False,
        ),
        (
            "Two Authors OnlyAda Lovelace, Alan Turing",
            "Two Authors Only",
            ("Ada Lovelace", "Alan Turing"),
            True,
        ),
        (
            "Efficient Serving of LLMsAda Lovelace, Alan Turing",
            "Efficient Serving of LLMs",
            ("Ada Lovelace", "Alan Turing"),
            True,
        ),
        (
            "Scaling Laws for GPTŁukasz Kaiser, Ilya Sutskever et al.",
            "Scaling Laws for GPT",
            ("Łukasz Kaiser", "Ilya Sutskever"),
            False,
        ),
        ("Trustworthy AIMary Major", "Trustworthy AI", ("Mary Major",), True),
        (
            "SurgeryV2: Merging with Representation SurgeryEnneng Yang, Li Shen",
            "SurgeryV2: Merging with Representation Surgery",
            ("Enneng Yang", "Li Shen"),
            True,
        ),
        # Commas in the title; the second title has pieces that look like names.
        (
            "Deep Learning, Fast and SlowJohn Smith, Mary Major",
            "Deep Learning, Fast and Slow",
            ("John Smith", "Mary Major"),
            True,
        ),
        (
            "Learning Fast, Learning SlowJohn Smith, Mary Major",
            "Learning Fast, Learning Slow",
            ("John Smith", "Mary Major"),
            True,
        ),
        # Inner capitals in a name; a title never ends in a hyphen ("Multi-|Task LearningYann").
        (
            "Convolutional Nets Are Vision LearnersYann LeCun, Ann Lee",
            "Convolutional Nets Are Vision Learners",
            ("Yann LeCun", "Ann Lee"),
            True,
        ),
        (
            "Pre-Training for Multi-Task LearningYann LeCun",
            "Pre-Training for Multi-Task Learning",
            ("Yann LeCun",),
            True,
        ),
    ],
)
def test_split_crafted_lines(
    line: str, title: str, authors: tuple[str, ...], complete: bool
) -> None:
    assert split_title_authors(line) == (title, authors, complete)


def test_known_name_beats_name_shape() -> None:
    line = "Scaling Laws for GPTDeAndre Jordan, John Doe"
    # Without evidence the name-shaped "Andre Jordan" wins; knowing the person settles it.
    assert split_title_authors(line)[1] == ("Andre Jordan", "John Doe")
    assert split_title_authors(line, frozenset({"deandre jordan"})) == (
        "Scaling Laws for GPT", ("DeAndre Jordan", "John Doe"), True
    )


def test_page_is_its_own_evidence() -> None:
    text = (
        "LGJan 5, 2024\nRobust Graph LearningJohn Doe, DeAndre Jordan\nAbstract one.\n"
        "LGJan 6, 2024\nScaling Laws for GPTDeAndre Jordan, John Doe\nAbstract two.\n"
    )
    papers = parse(text).papers
    assert [(p.title, p.authors) for p in papers] == [
        ("Robust Graph Learning", ("John Doe", "DeAndre Jordan")),
        ("Scaling Laws for GPT", ("DeAndre Jordan", "John Doe")),
    ]


def test_context_known_names_are_evidence() -> None:
    text = "LGJan 5, 2024\nScaling Laws for GPTDeAndre Jordan, John Doe\nAbstract.\n"
    assert parse(text).papers[0].authors[0] == "Andre Jordan"
    context = ParseContext(captured=CAPTURED, known_names=frozenset({"deandre jordan"}))
    assert parse(text, context).papers[0].authors[0] == "DeAndre Jordan"


@pytest.mark.parametrize(
    "line",
    [
        "A title with no authors at all",
        "lowercase titlejohn smith",
        "Title, Then CommasJohn, Mary",  # one-word "names"
        "Title 王小明, 李雷",
        "",
    ],
)
def test_unsplittable_line(line: str) -> None:
    with pytest.raises(ParseError, match="no author list"):
        split_title_authors(line)


def test_unsplittable_entry_fails_the_page() -> None:
    text = (
        "LGJan 5, 2024\nNo authors here at all\nAbstract.\n"
        "LGJan 6, 2024\nA TitleJohn Doe, Ann Lee\nA.\n"
    )
    with pytest.raises(ParseError):
        parse(text)


# --- page shape variants ------------------------------------------------------------------------


def test_crlf_and_blank_lines() -> None:
    text = seed_text("002").replace("\n", "\r\n\r\n")
    assert parse(text) == parse(seed_text("002"))


def test_cut_off_page_keeps_whole_entries() -> None:
    lines = seed_text("002").split("\n")
    assert len(parse("\n".join(lines[:-1])).papers) == 37  # last abstract gone: kept, abstract ""
    assert parse("\n".join(lines[:-1])).papers[-1].abstract == ""
    cut_authors = "\n".join([*lines[:-2], "Location Augmentation for CNNZhenyi Wang, Olga"])
    assert len(parse(cut_authors).papers) == 36
    assert len(parse("\n".join(lines[:-2])).papers) == 36  # a bare header at the end


@pytest.mark.parametrize(
    "text",
    [
        "LGJan 5, 2024\nLGJan 6, 2024\nA TitleJohn Doe, Ann Lee\nA.\n",  # entry without title
        "LGJan 5, 2024\n",
    ],
)
def test_broken_pages(text: str) -> None:
    with pytest.raises(ParseError):
        parse(text)


def test_impossible_date_is_left_out() -> None:
    (paper,) = parse("LGFeb 30, 2024\nA TitleJohn Doe, Ann Lee\nA.\n").papers
    assert (paper.date, paper.date_is_inferred) == (None, False)


# --- detection and hostile input ----------------------------------------------------------------


@pytest.mark.parametrize("prefix", SEEDS)
def test_detects_only_its_seed(prefix: str) -> None:
    rows = page_rows(seed_text(prefix))
    assert paper_list.detect(rows) == (prefix == "002")
    if prefix == "002":
        assert [f.NAME for f in FORMATS if f.detect(rows)] == ["paper_list"]
        assert detect_format(seed_text(prefix)) is paper_list


HUGE_LINES = {
    "one word": "A" * 10_000_000,
    "all names": "Ab Cd, " * 1_500_000,
    "inner capitals": "AbAb " * 2_000_000,
    "commas": "," * 10_000_000,
    "hyphens": "A-" * 5_000_000,
}


@pytest.mark.parametrize("line", HUGE_LINES.values(), ids=HUGE_LINES.keys())
def test_huge_line_finishes_quickly(line: str) -> None:
    started = time.perf_counter()
    assert not paper_list.detect(page_rows(line))
    with pytest.raises(ParseError):
        parse("LGJan 5, 2024\n" + line + "\nAbstract.\n")
    with pytest.raises(ParseError):
        candidate_splits(line)
    assert time.perf_counter() - started < 10  # linear: about 2 s here; quadratic: hours


def test_longest_allowed_line_splits_quickly() -> None:
    started = time.perf_counter()
    names = "AbAb CdCd, " * 9_000
    title, authors, complete = split_title_authors("A TitleJohn Doe, " + names + "Ef Gh")
    assert (title, authors[:2], authors[-1]) == ("A Title", ("John Doe", "AbAb CdCd"), "Ef Gh")
    assert complete
    assert len(authors) == 9_002
    assert time.perf_counter() - started < 2
