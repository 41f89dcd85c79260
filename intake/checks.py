"""System checks of the request lifecycle, run by `manage.py check --deploy`."""

from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def letter_signing_certificate(app_configs=None, **kwargs):
    """Production issues no official response without the organisation's certificate
    (docs/letters.md): the PKCS#12 named by LETTER_SIGNING_P12 must open with
    LETTER_SIGNING_PASSWORD, and the self-signed demo certificate is not allowed."""
    from django.conf import settings

    from . import letters

    errors = []
    if getattr(settings, "LETTER_SIGNING_DEMO", False):
        errors.append(
            checks.Error(
                "LETTER_SIGNING_DEMO is on: official responses would be signed with a self-signed demo certificate.",
                hint="Unset LETTER_SIGNING_DEMO and set LETTER_SIGNING_P12 and LETTER_SIGNING_PASSWORD (docs/letters.md).",
                id="intake.E101",
            )
        )
    problem = letters.configuration_problem()
    if problem:
        errors.append(
            checks.Error(
                problem,
                hint="Install the organisation's PKCS#12 certificate and set LETTER_SIGNING_P12 and "
                "LETTER_SIGNING_PASSWORD (docs/letters.md).",
                id="intake.E102",
            )
        )
    return errors
