import pytest

from tests.factories import ServiceIndexPageFactory, make_site


@pytest.fixture
def home(db):
    return make_site()


@pytest.fixture
def service_index(home):
    return ServiceIndexPageFactory(parent=home)
