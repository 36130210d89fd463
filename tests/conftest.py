import pytest

from tests import factories


@pytest.fixture(autouse=True)
def reference_organisation(request):
    """Tests read as the reference charity does: named Leeds Mind, as seed_demo names it.
    (A fresh installation says "Your organisation"; tests of that use `neutral_site`.)"""
    if request.node.get_closest_marker("django_db") is None:
        return None
    from organisation.current import current_organisation, forget_organisation

    forget_organisation()
    organisation = current_organisation()
    organisation.name = "Leeds Mind"
    organisation.save()
    return organisation


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: kept counts (compliance.counts) and rate
    limits are keyed by rows a rolled-back test may have numbered the same way."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def service():
    return factories.ServiceFactory(name="CMHT 2")


@pytest.fixture
def psw(service):
    return factories.psw(username="psw.one", service=service)


@pytest.fixture
def other_psw():
    return factories.psw(username="psw.two")


@pytest.fixture
def manager():
    return factories.manager(username="the.manager")


@pytest.fixture
def supervisor():
    return factories.supervisor(username="the.supervisor")


@pytest.fixture
def service_lead(service):
    return factories.service_lead(username="the.lead", service=service)


@pytest.fixture
def administrator():
    return factories.administrator(username="the.admin")


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client signed in as that user."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


def pytest_configure(config):
    from django.conf import settings

    # Hashing passwords properly is slow by design; tests need no protection.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run the backup round trip after every other test that reloads the database.

    It flushes and restores the whole database inside the test, content types and
    caches included; a transactional test after it (the races) then fails to reload
    the migrated snapshot. Last, it disturbs nothing.
    """
    wipes = [item for item in items if item.get_closest_marker("wipes_database")]
    items[:] = [item for item in items if item not in wipes] + wipes
