"""The catalog (事项目录): service items in immutable published versions, their materials and
process templates, themes, and bundles (并联审批主题). Rules live in `rules.py` and `services.py`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from onewindow.org.models import Center, Department, Post, Window


class Theme(models.Model):
    """A public browsing theme (主题), e.g. 企业开办, 工程建设, 社会事务."""

    class Audience(models.TextChoices):
        PERSON = "person", _("citizens")
        ENTERPRISE = "enterprise", _("enterprises")
        BOTH = "both", _("citizens and enterprises")

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=50)
    audience = models.CharField(_("audience"), max_length=12, choices=Audience.choices, default=Audience.BOTH)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name


class ServiceItem(models.Model):
    """The identity of a service item (事项) across its versions: a center and a code."""

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="items"
    )
    code = models.CharField(_("code"), max_length=40)
    published_version = models.OneToOneField(
        "ServiceItemVersion",
        verbose_name=_("published version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("service item")
        verbose_name_plural = _("service items")
        ordering = ["center", "code"]
        constraints = [models.UniqueConstraint(fields=["center", "code"], name="item_code_unique_in_center")]
        permissions = [
            ("publish_serviceitem", _("Can publish a service item version")),
            ("import_catalog", _("Can import the catalog from a workbook")),
        ]

    def __str__(self) -> str:
        version = self.published_version
        return f"{self.code} {version.name}" if version else self.code


class ServiceItemVersion(models.Model):
    """One version of a service item. Published versions are immutable; cases point at the
    version they were accepted under."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        SUPERSEDED = "superseded", _("superseded")

    class Kind(models.TextChoices):
        LICENSE = "license", _("administrative license")  # 行政许可
        PUBLIC_SERVICE = "public_service", _("public service")  # 公共服务
        CONFIRMATION = "confirmation", _("administrative confirmation")  # 行政确认
        REGISTRATION = "registration", _("registration")  # 行政登记
        FILING = "filing", _("filing")  # 备案
        OTHER_POWER = "other_power", _("other administrative power")  # 其他权力

    class HandlingType(models.TextChoices):
        INSTANT = "instant", _("instant")  # 即办件
        PROMISED = "promised", _("promised")  # 承诺件
        REPORTED = "reported", _("reported")  # 上报件
        JOINT = "joint", _("joint")  # 联办件

    item = models.ForeignKey(
        ServiceItem, verbose_name=_("service item"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.LICENSE)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="item_versions"
    )
    window = models.ForeignKey(
        Window,
        verbose_name=_("window"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "The window that accepts this item; empty: the department's windows and general windows."
        ),
    )
    handling_type = models.CharField(_("handling type"), max_length=10, choices=HandlingType.choices)
    legal_limit = models.PositiveSmallIntegerField(_("legal limit (working days)"))
    promised_limit = models.PositiveSmallIntegerField(_("promised limit (working days)"))
    legal_basis = models.TextField(_("legal basis"), blank=True)
    conditions = models.TextField(_("application conditions"), blank=True)
    procedure = models.TextField(_("procedure"), blank=True)
    fees = models.TextField(_("fees"), blank=True, help_text=_("Empty or 不收费 when free."))
    fee_basis = models.TextField(_("fee basis"), blank=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    online_allowed = models.BooleanField(_("online application"), default=False)
    appointment_allowed = models.BooleanField(_("appointment"), default=False)
    visits_required = models.PositiveSmallIntegerField(
        _("on-site visits required"), default=1, help_text=_("0 = 零跑腿, 1 = 最多跑一次.")
    )
    green_channel_eligible = models.BooleanField(_("green channel eligible"), default=False)
    deemed_approval_days = models.PositiveSmallIntegerField(
        _("deemed approval after (overdue working days)"),
        null=True,
        blank=True,
        help_text=_(
            "Empty: no deemed approval (超期默认). Otherwise a step overdue by this many working days passes."
        ),
    )
    handled_at_center = models.BooleanField(_("handled at the center"), default=True)
    decided_at_window = models.BooleanField(_("decided at the window (authorised)"), default=False)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="item_versions")
    search_text = models.TextField(_("search text"), blank=True, editable=False)

    change_note = models.CharField(_("change note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("service item version")
        verbose_name_plural = _("service item versions")
        ordering = ["item", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="item_version_number_unique"),
            models.UniqueConstraint(
                fields=["item"],
                condition=models.Q(status="draft"),
                name="item_one_draft",
            ),
            models.CheckConstraint(
                condition=models.Q(promised_limit__lte=models.F("legal_limit")), name="promised_within_legal"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.code} v{self.number} {self.name}"

    @property
    def code(self) -> str:
        return self.item.code

    @property
    def compression(self) -> float | None:
        """1 − promised ÷ legal (None when the legal limit is 0)."""
        if not self.legal_limit:
            return None
        return 1 - self.promised_limit / self.legal_limit


class Material(models.Model):
    class Requirement(models.TextChoices):
        REQUIRED = "required", _("required")
        CONDITIONAL = "conditional", _("conditional")

    class Form(models.TextChoices):
        ORIGINAL = "original", _("original")
        COPY = "copy", _("copy")
        ORIGINAL_AND_COPY = "original_and_copy", _("original and copy")
        ELECTRONIC = "electronic", _("electronic")

    version = models.ForeignKey(
        ServiceItemVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="materials"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=200)
    requirement = models.CharField(
        _("requirement"), max_length=12, choices=Requirement.choices, default=Requirement.REQUIRED
    )
    condition = models.CharField(_("when required"), max_length=200, blank=True)
    form = models.CharField(_("form"), max_length=20, choices=Form.choices, default=Form.ORIGINAL)
    copies = models.PositiveSmallIntegerField(_("copies"), default=1)
    template_file = models.FileField(_("blank template"), upload_to="catalog/templates/", blank=True)
    sample_file = models.FileField(_("filled-in sample"), upload_to="catalog/samples/", blank=True)
    shared_result_item_code = models.CharField(
        _("satisfied by the result of item"),
        max_length=40,
        blank=True,
        help_text=_("Code of another item whose result can stand in for this material (资料共享)."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="material_position_unique")
        ]

    def __str__(self) -> str:
        return self.name


class ProcessStep(models.Model):
    """A step of an item version's process template (办理流程)."""

    class Kind(models.TextChoices):
        ACCEPT = "accept", _("acceptance")  # 受理
        REVIEW = "review", _("review")  # 审查
        APPROVE = "approve", _("approval")  # 审核
        DECIDE = "decide", _("decision")  # 决定
        CERTIFY = "certify", _("certificate issue")  # 制证
        REPORT = "report", _("report to a higher level")  # 上报
        OTHER = "other", _("other")

    version = models.ForeignKey(
        ServiceItemVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="steps"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    post = models.ForeignKey(Post, verbose_name=_("post"), on_delete=models.PROTECT, related_name="+")
    limit_days = models.PositiveSmallIntegerField(_("limit (working days)"))
    on_site = models.BooleanField(
        _("at the center"), default=True, help_text=_("Unticked: back in the department.")
    )

    class Meta:
        verbose_name = _("process step")
        verbose_name_plural = _("process steps")
        ordering = ["version", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "position"], name="step_position_unique")]

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"


class Bundle(models.Model):
    """A bundle (并联审批主题 / 一件事): items of several departments applied for together."""

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="bundles"
    )
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    lead_department = models.ForeignKey(
        Department, verbose_name=_("lead department"), on_delete=models.PROTECT, related_name="+"
    )
    promised_limit = models.PositiveSmallIntegerField(_("promised limit (working days)"))
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("bundle")
        verbose_name_plural = _("bundles")
        ordering = ["center", "code"]
        constraints = [
            models.UniqueConstraint(fields=["center", "code"], name="bundle_code_unique_in_center")
        ]

    def __str__(self) -> str:
        return self.name


class BundlePhase(models.Model):
    """A phase of a bundle (e.g. 立项 → 用地 → 规划 → 施工 → 验收): its items run in parallel and it
    starts when the previous phase ends, unless it is merged with it (`merge_with_previous`: the
    two open together and count once, e.g. land sold with its design, 带方案出让)."""

    bundle = models.ForeignKey(
        Bundle, verbose_name=_("bundle"), on_delete=models.CASCADE, related_name="phases"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=50)
    promised_limit = models.PositiveSmallIntegerField(
        _("promised limit (working days)"), null=True, blank=True
    )
    merge_with_previous = models.BooleanField(
        _("opens with the phase before"),
        default=False,
        help_text=_(
            "The phase opens together with the phase before and runs alongside it "
            "(e.g. land sold with its design, 带方案出让); the first phase cannot."
        ),
    )

    class Meta:
        verbose_name = _("bundle phase")
        verbose_name_plural = _("bundle phases")
        ordering = ["bundle", "position"]
        constraints = [models.UniqueConstraint(fields=["bundle", "position"], name="phase_position_unique")]

    def __str__(self) -> str:
        return self.name


class BundleItem(models.Model):
    bundle = models.ForeignKey(
        Bundle, verbose_name=_("bundle"), on_delete=models.CASCADE, related_name="bundle_items"
    )
    item = models.ForeignKey(
        ServiceItem,
        verbose_name=_("service item"),
        on_delete=models.PROTECT,
        related_name="bundle_memberships",
    )
    phase = models.ForeignKey(
        BundlePhase,
        verbose_name=_("phase"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bundle_items",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("bundle item")
        verbose_name_plural = _("bundle items")
        ordering = ["bundle", "position"]
        constraints = [models.UniqueConstraint(fields=["bundle", "item"], name="bundle_item_unique")]

    def __str__(self) -> str:
        return str(self.item)


class BundleField(models.Model):
    """A field of the bundle's single form (一表制)."""

    class FieldType(models.TextChoices):
        TEXT = "text", _("text")
        NUMBER = "number", _("number")
        DATE = "date", _("date")
        CHOICE = "choice", _("choice")
        ID_NUMBER = "id_number", _("ID number")
        PHONE = "phone", _("phone")

    bundle = models.ForeignKey(
        Bundle, verbose_name=_("bundle"), on_delete=models.CASCADE, related_name="fields"
    )
    key = models.SlugField(_("key"), max_length=50)
    label = models.CharField(_("label"), max_length=100)
    field_type = models.CharField(_("type"), max_length=10, choices=FieldType.choices, default=FieldType.TEXT)
    required = models.BooleanField(_("required"), default=True)
    choices = models.CharField(_("choices"), max_length=500, blank=True, help_text=_("Separated by |"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("single-form field")
        verbose_name_plural = _("single-form fields")
        ordering = ["bundle", "position"]
        constraints = [models.UniqueConstraint(fields=["bundle", "key"], name="bundle_field_key_unique")]

    def __str__(self) -> str:
        return self.label


class BundleFieldMapping(models.Model):
    """Where a single-form field lands in one item's application (its field name there)."""

    field = models.ForeignKey(
        BundleField, verbose_name=_("field"), on_delete=models.CASCADE, related_name="mappings"
    )
    item = models.ForeignKey(
        ServiceItem, verbose_name=_("service item"), on_delete=models.PROTECT, related_name="+"
    )
    target = models.CharField(_("field in the item's application"), max_length=100)

    class Meta:
        verbose_name = _("field mapping")
        verbose_name_plural = _("field mappings")
        constraints = [models.UniqueConstraint(fields=["field", "item"], name="bundle_mapping_unique")]

    def __str__(self) -> str:
        return f"{self.field.key} → {self.item.code}.{self.target}"


class BundleQuestion(models.Model):
    """A situation question (情形引导) of a bundle: its chosen option selects items."""

    bundle = models.ForeignKey(
        Bundle, verbose_name=_("bundle"), on_delete=models.CASCADE, related_name="questions"
    )
    key = models.SlugField(_("key"), max_length=50)
    text = models.CharField(_("question"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("situation question")
        verbose_name_plural = _("situation questions")
        ordering = ["bundle", "position"]
        constraints = [models.UniqueConstraint(fields=["bundle", "key"], name="bundle_question_key_unique")]

    def __str__(self) -> str:
        return self.text


class BundleOption(models.Model):
    """One answer to a situation question and the bundle items it selects."""

    question = models.ForeignKey(
        BundleQuestion, verbose_name=_("question"), on_delete=models.CASCADE, related_name="options"
    )
    value = models.SlugField(_("value"), max_length=50)
    label = models.CharField(_("label"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    items = models.ManyToManyField(
        BundleItem, verbose_name=_("selected items"), blank=True, related_name="selecting_options"
    )

    class Meta:
        verbose_name = _("answer option")
        verbose_name_plural = _("answer options")
        ordering = ["question", "position"]
        constraints = [
            models.UniqueConstraint(fields=["question", "value"], name="bundle_option_value_unique")
        ]

    def __str__(self) -> str:
        return self.label


class BundleMaterial(models.Model):
    """One entry of the bundle's de-duplicated material list, and the items it serves."""

    bundle = models.ForeignKey(
        Bundle, verbose_name=_("bundle"), on_delete=models.CASCADE, related_name="materials"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=200)
    requirement = models.CharField(
        _("requirement"),
        max_length=12,
        choices=Material.Requirement.choices,
        default=Material.Requirement.REQUIRED,
    )
    form = models.CharField(
        _("form"), max_length=20, choices=Material.Form.choices, default=Material.Form.ORIGINAL
    )
    copies = models.PositiveSmallIntegerField(_("copies"), default=1)
    items = models.ManyToManyField(ServiceItem, verbose_name=_("serves items"), related_name="+")

    class Meta:
        verbose_name = _("bundle material")
        verbose_name_plural = _("bundle materials")
        ordering = ["bundle", "position"]
        constraints = [
            models.UniqueConstraint(fields=["bundle", "position"], name="bundle_material_position_unique")
        ]

    def __str__(self) -> str:
        return self.name


class SearchEntry(models.Model):
    """The search index row of an item's published version (written by the services on publish,
    see `searchindex`): the index terms of its name and of its other texts. SQLite mirrors this
    table into an FTS5 table by triggers, PostgreSQL adds a generated tsvector column; both are
    created by migration 0002 and read only by `searchindex`."""

    item = models.OneToOneField(
        ServiceItem, verbose_name=_("service item"), on_delete=models.CASCADE, related_name="search_entry"
    )
    version = models.OneToOneField(
        ServiceItemVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="+"
    )
    name_terms = models.TextField(_("name terms"))
    other_terms = models.TextField(_("other terms"))

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")

    def __str__(self) -> str:
        return str(self.item_id)


class SearchSynonym(models.Model):
    """Everyday wording (开饭店) and what it means in the catalog: one target a line, each an
    item code, a bundle code or name, or a search phrase (食品经营许可). Edited by administrators
    in the admin, saved through `synonyms.synonym_save` (validated, audited)."""

    phrase = models.CharField(_("everyday wording"), max_length=30, unique=True)
    targets = models.TextField(
        _("means"),
        help_text=_(
            "One per line, most important first: an item code, a bundle code, "
            "一件事：and the start of a bundle name, or a search phrase."
        ),
    )
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("search synonym")
        verbose_name_plural = _("search synonyms")
        ordering = ["phrase"]

    def __str__(self) -> str:
        return self.phrase

    @property
    def target_list(self) -> list[str]:
        return [line.strip() for line in self.targets.splitlines() if line.strip()]


class WindowDelegation(models.Model):
    """窗口授权: an item that a window may decide on the spot (the chief representative's
    delegated 审批决定权). A clerk at the window may then pass, grant, deny and issue the
    certificate of that item's cases (`cases.permissions.delegated_at_window`). Revoking keeps
    the row (inactive) as history; at most one active row per window and item."""

    window = models.ForeignKey(
        Window, verbose_name=_("window"), on_delete=models.PROTECT, related_name="delegations"
    )
    item = models.ForeignKey(
        ServiceItem, verbose_name=_("service item"), on_delete=models.PROTECT, related_name="delegations"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("granted at"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("window delegation")
        verbose_name_plural = _("window delegations")
        ordering = ["window", "item"]
        constraints = [
            models.UniqueConstraint(
                fields=["window", "item"],
                condition=models.Q(active=True),
                name="window_delegation_one_active",
            )
        ]
        permissions = [
            ("delegate_window", _("Can delegate decisions on items to windows (窗口授权)")),
        ]

    def __str__(self) -> str:
        return f"{self.window} → {self.item.code}"
