from typing import Any

from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _move_revision(business_ids: Any) -> int:
    """Move the `revision` of the business types (the key of `plans`' cache)."""
    from django.db.models import F

    from onewindow.appointments.models import BusinessType

    return BusinessType.objects.filter(pk__in=business_ids).update(revision=F("revision") + 1)


def _entry_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A slot rule or extra slot saved or deleted: its business type's revision moves, in the
    database and on the business type the instance holds, if it holds one."""
    if _move_revision([instance.business_id]) and sender._meta.get_field("business").is_cached(instance):
        instance.business.refresh_from_db(fields=["revision"])


def _items_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any
) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:  # from an item's side (pk_set: business types; None on a clear)
        from onewindow.appointments.models import BusinessType

        _move_revision(pk_set if pk_set is not None else BusinessType.objects.values("pk"))
        return
    _move_revision([instance.pk])
    instance.refresh_from_db(fields=["revision"])


class AppointmentsConfig(AppConfig):
    name = "onewindow.appointments"
    label = "appointments"
    verbose_name = _("Appointments")

    def ready(self) -> None:
        from onewindow.appointments.models import BusinessType, ExtraSlot, SlotRule

        for model in (SlotRule, ExtraSlot):
            uid = f"appointments-revision-{model.__name__}"
            post_save.connect(_entry_changed, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(_entry_changed, sender=model, dispatch_uid=f"{uid}-delete")
        m2m_changed.connect(
            _items_changed, sender=BusinessType.items.through, dispatch_uid="appointments-items"
        )
