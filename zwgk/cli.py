"""The `zwgk` console script: every management command of the project under one name.

`zwgk demo`, `zwgk migrate`, `zwgk screen …` are `manage.py demo`, `manage.py migrate`, …
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zwgk.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["zwgk", *sys.argv[1:]])
