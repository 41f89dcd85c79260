"""The only code that writes drafts (Draft, DraftFile): a wizard in progress, kept
across refreshes and «previous step». The final submission turns a draft into a
request (intake.services); abandoned drafts go with `manage.py cleanup_intake_drafts`."""

import uuid

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from . import uploads, wizard
from .forms import CHOOSE_STEP
from .models import Draft, DraftFile
from .storage import remove_files


def get_draft(key):
    """The draft with this key (submitted or not), or None."""
    if not key:
        return None
    try:
        key = uuid.UUID(str(key))
    except ValueError:
        return None
    # The key is unique: no ORDER BY needed.
    return next(iter(Draft.objects.filter(key=key).order_by()[:1]), None)


def start_draft():
    """A new draft, written by its first `save_step` (one INSERT)."""
    return Draft()


def save_step(draft, step, data, valid, consent=False):
    """Store what was typed on a step; mark the step finished when it validated."""
    data = {name: value for name, value in data.items() if name != "agree"}
    if step in (CHOOSE_STEP, 2):
        service_data = {name: data.pop(name) for name in ("unit", "service", "service_id") if name in data}
        if service_data:
            draft.data[wizard.SERVICE_KEY] = service_data
    draft.data[str(step)] = data
    completed = set(draft.completed)
    if valid:
        completed.add(step)
    else:
        completed.discard(step)
    if step in (CHOOSE_STEP, 2) and valid:
        # A different unit may have different officers: step 5 must be checked again.
        unit = draft.data[wizard.SERVICE_KEY].get("unit")
        if draft.data.get("5", {}).get("_unit") not in (None, unit):
            completed.discard(5)
    if step == 5:
        draft.data["5"]["_unit"] = wizard.unit_id_of(draft)
    if consent:
        draft.consented_at = timezone.now()
    draft.completed = sorted(completed)
    draft.updated_at = timezone.now()
    if draft.pk is None:
        draft.save()
    else:
        draft.save(update_fields=["data", "completed", "consented_at", "updated_at"])
    return draft


def save_attachments(draft, form):
    """Apply the attachments step: remove the ticked files, store the checked new ones,
    mark the step finished; one transaction. The draft lists its files in its data
    beside their rows (Draft.attachments), so later steps read no rows."""
    removed = set(form.cleaned_data.get("remove") or [])
    current = draft.attachments
    gone = [f for f in current if str(f.pk) in removed]
    kept = [f for f in current if str(f.pk) not in removed]
    with transaction.atomic():
        if gone:
            DraftFile.objects.filter(draft=draft, pk__in=[f.pk for f in gone]).delete()
            names = [f.file.name for f in gone]
            transaction.on_commit(lambda: remove_files(names))
        for clean, content_type, name, extension in form.checked:
            draft_file = DraftFile(
                draft=draft, original_name=name, content_type=content_type, size=len(clean)
            )
            draft_file.file.save(uploads.storage_name(extension), ContentFile(clean), save=False)
            draft_file.save()
            kept.append(draft_file)
        draft.data[Draft.FILES_KEY] = Draft.file_list(kept)
        draft.attachments = kept
        save_step(draft, 3, {}, valid=True)


def discard_draft(draft):
    """Remove a draft and its temporary files."""
    remove_files([draft_file.file.name for draft_file in draft.files.all()])
    draft.delete()
