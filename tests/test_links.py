"""Links found in abstracts: every one in the seeds, and text that must not yield a dangerous one."""

from __future__ import annotations

import pytest

from store.links import find_links

# Every link in the seed abstracts, by the first 40 characters of the paper's title. Trailing
# sentence dots are left out (`PTQ1.61.` -> `PTQ1.61`) and so is the `{here}` that a LaTeX
# `\href{url}{here}` left behind on the TangleNAS paper.
SEED_LINKS = {
    "Medical SAM3: A Foundation Model for Uni": ("https://github.com/AIM-Research-Lab/Medical-SAM3",),
    "Continual Learning (CL) for Large Langua": ("https://github.com/Xnhyacinth/SpaRTA",),
    "Enabling Large Language Models (LLMs) to": ("https://github.com/JinhuiBot/PaRSP",),
    "Adaptive Defense against Harmful Fine-Tu": ("https://github.com/Egg-Hu/Bayesian-Data-Scheduler",),
    "Sparse Model Inversion: Efficient Invers": ("https://github.com/Egg-Hu/SMI",),
    "ELUTQ: Efficient LUT-Aware Quantization ": ("https://github.com/Nkniexin/ELUTQ",),
    "Unlocking the Potential of MLLMs in Refe": ("https://github.com/jcwang0602/MLLMSeg",),
    "PTQ1.61: Push the Real Limit of Extremel": ("https://github.com/zjq0455/PTQ1.61",),
    "SurgeryV2: Bridging the Gap Between Mode": ("https://github.com/EnnengYang/SurgeryV2",),
    "T-MAC: CPU Renaissance via Table Lookup ": ("https://github.com/microsoft/T-MAC",),
    "Everything to the Synthetic: Diffusion-d": (
        "https://github.com/SHI-Labs/Diffusion-Driven-Test-Time-Adaptation-via-Synthetic-Domain-Alignment",
    ),
    "A Unified and General Framework for Cont": ("https://github.com/joey-wang123/CL-refresh-learning",),
    "Weight-Entanglement Meets Gradient-Based": ("https://anonymous.4open.science/r/TangleNAS-527C",),
    "LeTFuser: Light-weight End-to-end Transf": ("https://github.com/pagand/e2etransfuser/tree/cvpr-w",),
    "SalUn: Empowering Machine Unlearning via": ("https://github.com/OPTML-Group/Unlearn-Saliency",),
    "A Comprehensive Survey of Forgetting in ": (
        "https://github.com/EnnengYang/Awesome-Forgetting-in-Deep-Learning",
    ),
    "PA&DA: Jointly Sampling PAth and DAta fo": ("https://github.com/ShunLu91/PA-DA",),
    "Oscillation-free Quantization for Low-bi": ("https://github.com/nbasyl/OFQ",),
    "GPTQ: Accurate Post-Training Quantizatio": ("https://github.com/IST-DASLab/gptq",),
    "Improving Task-free Continual Learning b": ("https://github.com/joey-wang123/DRO-Task-free",),
    "The Optimal BERT Surgeon: Scalable and A": (
        "https://github.com/neuralmagic/sparseml/tree/main/research/optimal_BERT_surgeon_oBERT",
    ),
    "Q-Palette: Fractional-Bit Quantizers Tow": ("https://github.com/snu-mllab/Q-Palette",),
    "QuEST: Stable Training of LLMs with 1-Bi": ("https://github.com/IST-DASLab/QuEST",),
}


def test_every_link_in_the_seed_abstracts(seed_library) -> None:
    found = {p.title[:40]: find_links(p.abstract) for p in seed_library.papers if find_links(p.abstract)}
    assert found == SEED_LINKS


@pytest.mark.parametrize(
    ("text", "links"),
    [
        ("Code is at https://github.com/a/b.", ("https://github.com/a/b",)),
        ("(see https://example.org/wiki/A_(b)).", ("https://example.org/wiki/A_(b)",)),
        ("(code: https://example.org/x), later", ("https://example.org/x",)),
        ("[x](https://example.org/p) and <https://example.org/q>", ("https://example.org/p", "https://example.org/q")),
        ("“https://example.org/q”, ‘https://example.org/r’", ("https://example.org/q", "https://example.org/r")),
        ("Is it https://example.org/?q=1&r=2#frag?", ("https://example.org/?q=1&r=2#frag",)),
        ("github.com/a/b; gitlab.com/c/d: huggingface.co/e/f!", (
            "https://github.com/a/b", "https://gitlab.com/c/d", "https://huggingface.co/e/f",
        )),
        ("www.github.com/a/b", ("https://www.github.com/a/b",)),
        ("HTTPS://Example.org/A and http://example.org/", ("https://Example.org/A", "http://example.org/")),
        ("https://x.org/a then https://x.org/b then https://x.org/a.", ("https://x.org/a", "https://x.org/b")),
        ("https://anonymous.4open.science/r/X-1{here}", ("https://anonymous.4open.science/r/X-1",)),
        ("https://x.org/a\\url", ("https://x.org/a",)),
        ("https://x.org/\x1b[31mred\x1b[0m", ("https://x.org/",)),
        ("https://x.org/a\u200bb https://x.org/c\u202ed", ("https://x.org/a", "https://x.org/c")),
        ("https://例え.jp/パス。", ("https://例え.jp/パス",)),
    ],
)
def test_links_in_text(text: str, links: tuple[str, ...]) -> None:
    assert find_links(text) == links


@pytest.mark.parametrize(
    "text",
    [
        "",
        "no links here, only github and a dot.com",
        "javascript:alert(1) JAVASCRIPT://x.org/ file:///etc/passwd ftp://x.org/a data:text/html,x",
        "https:// and http://. and https://-/ and https://:80/",
        "github.com alone, mygithub.com/a/b, git@github.com:a/b, user@github.com/a/b",
        "xhttps://x.org/a and a.https://x.org/b",
        "https://[::1/ broken bracket host",
    ],
)
def test_text_without_a_safe_link(text: str) -> None:
    assert find_links(text) == ()


def test_links_never_carry_controls_or_spaces() -> None:
    text = "".join(f"https://x.org/{chr(c)}tail " for c in [*range(0x20), *range(0x7F, 0xA0)])
    for url in find_links(text):
        assert url.isprintable() and " " not in url
        assert url.startswith("https://x.org/")
