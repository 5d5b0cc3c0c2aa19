"""How a completed case's result reached the applicant (送达): one `CaseDelivery` per delivered
case, written in the unit of work of its `deliver` event (`effects.deliver`).

Imported by `cases.models` (the app's model module); it refers to the case by its label, so it
imports nothing from there.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from onewindow.core.masking import mask_id_number


class CaseDelivery(models.Model):
    """Who collected the result at the window (name, ID number, relation to the applicant), or
    how it was mailed (carrier, tracking number). The recipient's ID number is stored as given
    and leaves the row only masked (`masked_recipient_id_number`)."""

    class Method(models.TextChoices):
        PICKUP = "pickup", _("pickup at the window")
        MAIL = "mail", _("mail")

    class Relation(models.TextChoices):
        SELF = "self", _("the applicant in person")
        LEGAL_REPRESENTATIVE = "legal_representative", _("legal representative")
        AUTHORISED_AGENT = "authorised_agent", _("authorised agent")
        OTHER = "other", _("other")

    case = models.OneToOneField(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="delivery"
    )
    method = models.CharField(_("delivery method"), max_length=10, choices=Method.choices)
    recipient_name = models.CharField(_("recipient"), max_length=100, blank=True)
    recipient_id_number = models.CharField(_("recipient's ID number"), max_length=40, blank=True)
    recipient_relation = models.CharField(
        _("relation to the applicant"), max_length=24, choices=Relation.choices, blank=True
    )
    carrier = models.CharField(_("carrier"), max_length=50, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=50, blank=True)
    note = models.TextField(_("note"), blank=True)
    delivered_at = models.DateTimeField(_("delivered at"))
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("delivered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )

    class Meta:
        verbose_name = _("case delivery")
        verbose_name_plural = _("case deliveries")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.delivered_at:%Y-%m-%d}"

    @property
    def masked_recipient_id_number(self) -> str:
        return mask_id_number(self.recipient_id_number)
