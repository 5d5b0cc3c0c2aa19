from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(RuntimeError):
    pass


class AuditEntry(models.Model):
    """One entry of the append-only audit trail: who, when, from where, what, before and after."""

    at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    ip = models.CharField(_("address"), max_length=45, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, db_index=True)
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    # the hash chain (core.chain, ADR 0024): the previous entry's row_hash and this entry's hash
    prev_hash = models.CharField(_("previous hash"), max_length=64, blank=True, default="")
    row_hash = models.CharField(_("hash"), max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "at"], name="audit_object_idx")]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_name or '-'} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("audit entries are append-only")


class AuditChainHead(models.Model):
    """The head of a hash chain of the audit trail (core.chain): its last row, hash and length.
    Locked by every writer of the chain; a cut tail no longer matches it."""

    name = models.CharField(_("chain"), max_length=30, unique=True)
    last_id = models.BigIntegerField(_("last row"), null=True, blank=True)
    last_hash = models.CharField(_("last hash"), max_length=64, blank=True, default="")
    count = models.BigIntegerField(_("rows"), default=0)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain heads")
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.name}: {self.count} ({self.last_hash[:12]})"
