from tests.admin.conftest import count_queries  # noqa: F401 - the query counter fixture, shared
