import pytest

from zwgk.text.normalize import fold_width, normalize, normalize_document_number


@pytest.mark.parametrize(
    "spelling",
    [
        "龙政办〔2022〕3号",
        "龙政办[2022]3号",
        "龙政办2022-3号",
        "龙政办（２０２２）第03号",
        "龙政办【2022】3号",
    ],
)
def test_document_number_spellings_normalise_to_gb_t_9704(spelling):
    assert normalize_document_number(spelling) == "龙政办〔2022〕3号"


def test_fold_width_preserves_length():
    text = "ＡＢＣ　１２３，（）"
    assert len(fold_width(text)) == len(text)
    assert fold_width(text) == "ABC 123,()"


def test_normalize_simplifies_and_lowercases():
    assert normalize("國務院辦公廳 ＡＢＣ") == "国务院办公厅 abc"
