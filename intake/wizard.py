"""The wizard's state: which form belongs to which step, what a draft holds,
and which step is the first unfinished one. Reads only; writes go through
intake.services."""

from functools import cached_property

from django.utils.translation import get_language

from portal.cache import content_generation, remembered

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
from .models import DraftFile, IntakeSettings

ORDER = (CHOOSE_STEP, 1, 2, 3, 4, 5, 6)
# Steps whose values live in draft.data under their own key.
SERVICE_KEY = "service"
# The draft's attachments as intake.services.save_attachments left them (draft_files).
FILES_KEY = "files"
FILE_FIELDS = ("id", "file", "original_name", "content_type", "size")


class WizardOptions:
    """What the forms offer; each part is read only when a step needs it.

    With a request, the services and the officers are those of the request's content
    generation (`exact`): kept in this process's memory per generation, so they are
    current as of the request's start in every process. Without one, the services
    come from Django's cache and may be up to CATALOG_TTL seconds old."""

    def __init__(self, request=None):
        self.request = request

    @cached_property
    def token(self):
        return content_generation(self.request) if self.request is not None else None

    @property
    def exact(self):
        return self.token is not None

    @cached_property
    def services(self):
        if self.token is None:
            return catalog.service_options()
        key = ("intake:services", get_language())
        return remembered(self.token, key, lambda: catalog.service_options(cached=False))

    def officers(self, unit_id):
        """The unit's active officers, by name."""
        if not unit_id:
            return []
        key = ("intake:officers", str(unit_id))
        return remembered(self.token, key, lambda: list(catalog.active_officers(unit_id)))

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


def draft_files(draft):
    """The draft's attachments (DraftFile objects, in upload order), from the list
    save_attachments keeps in draft.data with the rows: no query. Only a draft
    written before that list existed reads its rows. Kept on the draft object."""
    files = getattr(draft, "_wizard_files", None)
    if files is None:
        listed = draft.data.get(FILES_KEY)
        if listed is None:
            files = list(draft.files.all()) if draft.pk else []
        else:
            files = [_listed_file(draft, entry) for entry in listed]
        draft._wizard_files = files
    return files


def _listed_file(draft, entry):
    draft_file = DraftFile(draft=draft, **{name: entry[name] for name in FILE_FIELDS})
    draft_file._state.adding = False
    draft_file._state.db = draft._state.db
    return draft_file


def listed_files(files):
    """What draft.data[FILES_KEY] holds for these DraftFile objects."""
    return [{**{name: getattr(f, name) for name in FILE_FIELDS}, "file": f.file.name} for f in files]


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
