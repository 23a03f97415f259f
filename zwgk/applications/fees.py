"""信息处理费 (国办函〔2020〕109号 Art. 3–5, spec §3): progressive bands, one method per application."""


def _rate_per_application(k: int) -> int:
    """Fee for the k-th application of one applicant in one calendar month (Art. 4, 按件计收)."""
    if k <= 10:
        return 0
    if k <= 30:
        return 100
    return 200 + 100 * ((k - 31) // 10)  # 31–40: 200, 41–50: 300, … (+100 per band of 10)


def fee_for_applications(n: int) -> int:
    """Yuan owed in total by one applicant for n applications in one calendar month (按件计收)."""
    if n < 0:
        raise ValueError("申请件数不能为负数。")
    return sum(_rate_per_application(k) for k in range(1, n + 1))


def _rate_per_page(p: int) -> int:
    if p <= 30:
        return 0
    if p <= 100:
        return 10
    if p <= 200:
        return 20
    return 40


def fee_for_pages(pages: int) -> int:
    """Yuan for one application of that many pages (按量计收, Art. 5): 250 pages = 4,700 元."""
    if pages < 0:
        raise ValueError("页数不能为负数。")
    return sum(_rate_per_page(p) for p in range(1, pages + 1))
