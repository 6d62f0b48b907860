"""Shared set-up of the tests of the suite itself."""

pytest_plugins = ["pytester"]  # tests/test_compat.py builds items in a scratch pytest session

# The example vendor API package is run by tests/test_example_api.py once installed, never
# collected as tests of the suite itself.
collect_ignore = ["example_api"]
