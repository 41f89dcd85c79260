# The request wizard's fixtures (a published IntakePage, a unit, its officer, a service).
from tests.intake.conftest import intake_page, officer, service, unit  # noqa: F401
