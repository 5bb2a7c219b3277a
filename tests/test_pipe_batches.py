"""How the mentions stage cuts paragraphs into model batches: bounded by count and by characters,
in order, nothing lost (the character bound is what keeps a long run's peak memory where a short
run's is)."""

from __future__ import annotations

from extract.mentions import PIPE_BATCH, PIPE_BATCH_CHARS, PIPE_BATCH_MIN, _pipe_batches


def _texts(lengths: list[int]) -> list[tuple[str, tuple[int, int]]]:
    return [("x" * length, (number, 0)) for number, length in enumerate(lengths)]


def test_batches_keep_the_order_and_every_text() -> None:
    texts = _texts([120, 3_000, 40, 5_000, 5_000, 5_000, 7, 900] * 40)
    batches = list(_pipe_batches(iter(texts)))
    assert [item for batch in batches for item in batch] == texts


def test_a_batch_stays_under_the_character_bound_once_it_has_its_least_count() -> None:
    texts = _texts([300, 4_999, 5_000, 2_500, PIPE_BATCH_CHARS + 10, 80, 5_000, 5_000, 5_000] * 30)
    for batch in _pipe_batches(iter(texts)):
        chars = sum(len(text) for text, _ in batch)
        assert chars <= PIPE_BATCH_CHARS or len(batch) <= PIPE_BATCH_MIN
        assert len(batch) <= PIPE_BATCH


def test_the_long_pieces_of_a_one_line_article_still_go_several_at_a_time() -> None:
    texts = _texts([5_000] * (PIPE_BATCH_MIN * 3))
    assert [len(batch) for batch in _pipe_batches(iter(texts))] == [PIPE_BATCH_MIN] * 3


def test_short_paragraphs_fill_a_batch_to_its_count() -> None:
    texts = _texts([20] * (PIPE_BATCH * 2 + 5))
    sizes = [len(batch) for batch in _pipe_batches(iter(texts))]
    assert sizes == [PIPE_BATCH, PIPE_BATCH, 5]


def test_a_full_batch_holds_most_of_the_character_bound() -> None:
    # paragraph-sized texts: each batch but the last is within one paragraph of the bound, so early
    # batches weigh what later ones do
    texts = _texts([700, 450, 1_200, 300, 900] * 60)
    batches = list(_pipe_batches(iter(texts)))
    for batch in batches[:-1]:
        assert sum(len(text) for text, _ in batch) > PIPE_BATCH_CHARS - 1_200
