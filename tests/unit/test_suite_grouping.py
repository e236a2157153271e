"""`make test` runs several pytest-xdist processes and keeps the tests that share an expensive app (the PostgreSQL +
Redis shop, the two machines) in one of them with `xdist_group`. Were the grouping lost, the suite would still pass,
only building those apps twice: this test notices instead."""

import pytest


@pytest.mark.xdist_group("grouping-check")
def test_a_grouped_test_is_scheduled_with_its_group(request):
    if not getattr(request.config.option, "loadgroup", False):
        pytest.skip("runs only under `make test`'s --dist loadgroup")
    assert request.node.nodeid.endswith("@grouping-check")
