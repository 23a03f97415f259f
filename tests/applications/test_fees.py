"""信息处理费, 国办函〔2020〕109号 Art. 4 (按件) and Art. 5 (按量), at every band boundary (spec §3.1)."""

import pytest

from zwgk.applications.fees import fee_for_applications, fee_for_pages


@pytest.mark.parametrize(
    "n, fee",
    [
        (0, 0),
        (1, 0),
        (10, 0),  # 1–10 free
        (11, 100),
        (30, 2000),  # 11–30: 100 元/件
        (31, 2200),
        (40, 4000),  # 31–40: 200 元/件
        (41, 4300),
        (45, 5500),
        (50, 7000),  # 41–50: 300 元/件 (spec example: 45 → 5,500)
        (51, 7400),
        (60, 11000),  # 51–60: 400 元/件
    ],
)
def test_per_application_bands(n, fee):
    assert fee_for_applications(n) == fee


@pytest.mark.parametrize(
    "pages, fee",
    [
        (0, 0),
        (30, 0),
        (31, 10),
        (100, 700),
        (101, 720),
        (200, 2700),
        (201, 2740),
        (250, 4700),  # spec: 250 → 4,700
    ],
)
def test_per_page_bands(pages, fee):
    assert fee_for_pages(pages) == fee


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        fee_for_applications(-1)
    with pytest.raises(ValueError):
        fee_for_pages(-1)
