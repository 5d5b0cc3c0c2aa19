"""Applicant accounts of the online hall (网上办事大厅): natural persons and enterprises are
separate identities (GB/T 39046 表12). Staff accounts are `org.User`; an applicant is never one.

* `Person` signs in with phone + SMS code (or a password once set, or the province's unified
  identity platform by OpenID Connect). Real-name level: 2 self-declared, 4 verified at a
  window by a clerk checking the ID card, 5 via the unified identity platform when configured.
* `Enterprise` (legal person) is held by its legal representative, a `Person`, who authorises
  named agents (经办人, `AgentAuthorization`) for a period.
* ID numbers and USCC are stored as the case engine stores them: upper case, validated by
  `cases.applicants` (checksums).
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from onewindow.core.masking import mask_id_number, mask_name, mask_phone


class RealNameLevel(models.IntegerChoices):
    SELF_DECLARED = 2, _("L2 self-declared")
    TWO_FACTORS = 3, _("L3 checked against the registers")
    CONSISTENT = 4, _("L4 verified at a window")
    CERTIFIED = 5, _("L5 unified identity platform")


class Person(models.Model):
    """A natural person's account. `phone` is the normalised mainland mobile number."""

    phone = models.CharField(_("phone"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100, blank=True)
    id_type = models.CharField(_("ID type"), max_length=20, default="resident_id")
    id_number = models.CharField(_("ID number"), max_length=40, blank=True)
    real_name_level = models.PositiveSmallIntegerField(
        _("real-name level"), choices=RealNameLevel.choices, default=RealNameLevel.SELF_DECLARED
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        "org.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_how = models.CharField(_("verified how"), max_length=20, blank=True)
    # A Django password hash; empty while the person signs in with SMS codes only.
    password = models.CharField(_("password"), max_length=128, blank=True)
    # The subject of the unified identity platform (OpenID Connect `sub`), when linked.
    oidc_subject = models.CharField(_("identity platform subject"), max_length=255, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"))
    last_sign_in_at = models.DateTimeField(_("last sign-in"), null=True, blank=True)

    class Meta:
        verbose_name = _("applicant (person)")
        verbose_name_plural = _("applicants (persons)")
        permissions = [("verify_person", _("Can verify an applicant's identity at a window"))]
        constraints = [
            models.UniqueConstraint(
                fields=["oidc_subject"],
                condition=~Q(oidc_subject=""),
                name="identity_person_oidc_subject_unique",
            )
        ]
        indexes = [models.Index(fields=["id_number"], name="identity_person_id_number")]

    def __str__(self) -> str:
        return f"{mask_name(self.name) or '-'} {mask_phone(self.phone)}"

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)


class Enterprise(models.Model):
    """A legal person (enterprise or organisation), held by its legal representative."""

    name = models.CharField(_("name"), max_length=200)
    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    legal_rep = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="enterprises_held",
        verbose_name=_("legal representative"),
    )
    real_name_level = models.PositiveSmallIntegerField(
        _("real-name level"), choices=RealNameLevel.choices, default=RealNameLevel.SELF_DECLARED
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("applicant (enterprise)")
        verbose_name_plural = _("applicants (enterprises)")

    def __str__(self) -> str:
        return f"{self.name} {mask_id_number(self.uscc)}"


class AgentAuthorization(models.Model):
    """The legal representative authorises a person to act for the enterprise (经办人) from
    `valid_from` to `valid_until` (both local dates, inclusive) unless revoked earlier."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="agents", verbose_name=_("enterprise")
    )
    agent = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="authorizations", verbose_name=_("agent")
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    granted_at = models.DateTimeField(_("granted at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("agent authorisation")
        verbose_name_plural = _("agent authorisations")
        indexes = [models.Index(fields=["agent", "valid_until"], name="identity_agent_until")]

    def __str__(self) -> str:
        return f"{self.enterprise_id} → {self.agent_id} {self.valid_from}–{self.valid_until}"

    def active_on(self, day: dt.date) -> bool:
        return self.revoked_at is None and self.valid_from <= day <= self.valid_until


class SignInCode(models.Model):
    """An SMS one-time code: only its hash is kept; valid 5 minutes, used once."""

    phone = models.CharField(_("phone"), max_length=20)
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("failed attempts"), default=0)

    class Meta:
        verbose_name = _("sign-in code")
        verbose_name_plural = _("sign-in codes")
        indexes = [models.Index(fields=["phone", "created_at"], name="identity_code_phone_at")]

    def __str__(self) -> str:
        return f"{mask_phone(self.phone)} {self.created_at:%Y-%m-%d %H:%M}"


class ApplicantToken(models.Model):
    """A bearer token of the public API (the mobile app): only its hash is kept."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="tokens")
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))
    revoked = models.BooleanField(_("revoked"), default=False)

    class Meta:
        verbose_name = _("applicant API token")
        verbose_name_plural = _("applicant API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… {self.person_id}"
