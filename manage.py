#!/usr/bin/env python
"""Django's manage.py; `zwgk` (zwgk.cli) is the same entry point installed as a console script."""

from zwgk.cli import main

if __name__ == "__main__":
    main()
