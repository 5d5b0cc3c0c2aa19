"""The default Chinese message templates. Centers edit the texts in the admin; codes are fixed.

Created by the data migration 0002_default_templates, and again after every `migrate` or
`flush` for any code that is missing (an edited template is never overwritten).
"""

from __future__ import annotations

from typing import Any

DEFAULT_TEMPLATES: list[tuple[str, str, str]] = [
    (
        "case_accepted",
        "受理通知",
        "【{center_name}】您申请的“{item_name}”已受理，办件编号{case_number}，承诺于{due_date}前办结。"
        "可凭办件编号查询办理进度。",
    ),
    (
        "case_correction_requested",
        "补正通知",
        "【{center_name}】您申请的“{item_name}”（编号{case_number}）需补正材料：{materials}。"
        "请按一次性告知书一次补齐后提交。",
    ),
    (
        "case_completed",
        "办结通知",
        "【{center_name}】您的办件{case_number}（“{item_name}”）已办结，请按约定方式领取办理结果。",
    ),
    (
        "case_completed_early",
        "提前办结通知",
        "【{center_name}】您的办件{case_number}（“{item_name}”）已提前办结，请按约定方式领取办理结果。",
    ),
    (
        "case_ready_for_pickup",
        "取件通知",
        "【{center_name}】您的办件{case_number}（“{item_name}”）的办理结果已可领取，"
        "请携带有效身份证件到{pickup_place}取件。",
    ),
    (
        "case_refused",
        "不予受理通知",
        "【{center_name}】您申请的“{item_name}”（编号{case_number}）不予受理，理由：{reason}。"
        "如不服，可依法申请行政复议或者提起行政诉讼。",
    ),
    (
        "case_deemed_approved",
        "超期默认通知",
        "【{center_name}】您的办件{case_number}（“{item_name}”）未在规定时限内作出决定，依规视为准予。",
    ),
    (
        "bundle_accepted",
        "一件事受理通知",
        "【{center_name}】您申请的“{bundle_name}”已受理，编号{bundle_number}，共{item_count}个事项由相关部门"
        "同步办理，承诺于{due_date}前全部办结。可凭编号查询各部门办理进度。",
    ),
    (
        "bundle_correction_requested",
        "一件事补正通知",
        "【{center_name}】您申请的“{bundle_name}”（编号{bundle_number}）需补正材料：{materials}。"
        "请按一次性告知书一次补齐后提交。",
    ),
    (
        "bundle_refused",
        "一件事不予受理通知",
        "【{center_name}】您申请的“{bundle_name}”（编号{bundle_number}）不予受理，理由：{reason}。"
        "如不服，可依法申请行政复议或者提起行政诉讼。",
    ),
    (
        "bundle_extended",
        "一件事延期通知",
        "【{center_name}】您申请的“{bundle_name}”（编号{bundle_number}）经批准延长{days}个工作日，"
        "理由：{reason}。新的办结期限为{due_date}。",
    ),
    (
        "bundle_decided",
        "一件事办结通知",
        "【{center_name}】您申请的“{bundle_name}”（编号{bundle_number}）的全部事项已办结，请携带有效身份证件"
        "到{pickup_place}一次领取全部办理结果。",
    ),
    (
        "reminder",
        "催办",
        "【催办】办件{case_number}（“{item_name}”）的“{step_name}”环节办理期限为{due_at}，请及时办理。",
    ),
]

# identity (applicant accounts of the online hall): the sign-in code. The code appears in this
# message only; never put it in a log or an audit entry.
DEFAULT_TEMPLATES += [
    (
        "applicant_signin_code",
        "网上办事大厅登录验证码",
        "您的网上办事大厅登录验证码为{code}，{minutes}分钟内有效。请勿将验证码告诉他人；如非本人操作，请忽略本短信。",
    ),
]

# the hall's queue (issue 16): "almost your turn" (排队叫号 提醒), sent once per ticket
DEFAULT_TEMPLATES += [
    (
        "queue_almost",
        "排队叫号提醒",
        "【{center_name}】您的排队号{number}前面还有{ahead}人，请到{business_name}等候区留意叫号。",
    ),
]

# Added to a message that shows {due_date} when the caller says the date lies in a year without
# a confirmed holiday schedule (context "due_date_confirmed": False).
TENTATIVE_DATE_NOTE = "该年度节假日安排尚未公布，日期可能调整。"


def ensure_default_templates(model: Any) -> int:
    """Create each default template whose code is missing; returns how many were created.
    `model` is MessageTemplate (or its historical version inside a migration)."""
    existing = set(model.objects.values_list("code", flat=True))
    missing = [(code, name, text) for code, name, text in DEFAULT_TEMPLATES if code not in existing]
    for code, name, text in missing:
        model.objects.create(code=code, name=name, text=text, channel="sms", active=True)
    return len(missing)


# --- online applications (onewindow.online): the pre-review passed, bring the originals once
DEFAULT_TEMPLATES += [
    (
        "online_bring_originals",
        "网上预审通过通知",
        "【{center_name}】您网上申报的“{item_name}”（受理编号{receipt_number}）已通过预审，"
        "请携带申请材料原件和有效身份证件到{pickup_place}核验，一次办理受理。",
    ),
]

# --- consultations (issue 14): the applicant's SMS when a consultation is answered -----------
DEFAULT_TEMPLATES += [
    (
        "consultation_answered",
        "咨询答复通知",
        "【{center_name}】您在网上办事大厅提交的咨询已有{department}的答复，请登录查看。",
    ),
]

# appointments (预约办理, onewindow.appointments): confirmation, the reminder the day before,
# cancellation. The name and ID number arrive masked.
DEFAULT_TEMPLATES += [
    (
        "appointment_booked",
        "预约成功通知",
        "【{center_name}】{name}（{id_number}）您好，您已预约{date}{start}至{end}办理“{business_name}”，"
        "预约码{code}。请携带有效身份证件按时到中心签到取号；如需取消，请在开始前2小时办理。",
    ),
    (
        "appointment_reminder",
        "预约提醒",
        "【{center_name}】{name}您好，提醒您明天（{date}）{start}至{end}预约办理“{business_name}”，"
        "预约码{code}。未按时签到将记为爽约。",
    ),
    (
        "appointment_cancelled",
        "预约取消通知",
        "【{center_name}】{name}您好，您{date}{start}办理“{business_name}”的预约（预约码{code}）已取消。",
    ),
]

# evaluation (issue 15): the department chief's reminder when a rectification of a 差评 turns
# yellow (rectification_sweep.py); no evaluator's data in it.
DEFAULT_TEMPLATES += [
    (
        "rectification_reminder",
        "差评整改提醒",
        "【整改提醒】{department}有一件差评整改将于{due_at}到期，请及时回访、整改并告知评价人。",
    ),
]

# complaints (投诉, onewindow.complaints): registered (number and query code), answered, not
# accepted (the reply is sent anyway), and the reminder to the handling department.
DEFAULT_TEMPLATES += [
    (
        "complaint_registered",
        "投诉登记通知",
        "【{center_name}】您的投诉已登记，投诉编号{number}，查询码{query_code}，将于{due_date}前答复。"
        "可凭编号和查询码在网上查询处理情况。",
    ),
    (
        "complaint_answered",
        "投诉答复通知",
        "【{center_name}】您的投诉{number}已有答复，请凭投诉编号和查询码在网上查看答复内容。",
    ),
    (
        "complaint_not_accepted",
        "投诉不予受理告知",
        "【{center_name}】您的投诉{number}不予受理，原因：{reason}。{reply}",
    ),
    (
        "complaint_reminder",
        "投诉催办",
        "【催办】投诉{number}（“{title}”）的答复期限为{due_at}，请及时办理。",
    ),
]

# --- evaluation (好差评, issue 15): the invitation after completion and its one reminder. No
# personal data: the case number, the item and the link (onewindow.feedback.invitations).
DEFAULT_TEMPLATES += [
    (
        "evaluation_invitation",
        "服务评价邀请",
        "【{center_name}】您的办件{case_number}（“{item_name}”）已办结。欢迎对本次服务作出评价，"
        "评价自愿，不影响办理结果：{link}",
    ),
    (
        "evaluation_reminder",
        "服务评价提醒",
        "【{center_name}】您的办件{case_number}（“{item_name}”）尚未评价。如愿意评价，请于{date}前打开：{link}",
    ),
]
