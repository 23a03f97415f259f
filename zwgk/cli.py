"""The `zwgk` console script: every management command of the project under one name.

`zwgk demo`, `zwgk migrate`, `zwgk screen …` are `manage.py demo`, `manage.py migrate`, …
"""

import os
import sys

from django.core.management import execute_from_command_line


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zwgk.settings")
    argv = sys.argv[1:]
    if argv:
        # Commands are spelled with hyphens on the command line (`zwgk screen-archive`), like the issues do.
        argv[0] = COMMAND_ALIASES.get(argv[0], argv[0])
    execute_from_command_line(["zwgk", *argv])


COMMAND_ALIASES = {
    "screen-archive": "screen_archive",
    "import-applications": "import_applications",
    "annual-report": "annual_report",
    "send-digest": "send_digest",
}
