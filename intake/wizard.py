"""The wizard's steps: which form belongs to which step, what a draft holds, which
step is the first unfinished one, and every step validated again before the final
submission. Reads only: drafts are written by intake.drafts, requests by
intake.services."""

from functools import cached_property

from portal import content_version

from . import catalog
from .forms import (
    CHOOSE_STEP,
    DEFAULT_REQUEST_TEXT_MAX,
    AttachmentsForm,
    ChooseServiceForm,
    CitizenForm,
    FinalForm,
    RequestDetailsForm,
    VisitForm,
)
from .models import IntakeSettings

ORDER = (CHOOSE_STEP, 1, 2, 3, 4, 5, 6)
# The choice and step 2 keep the service under this key of draft.data.
SERVICE_KEY = "service"


class WizardOptions:
    """What the forms offer; each part is read only when a step needs it.

    With a request, the services and the officers are those of its content version
    (kept in Django's cache, see intake.catalog); without one they are read now."""

    def __init__(self, request=None):
        self.request = request
        self.officers_by_unit = {}

    @cached_property
    def version(self):
        return content_version.for_request(self.request) if self.request is not None else None

    @cached_property
    def services(self):
        return catalog.service_options(self.version)

    def officers(self, unit_id):
        """The unit's active officers, by name."""
        if not unit_id:
            return []
        key = str(unit_id)
        if key not in self.officers_by_unit:
            self.officers_by_unit[key] = catalog.unit_officers(unit_id, self.version)
        return self.officers_by_unit[key]

    @cached_property
    def settings(self):
        settings = IntakeSettings.for_request(self.request) if self.request is not None else None
        return settings or IntakeSettings.objects.first() or IntakeSettings()

    @property
    def result_choices(self):
        return self.settings.visit_result_choices()

    @property
    def max_length(self):
        return self.settings.request_text_max_length or DEFAULT_REQUEST_TEXT_MAX


def options_for(request=None):
    return WizardOptions(request)


def step_initial(draft, step):
    data = dict(draft.data.get(str(step), {}))
    if step in (CHOOSE_STEP, 2):
        data.update(draft.data.get(SERVICE_KEY, {}))
    if step == CHOOSE_STEP and draft.consented_at and "agree" not in data:
        data["agree"] = "on"
    return data


def unit_id_of(draft):
    return draft.data.get(SERVICE_KEY, {}).get("unit")


def draft_files(draft):
    """The draft's attachments, in upload order (Draft.attachments: no query)."""
    return draft.attachments


def build_form(step, draft, options, data=None, files=None):
    """The step's form, bound to `data` when given, else unbound with the draft's values."""
    kwargs = {"initial": step_initial(draft, step)} if data is None else {"data": data, "files": files}
    if step == CHOOSE_STEP:
        return ChooseServiceForm(services=options.services, **kwargs)
    if step == 1 or step == 6:
        return FinalForm(**kwargs)
    if step == 2:
        return RequestDetailsForm(services=options.services, max_length=options.max_length, **kwargs)
    if step == 3:
        return AttachmentsForm(existing=draft_files(draft), **kwargs)
    if step == 4:
        return CitizenForm(**kwargs)
    if step == 5:
        return VisitForm(
            officers=options.officers(unit_id_of(draft)), result_choices=options.result_choices, **kwargs
        )
    raise ValueError(step)


def stored_form(step, draft, options):
    """The step's form bound to what the draft holds (to validate it again)."""
    return build_form(step, draft, options, data=step_initial(draft, step), files={})


def first_unfinished(draft):
    done = set(draft.completed)
    for step in ORDER[:-1]:
        if step not in done:
            return step
    return ORDER[-1]


def may_open(draft, step):
    """A step opens only when every earlier step is finished."""
    done = set(draft.completed)
    return all(earlier in done for earlier in ORDER[: ORDER.index(step)])


def revalidate(draft, options):
    """Bind every step to its stored values again. Returns (forms by step, first bad step or None)."""
    forms = {}
    for step in ORDER[:-1]:
        if step == CHOOSE_STEP:
            # The service chosen there is step 2's (both keep it under SERVICE_KEY) and is
            # validated with step 2; what is the choice's own is the consent.
            if not draft.consented_at:
                return forms, CHOOSE_STEP
            continue
        if step == 3:
            if len(draft_files(draft)) > 2:
                return forms, 3
            continue
        form = stored_form(step, draft, options)
        if not form.is_valid():
            return forms, step
        forms[step] = form
    return forms, None
