"""The compiled part of zwgk (the rest is in pyproject.toml): screening's per-character loops."""

from setuptools import Extension, setup

setup(ext_modules=[Extension("zwgk.text._scan", ["zwgk/text/_scan.c"], extra_compile_args=["-O3"])])
