"""Forms of the case pages: the intake form (applicant, agent, the item's materials as a
checklist, the correction list) and one form per case action, built from
`cases.services.ACTION_PARAMS`.

The forms only shape the input; every rule (ID and USCC checksums, phone numbers, required
materials, what an action needs) is checked by the services, whose `ValidationFailed.details`
are put back next to the fields with `add_service_errors`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from onewindow.cases import transitions as T
from onewindow.cases.intake import intake_errors
from onewindow.cases.models import Case, CasePause, CaseStep
from onewindow.cases.params import ACTION_LABELS, ACTION_PARAMS, INT_MAX, Param
from onewindow.catalog.models import Material, ServiceItemVersion
from onewindow.org.models import User

# Actions that end or refuse something: shown with a warning style.
SEVERE_ACTIONS = frozenset({T.REFUSE, T.DENY, T.WITHDRAW, T.TERMINATE, T.REJECT_EXTENSION, T.RETURN_STEP})

PARAM_LABELS: dict[str, Promise] = {
    "opinion": _("Opinion"),
    "note": _("Note"),
    "reason": _("Reason"),
    "reasons": _("Reasons for the denial"),
    "rights_statement": _("The applicant's rights"),
    "items": _("Materials to correct"),
    "materials": _("Materials handed in"),
    "to_position": _("Return to step"),
    "kind": _("Special procedure"),
    "expected_working_days": _("Expected duration (working days)"),
    "days": _("Working days to add"),
    "certificate_number": _("Certificate number"),
    "method": _("Delivery"),
    "tracking_number": _("Tracking number"),
    "recipient_relation": _("Recipient's relation to the applicant"),
    "recipient_name": _("Recipient's name"),
    "recipient_id_number": _("Recipient's ID number"),
    "carrier": _("Carrier"),
}

PARAM_HELP: dict[str, Promise] = {
    "rights_statement": _(
        "Leave empty for the standard text: administrative review within 60 days or a lawsuit "
        "within 6 months (《行政许可法》第38条)."
    ),
    "reason": _("Told to the applicant in writing where the law requires it."),
    "tracking_number": _("Required when the result is mailed."),
}

_TEXTAREA_PARAMS = frozenset({"opinion", "note", "reason", "reasons", "rights_statement"})


def service_field_errors(details: Any) -> dict[str, list[str]]:
    """The `details` of a ValidationFailed as field → messages (other shapes: no field errors)."""
    if not isinstance(details, dict):
        return {}
    result: dict[str, list[str]] = {}
    for key, value in details.items():
        if isinstance(value, list | tuple):
            result[str(key)] = [str(v) for v in value]
        elif isinstance(value, str):
            result[str(key)] = [value]
    return result


def _add(form: forms.Form, field: str | None, messages: list[str]) -> None:
    target = field if field in form.fields else None
    for message in messages:
        form.add_error(target, message)


# --- intake ----------------------------------------------------------------------------------


class HandlerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class ApplicantMixin:
    """The applicant's fields read the same way by the case intake and the bundle intake."""

    cleaned_data: dict[str, Any]

    # An enterprise is identified by its unified social credit code: a person's ID type sent
    # with kind "enterprise" (the page without JavaScript) is read as the credit code.
    _PERSON_ID_TYPES = frozenset({"resident_id", "passport", "hk_macao_permit"})

    def normalise_applicant(self, data: dict[str, Any]) -> None:
        if data.get("applicant_kind") == Case.ApplicantKind.ENTERPRISE:
            if data.get("applicant_id_type") in self._PERSON_ID_TYPES:
                data["applicant_id_type"] = Case.IdType.USCC
        else:
            data["applicant_legal_rep_name"] = ""
            data["applicant_legal_rep_id_number"] = ""

    def is_enterprise(self) -> bool:
        value = self["applicant_kind"].value()  # type: ignore[index]
        return str(value) == Case.ApplicantKind.ENTERPRISE

    def applicant(self) -> dict[str, str]:
        d = self.cleaned_data
        return {
            "kind": d.get("applicant_kind", ""),
            "name": d.get("applicant_name", ""),
            "id_type": d.get("applicant_id_type", ""),
            "id_number": d.get("applicant_id_number", ""),
            "phone": d.get("applicant_phone", ""),
            "address": d.get("applicant_address", ""),
            "legal_rep_name": d.get("applicant_legal_rep_name", ""),
            "legal_rep_id_number": d.get("applicant_legal_rep_id_number", ""),
        }


class IntakeForm(ApplicantMixin, forms.Form):
    """The window's intake form for one item version (its materials become checklist rows)."""

    ACTIONS = ("accept", "correct", "refuse")

    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[(c.value, c.label) for c in Case.Channel if c != Case.Channel.ONLINE],
        initial=Case.Channel.WINDOW,
    )
    applicant_kind = forms.ChoiceField(
        label=_("Applicant kind"),
        choices=Case.ApplicantKind.choices,
        initial=Case.ApplicantKind.PERSON,
        widget=forms.RadioSelect,
    )
    applicant_name = forms.CharField(label=_("Name"), max_length=200)
    applicant_id_type = forms.ChoiceField(
        label=_("ID type"), choices=Case.IdType.choices, initial=Case.IdType.RESIDENT_ID
    )
    applicant_id_number = forms.CharField(label=_("ID number"), max_length=40)
    applicant_phone = forms.CharField(label=_("Mobile phone"), max_length=20)
    applicant_address = forms.CharField(label=_("Address"), max_length=200, required=False)
    applicant_legal_rep_name = forms.CharField(
        label=_("Legal representative"), max_length=100, required=False
    )
    applicant_legal_rep_id_number = forms.CharField(
        label=_("Legal representative's ID number"),
        max_length=40,
        required=False,
        help_text=_("Optional; resident ID number."),
    )
    agent_name = forms.CharField(label=_("Agent's name"), max_length=100, required=False)
    agent_id_number = forms.CharField(label=_("Agent's ID number"), max_length=40, required=False)
    agent_phone = forms.CharField(label=_("Agent's mobile phone"), max_length=20, required=False)
    green_channel = forms.BooleanField(label=_("Green channel"), required=False)
    green_channel_handler = HandlerChoiceField(
        label=_("Named handler (green channel)"), queryset=User.objects.none(), required=False
    )
    green_channel_reason = forms.CharField(
        label=_("Reason for the green channel"),
        max_length=300,
        required=False,
        help_text=_("E.g. an elderly or disabled applicant, a key project."),
    )
    all_received = forms.BooleanField(label=_("All materials handed in"), required=False)
    delivery_method = forms.ChoiceField(
        label=_("Result delivery"), choices=Case.DeliveryMethod.choices, initial=Case.DeliveryMethod.PICKUP
    )
    note = forms.CharField(
        label=_("Note / reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Refusing: the reason (required). Accepting with a required material missing: why."),
    )

    def __init__(self, *args: Any, materials: list[Material], handlers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.materials = materials
        field = self.fields["green_channel_handler"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = handlers
        for m in materials:
            self.fields[f"m{m.pk}_received"] = forms.BooleanField(
                label=_("handed in"), required=False, initial=False
            )
            self.fields[f"m{m.pk}_form"] = forms.ChoiceField(
                label=_("form"), choices=Material.Form.choices, initial=m.form
            )
            self.fields[f"m{m.pk}_copies"] = forms.IntegerField(
                label=_("copies"), min_value=1, max_value=999, initial=m.copies
            )
            self.fields[f"m{m.pk}_note"] = forms.CharField(label=_("note"), required=False, max_length=300)
            self.fields[f"m{m.pk}_file"] = forms.FileField(label=_("file"), required=False)
            self.fields[f"c{m.pk}"] = forms.BooleanField(label=_("to correct"), required=False)
            self.fields[f"c{m.pk}_note"] = forms.CharField(
                label=_("what is missing or wrong"), required=False, max_length=300
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.normalise_applicant(data)
        if data.get("all_received"):
            for m in self.materials:
                data[f"m{m.pk}_received"] = True
        if not data.get("green_channel"):
            data["green_channel_reason"] = ""
        return data

    def material_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "material": m,
                "received": self[f"m{m.pk}_received"],
                "form": self[f"m{m.pk}_form"],
                "copies": self[f"m{m.pk}_copies"],
                "note": self[f"m{m.pk}_note"],
                "file": self[f"m{m.pk}_file"],
                "correct": self[f"c{m.pk}"],
                "correct_note": self[f"c{m.pk}_note"],
            }
            for m in self.materials
        ]

    # the service's input ----------------------------------------------------------------------

    def agent(self) -> dict[str, str] | None:
        d = self.cleaned_data
        if not (d.get("agent_name") or d.get("agent_id_number") or d.get("agent_phone")):
            return None
        return {
            "name": d.get("agent_name", ""),
            "id_type": "resident_id",
            "id_number": d.get("agent_id_number", ""),
            "phone": d.get("agent_phone", ""),
        }

    def materials_checked(self) -> list[dict[str, Any]]:
        d = self.cleaned_data
        return [
            {
                "material": m.pk,
                "received": bool(d.get(f"m{m.pk}_received")),
                "form": d.get(f"m{m.pk}_form") or m.form,
                "copies": d.get(f"m{m.pk}_copies") or 1,
                "note": d.get(f"m{m.pk}_note", ""),
            }
            for m in self.materials
        ]

    def correction_items(self) -> list[dict[str, Any]]:
        d = self.cleaned_data
        return [
            {"material": m.pk, "note": d.get(f"c{m.pk}_note", "")}
            for m in self.materials
            if d.get(f"c{m.pk}")
        ]

    def uploads(self) -> list[tuple[Material, Any]]:
        return [
            (m, self.cleaned_data[f"m{m.pk}_file"])
            for m in self.materials
            if self.cleaned_data.get(f"m{m.pk}_file")
        ]

    def problems(self, version: ServiceItemVersion, action: str) -> dict[str, list[str]]:
        """Every problem the services would find in this submission, at once (applicant, agent,
        channel, green channel, the refusal's reason, required materials, the correction list),
        as service detail keys. Works on a form with field errors too (on what was valid)."""
        d = self.cleaned_data
        errors = intake_errors(
            version=version,
            applicant=self.applicant(),
            agent=self.agent(),
            channel=str(d.get("channel") or ""),
            action=action,
            note=str(d.get("note") or ""),
            green_channel=bool(d.get("green_channel")),
            green_channel_handler=d.get("green_channel_handler"),
            delivery_method=str(d.get("delivery_method") or ""),
            green_channel_reason=str(d.get("green_channel_reason") or ""),
        )
        if action == "accept" and not str(d.get("note") or "").strip():
            missing = [
                m
                for m in self.materials
                if m.requirement == Material.Requirement.REQUIRED and not d.get(f"m{m.pk}_received")
            ]
            for m in missing:
                i = self.materials.index(m)
                errors[f"materials.{i}.received"] = [str(_("Required: tick it, or ask for a correction."))]
            if missing:
                errors["note"] = [
                    str(_("Required materials are missing: explain why the case is accepted anyway."))
                ]
        elif action == "correct":
            checked = [m for m in self.materials if d.get(f"c{m.pk}")]
            for i, m in enumerate(checked):
                if not str(d.get(f"c{m.pk}_note") or "").strip():
                    errors[f"correction_items.{i}.note"] = [str(_("Say what is missing or wrong."))]
            if not checked:
                errors["correction_items"] = [str(_("Name at least one material to correct."))]
        return {key: [str(v) for v in value] for key, value in errors.items()}

    def add_service_errors(self, details: Any, *, fallback: str = "") -> None:
        """Put the service's field errors next to the fields of this form (a field that already
        shows an error of its own keeps just that one)."""
        errors = service_field_errors(details)
        data = getattr(self, "cleaned_data", {})
        corrections = [m for m in self.materials if data.get(f"c{m.pk}")]
        placed = False
        for key, messages in errors.items():
            parts = key.split(".")
            field: str | None = None
            if parts[0] in ("applicant", "agent") and len(parts) == 2:
                field = f"{parts[0]}_{parts[1]}"
                if parts[0] == "agent" and parts[1] == "id_type":
                    field = "agent_id_number"
            elif parts[0] == "agent":
                field = "agent_name"
            elif parts[0] == "materials" and len(parts) >= 2 and parts[1].isdigit():
                i = int(parts[1])
                if i < len(self.materials):
                    m = self.materials[i]
                    sub = parts[2] if len(parts) > 2 else "received"
                    field = f"m{m.pk}_{sub if sub in ('form', 'copies', 'note') else 'received'}"
            elif parts[0] == "correction_items" and len(parts) >= 2 and parts[1].isdigit():
                i = int(parts[1])
                if i < len(corrections):
                    m = corrections[i]
                    field = f"c{m.pk}_note" if parts[-1] == "note" else f"c{m.pk}"
            elif parts[0] == "materials":
                continue  # the list of missing materials: the message says it
            else:
                field = key
            if field == "correction_items":
                field = None
            if field is not None and field in self.errors:
                placed = True
                continue
            _add(self, field, messages)
            placed = True
        if not placed and fallback:
            self.add_error(None, fallback)


# --- the action forms ----------------------------------------------------------------------------


class ActionForm(forms.Form):
    """The form of one action of the state table, built from its `ACTION_PARAMS` entry.

    `materials` are the item version's materials (for correction lists and received materials),
    `steps` the case's steps (for the return target)."""

    def __init__(
        self,
        *args: Any,
        action: str,
        version: int,
        materials: list[Material],
        steps: list[CaseStep],
        active_position: int | None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("prefix", action)
        super().__init__(*args, **kwargs)
        self.action = action
        self.label = ACTION_LABELS.get(action, action)
        self.severe = action in SEVERE_ACTIONS
        self.params: tuple[Param, ...] = ACTION_PARAMS.get(action, ())
        self.materials = materials
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, initial=version)
        for param in self.params:
            if param.kind == "items":
                for m in materials:
                    self.fields[f"item_{m.pk}"] = forms.BooleanField(label=m.name, required=False)
                    self.fields[f"item_{m.pk}_note"] = forms.CharField(
                        label=_("what is missing or wrong"), required=False, max_length=300
                    )
            else:
                self.fields[param.name] = self._field(param, steps, active_position)

    def _field(self, param: Param, steps: list[CaseStep], active_position: int | None) -> forms.Field:
        label: Any = PARAM_LABELS.get(param.name, param.name)
        help_text: Any = PARAM_HELP.get(param.name, "")
        required = param.required
        if param.name == "to_position":
            choices = [
                (s.position, f"{s.position}. {s.name}")
                for s in steps
                if s.status == CaseStep.Status.DONE
                and (active_position is None or s.position < active_position)
            ]
            return forms.TypedChoiceField(label=label, choices=choices, coerce=int, required=required)
        if param.kind == "materials":
            return forms.MultipleChoiceField(
                label=label,
                choices=[(m.pk, m.name) for m in self.materials],
                required=required,
                widget=forms.CheckboxSelectMultiple,
            )
        if param.kind == "int":
            return forms.IntegerField(
                label=label, required=required, min_value=0, max_value=INT_MAX, help_text=help_text
            )
        if param.choices:
            labels = dict(CasePause.Kind.choices) | dict(Case.DeliveryMethod.choices)
            return forms.ChoiceField(
                label=label,
                choices=[("", "—")] + [(c, labels.get(c, c)) for c in param.choices],
                required=required,
            )
        widget = forms.Textarea(attrs={"rows": 2}) if param.name in _TEXTAREA_PARAMS else forms.TextInput
        return forms.CharField(
            label=label, required=required, widget=widget, help_text=help_text, max_length=param.max_length
        )

    def item_rows(self) -> list[tuple[Any, Any]]:
        if not any(p.kind == "items" for p in self.params):
            return []
        return [(self[f"item_{m.pk}"], self[f"item_{m.pk}_note"]) for m in self.materials]

    def param_fields(self) -> list[Any]:
        return [self[p.name] for p in self.params if p.kind != "items"]

    def service_params(self) -> dict[str, Any]:
        d = self.cleaned_data
        params: dict[str, Any] = {}
        for param in self.params:
            if param.kind == "items":
                params[param.name] = [
                    {"material": m.pk, "note": d.get(f"item_{m.pk}_note", "")}
                    for m in self.materials
                    if d.get(f"item_{m.pk}")
                ]
            elif param.kind == "materials":
                params[param.name] = [int(v) for v in d.get(param.name) or ()]
            else:
                value = d.get(param.name)
                if value not in (None, ""):
                    params[param.name] = value
        return params

    def add_service_errors(self, details: Any, *, fallback: str = "") -> None:
        errors = service_field_errors(details)
        checked = [m for m in self.materials if self.cleaned_data.get(f"item_{m.pk}")]
        placed = False
        for key, messages in errors.items():
            parts = key.split(".")
            field: str | None = parts[0]
            if parts[0] == "items" and len(parts) >= 2 and parts[1].isdigit():
                i = int(parts[1])
                field = None
                if i < len(checked):
                    m = checked[i]
                    field = f"item_{m.pk}_note" if parts[-1] == "note" else f"item_{m.pk}"
            elif parts[0] == "materials" and len(parts) >= 2:
                field = "materials"
            if field == "items":
                field = None
            _add(self, field, messages)
            placed = True
        if not placed and fallback:
            self.add_error(None, fallback)


class RevealForm(forms.Form):
    reason = forms.CharField(label=_("Why do you need the full details?"), max_length=500)


class FileUploadForm(forms.Form):
    file = forms.FileField(label=_("File"))
    material = forms.TypedChoiceField(label=_("Material"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, case_materials: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["material"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "—")] + [(m.pk, m.name) for m in case_materials]
