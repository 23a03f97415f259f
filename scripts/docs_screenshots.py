"""Copy the screenshots the clerk's guide shows from the browser tests' output into docs/screenshots/.

The browser tests write their screenshots to $ZWGK_SCREENSHOT_DIR (default var/screenshots); `make
screenshots` runs the tests that take these and then this script, which shrinks each to the guide's width.
tests/test_docs.py checks that docs/clerk.md shows exactly these files and that a browser test writes each.

Usage: python scripts/docs_screenshots.py [SOURCE_DIR]
"""

import os
import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "docs" / "screenshots"
WIDTH = 1000  # px: readable in the back office's 帮助 and on GitHub, small in the repository
MAX_HEIGHT = 2400  # px: a full-page shot taller than this is cut (the top of a page is what the guide shows)

# name in the guide: name the browser test writes
SHOTS = {
    "home.png": "home-desktop.png",
    "home-phone.png": "home-phone.png",
    "home-care.png": "home-care.png",
    "application-unconfirmed.png": "w1-shenhe-unconfirmed.png",
    "application-paused.png": "w1-shenhe-paused.png",
    "application-replied.png": "w1-shenhe-replied.png",
    "dashboard-informant.png": "w2-xinxi.png",
    "dashboard-first-review.png": "w2-chushen.png",
    "dashboard-township.png": "w2-zhen.png",
}


def copy_all(source: Path) -> list[str]:
    """Shrink and copy every shot; returns the missing source names."""
    TARGET.mkdir(parents=True, exist_ok=True)
    missing = []
    for name, written in SHOTS.items():
        path = source / written
        if not path.exists():
            missing.append(written)
            continue
        image = Image.open(path).convert("RGB")
        if image.width > WIDTH:
            image = image.resize((WIDTH, round(image.height * WIDTH / image.width)), Image.LANCZOS)
        image = image.crop((0, 0, image.width, min(image.height, MAX_HEIGHT)))
        image = image.quantize(colors=128, method=Image.Quantize.MEDIANCUT)
        image.save(TARGET / name, optimize=True)
    return missing


def main(argv):
    source = Path(
        argv[1] if len(argv) > 1 else os.environ.get("ZWGK_SCREENSHOT_DIR") or ROOT / "var" / "screenshots"
    )
    missing = copy_all(source)
    if missing:
        print("缺少截图（先运行 make screenshots 中的浏览器测试）：" + "、".join(missing), file=sys.stderr)
        return 1
    print(f"已更新 {len(SHOTS)} 张截图：{TARGET.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
