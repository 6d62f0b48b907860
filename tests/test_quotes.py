"""The report quotes the vendor: the cited lines verbatim, or why they cannot be quoted."""

from conformance import quotes

DOC = "999_0123456789abcdef.txt"


def _docs(tmp_path):
    (tmp_path / DOC).write_text("Title\n\nThe token lives 28,800 seconds.\nIt is a bearer token.\n", encoding="utf-8")
    return tmp_path


def test_cited_lines_are_quoted_verbatim(tmp_path):
    (quote,) = quotes.for_citations(f"{DOC}#L3-L4", _docs(tmp_path))
    assert quote.problem is None
    assert quote.lines == ((3, "The token lives 28,800 seconds."), (4, "It is a bearer token."))
    assert quote.to_json()["first_line"] == 3


def test_a_citation_that_no_longer_matches_says_so(tmp_path):
    docs = _docs(tmp_path)
    blank, outside, missing = quotes.for_citations(f"{DOC}#L2, {DOC}#L9, 998_0123456789abcdef.txt#L1", docs)
    assert blank.problem == "cited line is blank" and not blank.lines
    assert outside.problem.startswith("cited line is out of range") and not outside.lines
    assert "is not in" in missing.problem


def test_without_docs_there_is_nothing_to_quote():
    assert quotes.for_citations(f"{DOC}#L3", None) is None


def test_only_the_cited_lines_are_quoted(tmp_path):
    (tmp_path / DOC).write_text("\n".join(f"line {n}" for n in range(1, 200)), encoding="utf-8")
    (quote,) = quotes.for_citations(f"{DOC}#L10-L150", tmp_path)
    assert len(quote.lines) == quotes.MAX_LINES and quote.lines[0] == (10, "line 10")
    assert "quoted up to" in quote.problem
