"""Shared set-up of the tests of the suite itself."""

pytest_plugins = ["pytester"]  # tests/test_compat.py builds items in a scratch pytest session
