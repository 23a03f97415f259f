"""Write docs/licences.md: every distribution zwgk's runtime dependencies pull in, with its licence.

    .venv/bin/python scripts/licences.py            # rewrite docs/licences.md
    .venv/bin/python scripts/licences.py --check    # exit 1 if docs/licences.md is out of date

Starts from [project].dependencies of pyproject.toml (not the dev extra), follows each installed
distribution's own requirements (importlib.metadata; environment markers evaluated for this Python,
requested extras followed), and reads the licence from the metadata: the SPDX `License-Expression`
(PEP 639) when there is one, else the `License ::` classifiers, else a short `License` field.
A GPL or AGPL licence is flagged as needing a decision (zwgk is under Mulan PSL v2, a permissive
licence); an LGPL one is named with what it asks of whoever ships it.
"""

import argparse
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "docs" / "licences.md"
COPYLEFT = re.compile(r"\bA?GPL|General Public License", re.IGNORECASE)
LESSER = re.compile(r"\bLGPL|Lesser General Public License", re.IGNORECASE)
# Classifier names that say less than the SPDX identifier the table should show.
CLASSIFIER_SPDX = {
    "BSD License": "BSD",
    "MIT License": "MIT",
    "Apache Software License": "Apache-2.0",
    "Python Software Foundation License": "PSF-2.0",
    "Mozilla Public License 2.0 (MPL 2.0)": "MPL-2.0",
    "ISC License (ISCL)": "ISC",
    "The Unlicense (Unlicense)": "Unlicense",
    "GNU Lesser General Public License v3 (LGPLv3)": "LGPL-3.0",
    "GNU General Public License v3 (GPLv3)": "GPL-3.0",
    "GNU Affero General Public License v3": "AGPL-3.0",
}


def project_requirements() -> list[Requirement]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return [Requirement(r) for r in data["project"]["dependencies"]]


def licence_of(dist: metadata.Distribution) -> str:
    """The distribution's licence as its metadata states it, shortest reliable form first."""
    meta = dist.metadata
    expression = meta.get("License-Expression")
    if expression:
        return expression.strip()
    classifiers = [
        c.split(" :: ")[-1] for c in meta.get_all("Classifier") or [] if c.startswith("License :: ")
    ]
    classifiers = [CLASSIFIER_SPDX.get(c, c) for c in classifiers if c != "OSI Approved"]
    if classifiers:
        return " OR ".join(dict.fromkeys(classifiers))
    field = (meta.get("License") or "").strip()
    if field and "\n" not in field and len(field) <= 60:
        return field
    if field:  # the whole licence text pasted into the field: name it by its first line
        return field.splitlines()[0].strip()[:60]
    return "（元数据未注明）"


def walk() -> dict[str, metadata.Distribution]:
    """Every installed distribution reachable from the project's dependencies, by canonical name."""
    found: dict[str, metadata.Distribution] = {}
    todo = [(req, frozenset(req.extras)) for req in project_requirements()]
    seen: set[tuple[str, frozenset]] = set()
    while todo:
        req, extras = todo.pop()
        name = canonicalize_name(req.name)
        if (name, extras) in seen:
            continue
        seen.add((name, extras))
        try:
            dist = metadata.distribution(req.name)
        except metadata.PackageNotFoundError:
            print(f"not installed: {req.name}", file=sys.stderr)
            continue
        found[name] = dist
        for line in dist.requires or []:
            sub = Requirement(line)
            if sub.marker is not None:
                env = default_environment()
                # The requirement applies if its marker holds with no extra or one of the extras asked for.
                if not any(sub.marker.evaluate({**env, "extra": e}) for e in ("", *extras)):
                    continue
            todo.append((sub, frozenset(sub.extras)))
    return found


def render(found: dict[str, metadata.Distribution]) -> str:
    rows = []
    strong, weak = [], []
    for name in sorted(found):
        dist = found[name]
        licence = licence_of(dist)
        label = f"{dist.metadata['Name']} ({licence})"
        if LESSER.search(licence):
            weak.append(label)
        elif COPYLEFT.search(licence):
            strong.append(label)
        rows.append(f"| {dist.metadata['Name']} | {dist.version} | {licence.replace('|', '/')} |")
    if strong:
        judgement = (
            "**Needs a decision: GPL-family licences** "
            + "; ".join(strong)
            + ". GPL or AGPL code combined with zwgk would impose its terms on the combined work, "
            "which Mulan PSL v2 does not; replace the dependency or decide the distribution terms."
        )
    else:
        judgement = "No dependency is under the GPL or AGPL: no licence conflicts with Mulan PSL v2."
    if weak:
        judgement += (
            " Under the LGPL: "
            + "; ".join(weak)
            + ". zwgk imports them unmodified as separate packages installed by pip, which the LGPL "
            "allows for a program under any licence; whoever ships a bundle that contains them keeps "
            "their licence text and lets the recipient replace them (a wheel or a virtual environment does)."
        )
    return "\n".join(
        [
            "# Licences of the dependencies",
            "",
            "zwgk itself is under 木兰宽松许可证第2版 (Mulan PSL v2, SPDX `MulanPSL-2.0`, see `LICENSE`).",
            "The table lists every Python distribution that zwgk's runtime dependencies (`[project].dependencies`",
            "of `pyproject.toml`, not the `dev` extra) pull in, transitively, as installed, with the licence its",
            "own metadata states. Generated by `scripts/licences.py`; regenerate it after a dependency changes:",
            "",
            "```",
            ".venv/bin/python scripts/licences.py          # rewrites this file",
            ".venv/bin/python scripts/licences.py --check  # fails if this file is out of date",
            "```",
            "",
            "## Judgement",
            "",
            f"{len(found)} distributions. {judgement}",
            "",
            "Mulan PSL v2 is a permissive licence (like Apache-2.0: a copyright and a patent grant, keep the",
            "notices); it asks nothing of the licences of the libraries zwgk uses, and permissive licences",
            "(MIT, BSD, Apache-2.0, PSF, ISC, MIT-CMU) ask only that their notices are kept. certifi's MPL-2.0",
            "is copyleft per file: it binds changes to certifi's own files, which zwgk does not make.",
            "pypdfium2's wheel carries the PDFium binary and the notices of the libraries built into it",
            "(FreeType, ICU, libjpeg-turbo, OpenJPEG …: permissive, or GCC's runtime library under its",
            "runtime exception in musl builds). The question runs the other way: a GPL or AGPL dependency would require the combined",
            "work to be distributed under its terms; the script flags one as soon as it appears.",
            "",
            "## Distributions",
            "",
            "| package | version | licence |",
            "| --- | --- | --- |",
            *rows,
            "",
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if docs/licences.md is out of date")
    args = parser.parse_args()
    text = render(walk())
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print("docs/licences.md is out of date: run scripts/licences.py", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
