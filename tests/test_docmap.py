"""Every non-blank line of every vendor doc has a disposition in the API's doc map
(specs/<api>.docmap.yaml), and every catalogue row is reached from it."""

import pytest

from conformance import docmap, registry
from tests import vendor_docs

APIS = sorted(registry.all_apis())


@pytest.mark.parametrize("api", APIS)
def test_doc_map_covers_the_doc_and_the_catalogue(api):
    dmap = docmap.load(api)
    assert dmap is not None, f"{api} has no doc map"
    problems = docmap.problems(api, vendor_docs.lines(dmap.doc))
    assert not problems, "\n".join(problems)
