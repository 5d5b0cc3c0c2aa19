"""The default message templates with Chinese punctuation (，：（）) instead of ASCII (,:()).

A template still holding the old default text is updated; a template a center has edited is left
as it is (the admin shows it; the renderer also collapses doubled punctuation such as "。。").
"""

from django.db import migrations

# code: (old default text, new default text). Frozen here: later edits of defaults.py do not
# change what this migration does.
TEXTS = {
    "case_accepted": (
        "【{center_name}】您申请的“{item_name}”已受理,办件编号{case_number},承诺于{due_date}前办结。可凭办件编号查询办理进度。",
        "【{center_name}】您申请的“{item_name}”已受理，办件编号{case_number}，承诺于{due_date}前办结。可凭办件编号查询办理进度。",
    ),
    "case_correction_requested": (
        "【{center_name}】您申请的“{item_name}”(编号{case_number})需补正材料:{materials}。请按一次性告知书一次补齐后提交。",
        "【{center_name}】您申请的“{item_name}”（编号{case_number}）需补正材料：{materials}。请按一次性告知书一次补齐后提交。",
    ),
    "case_completed": (
        "【{center_name}】您的办件{case_number}(“{item_name}”)已办结,请按约定方式领取办理结果。",
        "【{center_name}】您的办件{case_number}（“{item_name}”）已办结，请按约定方式领取办理结果。",
    ),
    "case_completed_early": (
        "【{center_name}】您的办件{case_number}(“{item_name}”)已提前办结,请按约定方式领取办理结果。",
        "【{center_name}】您的办件{case_number}（“{item_name}”）已提前办结，请按约定方式领取办理结果。",
    ),
    "case_ready_for_pickup": (
        "【{center_name}】您的办件{case_number}(“{item_name}”)的办理结果已可领取,请携带有效身份证件到{pickup_place}取件。",
        "【{center_name}】您的办件{case_number}（“{item_name}”）的办理结果已可领取，请携带有效身份证件到{pickup_place}取件。",
    ),
    "case_refused": (
        "【{center_name}】您申请的“{item_name}”(编号{case_number})不予受理,理由:{reason}。如不服,可依法申请行政复议或者提起行政诉讼。",
        "【{center_name}】您申请的“{item_name}”（编号{case_number}）不予受理，理由：{reason}。如不服，可依法申请行政复议或者提起行政诉讼。",
    ),
    "case_deemed_approved": (
        "【{center_name}】您的办件{case_number}(“{item_name}”)未在规定时限内作出决定,依规视为准予。",
        "【{center_name}】您的办件{case_number}（“{item_name}”）未在规定时限内作出决定，依规视为准予。",
    ),
    "reminder": (
        "【催办】办件{case_number}(“{item_name}”)的“{step_name}”环节办理期限为{due_at},请及时办理。",
        "【催办】办件{case_number}（“{item_name}”）的“{step_name}”环节办理期限为{due_at}，请及时办理。",
    ),
}


def forwards(apps, schema_editor):
    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    for code, (old, new) in TEXTS.items():
        MessageTemplate.objects.filter(code=code, text=old).update(text=new)


def backwards(apps, schema_editor):
    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    for code, (old, new) in TEXTS.items():
        MessageTemplate.objects.filter(code=code, text=new).update(text=old)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0003_lean_write_indexes")]

    operations = [migrations.RunPython(forwards, backwards)]
