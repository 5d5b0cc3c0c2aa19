"""Forms of the bundle pages: the window's bundle intake (the situation answers, the applicant,
the one form, the de-duplicated materials, the correction list) and one form per bundle action
(the parameter contract of `approvals.services.bundle_case_act`).

The forms only shape the input; the rules are the services'. Their `ValidationFailed.details`
keys (applicant.name, form.<key>, answers.<key>, materials.<i>, note, correction_items.<i>, …)
are put back next to the fields by `add_service_errors`.
"""

from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from onewindow.approvals import transitions as T
from onewindow.cases.delivery_models import CaseDelivery
from onewindow.catalog.models import Bundle, BundleField
from onewindow.web.cases.forms import ApplicantMixin, IntakeForm, service_field_errors

# The applicant and delivery fields of the case intake form, reused as they are.
APPLICANT_FIELDS = (
    "applicant_kind",
    "applicant_name",
    "applicant_id_type",
    "applicant_id_number",
    "applicant_phone",
    "applicant_address",
    "applicant_legal_rep_name",
    "applicant_legal_rep_id_number",
    "delivery_method",
    "note",
)
EXTRA_CORRECTION_ROWS = 2


def _place(form: forms.Form, field: str | None, messages: list[str]) -> None:
    target = field if field is not None and field in form.fields else None
    for message in messages:
        if target is not None and target in form.errors and message in form.errors[target]:
            continue
        form.add_error(target, message)


class BundleIntakeForm(ApplicantMixin, forms.Form):
    """The bundle intake of one bundle: q_<key> answers, the applicant, f_<key> form values,
    m<position>_received materials, c<position>/c<position>_note and x<i>_name/x<i>_note
    correction rows."""

    ACTIONS = ("accept", "correct", "refuse")

    all_received = forms.BooleanField(label=_("All materials handed in"), required=False)

    def __init__(self, *args: Any, bundle: Bundle, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.bundle = bundle
        self.questions = list(bundle.questions.all())
        self.bundle_fields = list(bundle.fields.all())
        self.materials = list(bundle.materials.all())
        for name in APPLICANT_FIELDS:
            self.fields[name] = copy.deepcopy(IntakeForm.base_fields[name])
        for q in self.questions:
            self.fields[f"q_{q.key}"] = forms.ChoiceField(
                label=q.text,
                choices=[(o.value, o.label) for o in q.options.all()],
                required=False,
                widget=forms.RadioSelect(attrs={"data-autosubmit": ""}),
            )
        for bf in self.bundle_fields:
            self.fields[f"f_{bf.key}"] = self._form_field(bf)
        for m in self.materials:
            self.fields[f"m{m.position}_received"] = forms.BooleanField(label=m.name, required=False)
            self.fields[f"c{m.position}"] = forms.BooleanField(label=_("to correct"), required=False)
            self.fields[f"c{m.position}_note"] = forms.CharField(
                label=_("what is missing or wrong"), required=False, max_length=500
            )
        for i in range(1, EXTRA_CORRECTION_ROWS + 1):
            self.fields[f"x{i}_name"] = forms.CharField(
                label=_("Other material"), required=False, max_length=200
            )
            self.fields[f"x{i}_note"] = forms.CharField(
                label=_("what is missing or wrong"), required=False, max_length=500
            )

    @staticmethod
    def _form_field(bf: BundleField) -> forms.Field:
        # Every value is checked by the service (`approvals.plan`): the fields only carry it.
        kind = bf.field_type
        label = bf.label
        if kind == BundleField.FieldType.CHOICE:
            choices = [("", "—")] + [(c.strip(), c.strip()) for c in bf.choices.split("|") if c.strip()]
            return forms.ChoiceField(label=label, choices=choices, required=False)
        attrs: dict[str, str] = {}
        if kind == BundleField.FieldType.DATE:
            attrs = {"type": "date"}
        elif kind == BundleField.FieldType.NUMBER:
            attrs = {"inputmode": "decimal"}
        return forms.CharField(label=label, required=False, max_length=1000, widget=forms.TextInput(attrs))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.normalise_applicant(data)
        if data.get("all_received"):
            for m in self.materials:
                data[f"m{m.position}_received"] = True
        return data

    # what the template shows ----------------------------------------------------------------

    def question_fields(self) -> list[Any]:
        return [self[f"q_{q.key}"] for q in self.questions]

    def form_fields(self) -> list[tuple[Any, bool]]:
        return [(self[f"f_{bf.key}"], bf.required) for bf in self.bundle_fields]

    def material_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "material": m,
                "received": self[f"m{m.position}_received"],
                "correct": self[f"c{m.position}"],
                "correct_note": self[f"c{m.position}_note"],
            }
            for m in self.materials
        ]

    def extra_rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"x{i}_name"], self[f"x{i}_note"]) for i in range(1, EXTRA_CORRECTION_ROWS + 1)]

    def answers(self) -> dict[str, str]:
        """The answers given so far (from the bound data: also before validation)."""
        out: dict[str, str] = {}
        for q in self.questions:
            value = self[f"q_{q.key}"].value()
            if value not in (None, ""):
                out[q.key] = str(value)
        return out

    # the service's input --------------------------------------------------------------------

    def form_values(self) -> dict[str, str]:
        d = self.cleaned_data
        return {bf.key: str(d.get(f"f_{bf.key}") or "") for bf in self.bundle_fields if d.get(f"f_{bf.key}")}

    def _ticked(self) -> list[Any]:
        return [m for m in self.materials if self.cleaned_data.get(f"m{m.position}_received")]

    def materials_received(self) -> list[int]:
        return [m.position for m in self._ticked()]

    def _correction_rows(self) -> list[tuple[str, str, str]]:
        """(field of the name, field of the note, …) of each correction entry sent, in order."""
        d = self.cleaned_data
        rows: list[tuple[str, str, str]] = []
        for m in self.materials:
            if d.get(f"c{m.position}"):
                rows.append((f"c{m.position}", f"c{m.position}_note", m.name))
        for i in range(1, EXTRA_CORRECTION_ROWS + 1):
            name = str(d.get(f"x{i}_name") or "").strip()
            if name or str(d.get(f"x{i}_note") or "").strip():
                rows.append((f"x{i}_name", f"x{i}_note", name))
        return rows

    def correction_items(self) -> list[dict[str, str]]:
        d = self.cleaned_data
        return [
            {"name": name, "note": str(d.get(note) or "")} for _field, note, name in self._correction_rows()
        ]

    def add_service_errors(self, details: Any) -> None:
        """The service's details next to the fields (see the module)."""
        ticked = self._ticked() if hasattr(self, "cleaned_data") else []
        rows = self._correction_rows() if hasattr(self, "cleaned_data") else []
        for key, messages in service_field_errors(details).items():
            parts = key.split(".")
            head = parts[0]
            target: str | None = None
            if head == "applicant" and len(parts) == 2:
                target = f"applicant_{parts[1]}"
            elif head == "form" and len(parts) == 2:
                target = f"f_{parts[1]}"
            elif head == "answers" and len(parts) == 2:
                target = f"q_{parts[1]}"
            elif head == "materials" and len(parts) == 2 and parts[1].isdigit():
                # the i-th material sent (`approvals.plan`); longer keys come from a sub-case's
                # own intake and name its item's list: shown above the form
                i = int(parts[1])
                target = f"m{ticked[i].position}_received" if i < len(ticked) else None
            elif head == "correction_items" and len(parts) >= 2 and parts[1].isdigit():
                i = int(parts[1])
                if i < len(rows):
                    target = rows[i][1] if parts[-1] == "note" else rows[i][0]
            elif head in ("note", "delivery_method"):
                target = head
            _place(self, target, messages)


# --- the bundle actions -----------------------------------------------------------------------

ACTION_LABELS: dict[str, Any] = {
    T.ACCEPT: _("Accept the bundle"),
    T.REFUSE: _("Refuse the bundle"),
    T.REQUEST_CORRECTION: _("Ask for a correction (merged notice)"),
    T.RECEIVE_CORRECTION: _("Receive the corrected materials"),
    T.REQUEST_EXTENSION: _("Ask for the joint extension"),
    T.APPROVE_EXTENSION: _("Approve the joint extension"),
    T.REJECT_EXTENSION: _("Reject the joint extension"),
    T.DELIVER: _("Deliver every result (one pickup)"),
}
SEVERE = frozenset({T.REFUSE, T.REJECT_EXTENSION})
CORRECTION_ROWS = 5


class BundleActionForm(forms.Form):
    """One bundle action's parameters (the contract in `approvals.services`), with `version`."""

    def __init__(self, *args: Any, action: str, version: int, materials: list[dict[str, Any]], **kwargs: Any):
        kwargs.setdefault("prefix", action)
        super().__init__(*args, **kwargs)
        self.action = action
        self.label = ACTION_LABELS.get(action, action)
        self.severe = action in SEVERE
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, initial=version)
        material_choices = [(str(m["position"]), m["name"]) for m in materials]
        note = forms.CharField(
            label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
        )
        if action in (T.ACCEPT, T.RECEIVE_CORRECTION):
            self.fields["materials"] = forms.MultipleChoiceField(
                label=_("Materials handed in"),
                choices=material_choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
            self.fields["note"] = note
        elif action == T.REFUSE:
            self.fields["reason"] = forms.CharField(
                label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
            )
        elif action == T.REQUEST_CORRECTION:
            for i in range(CORRECTION_ROWS):
                self.fields[f"item{i}_name"] = forms.CharField(
                    label=_("Material"), required=False, max_length=200
                )
                self.fields[f"item{i}_note"] = forms.CharField(
                    label=_("what is missing or wrong"), required=False, max_length=500
                )
        elif action == T.REQUEST_EXTENSION:
            self.fields["days"] = forms.IntegerField(
                label=_("Working days to add"), min_value=1, max_value=15
            )
            self.fields["reason"] = forms.CharField(
                label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
            )
        elif action in (T.APPROVE_EXTENSION, T.REJECT_EXTENSION):
            note.required = action == T.REJECT_EXTENSION
            self.fields["note"] = note
        elif action == T.DELIVER:
            self.fields["method"] = forms.ChoiceField(
                label=_("How are the results delivered?"),
                choices=CaseDelivery.Method.choices,
                widget=forms.RadioSelect,
            )
            self.fields["recipient_relation"] = forms.ChoiceField(
                label=_("Who collects them"),
                choices=CaseDelivery.Relation.choices,
                required=False,
                initial=CaseDelivery.Relation.SELF,
            )
            self.fields["recipient_name"] = forms.CharField(
                label=_("Recipient's name"), max_length=100, required=False
            )
            self.fields["recipient_id_number"] = forms.CharField(
                label=_("Recipient's ID number"), max_length=40, required=False
            )
            self.fields["carrier"] = forms.CharField(label=_("Carrier"), max_length=50, required=False)
            self.fields["tracking_number"] = forms.CharField(
                label=_("Tracking number"), max_length=50, required=False
            )
            self.fields["note"] = note

    def item_rows(self) -> list[tuple[Any, Any]]:
        if self.action != T.REQUEST_CORRECTION:
            return []
        return [(self[f"item{i}_name"], self[f"item{i}_note"]) for i in range(CORRECTION_ROWS)]

    def param_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if name != "version" and not name.startswith("item")]

    def _item_indexes(self) -> list[int]:
        d = self.cleaned_data
        return [
            i
            for i in range(CORRECTION_ROWS)
            if str(d.get(f"item{i}_name") or "").strip() or str(d.get(f"item{i}_note") or "").strip()
        ]

    def service_params(self) -> dict[str, Any]:
        d = self.cleaned_data
        if self.action == T.REQUEST_CORRECTION:
            return {
                "items": [
                    {"name": str(d.get(f"item{i}_name") or ""), "note": str(d.get(f"item{i}_note") or "")}
                    for i in self._item_indexes()
                ]
            }
        params: dict[str, Any] = {}
        skip: tuple[str, ...] = ()
        if self.action == T.DELIVER:
            if d.get("method") == CaseDelivery.Method.PICKUP:
                skip = ("carrier", "tracking_number")
            else:
                skip = ("recipient_relation", "recipient_name", "recipient_id_number")
        for name in self.fields:
            if name == "version" or name in skip:
                continue
            value = d.get(name)
            if name == "materials":
                params[name] = [int(v) for v in value or ()]
            elif value not in (None, ""):
                params[name] = value
        return params

    def add_service_errors(self, details: Any, fallback: str) -> None:
        rows = self._item_indexes() if hasattr(self, "cleaned_data") else []
        placed = False
        for key, messages in service_field_errors(details).items():
            parts = key.split(".")
            target: str | None = parts[0]
            if parts[0] == "items" and len(parts) >= 2 and parts[1].isdigit():
                i = int(parts[1])
                target = None
                if i < len(rows):
                    target = f"item{rows[i]}_note" if parts[-1] == "note" else f"item{rows[i]}_name"
            elif parts[0] == "materials":
                target = "materials"
            _place(self, target, messages)
            placed = True
        if not placed:
            self.add_error(None, fallback)
