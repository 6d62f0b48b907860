"""One folder per vendor API: its mock, its named faults and its conformance tests."""
