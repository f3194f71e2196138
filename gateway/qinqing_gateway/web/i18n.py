"""The pages' words, in Chinese first and English second.

A page is in the language of ``?lang=`` (kept in a cookie) or else Chinese. Every
word a page shows is here, once in each language: a missing one fails the unit tests.
"""

from __future__ import annotations

from typing import Literal

from fastapi import Request

Lang = Literal["zh", "en"]
LANG_COOKIE = "qinqing_lang"

WORDS: dict[str, tuple[str, str]] = {
    "platform": ("亲清在线", "Qinqing Online"),
    "tagline": ("零材料、零审批、秒兑现", "Zero materials, zero approvals, instant cash-out"),
    "other_language": ("English", "中文"),
    "skip": ("跳到正文", "Skip to content"),
    "nav_dashboard": ("城市数据", "City figures"),
    "nav_portal": ("企业服务", "Enterprise portal"),
    "nav_access": ("授权与查阅记录", "Access and records of use"),
    "nav_commitments": ("信用承诺", "Credit commitments"),
    # dashboard
    "dashboard_title": ("亲清在线实时数据", "Qinqing Online, live"),
    "services": ("在线服务", "Services online"),
    "service_items": ("政务服务事项", "Service items"),
    "subsidies": ("惠企政策", "Subsidies"),
    "departments": ("部门", "Departments"),
    "districts": ("区县", "Districts"),
    "cash_transactions": ("兑付笔数", "Cash transactions"),
    "cash_paid": ("兑付金额", "Money paid"),
    "by_district": ("各区兑付金额", "Money paid by district"),
    "by_department": ("各部门兑付金额", "Money paid by department"),
    "per_minute": ("每分钟兑付笔数（近30分钟）", "Payouts per minute (last 30 minutes)"),
    "latest": ("最新兑付", "Latest payouts"),
    "time": ("时间", "Time"),
    "department": ("部门", "Department"),
    "district": ("区县", "District"),
    "amount": ("金额", "Amount"),
    "payouts": ("笔数", "Payouts"),
    "none_yet": ("暂无", "None yet"),
    "updated": ("每5秒自动更新", "Updates every 5 seconds"),
    "chart_note": (
        "条形长度与兑付金额成正比；数值见右侧。",
        "Bar length is proportional to the money paid; figures to the right.",
    ),
    # portal
    "portal_title": ("企业服务", "Enterprise portal"),
    "sign_in": ("登录", "Sign in"),
    "sign_out": ("退出", "Sign out"),
    "sign_in_lead": (
        "企业员工登录后，可查看适用政策、一键申领、跟踪兑付、管理应用授权。",
        "Staff of an enterprise sign in to see what applies to it, apply in one click, "
        "follow payouts and manage apps' access.",
    ),
    "signed_in_as": ("当前登录", "Signed in as"),
    "enterprise": ("企业", "Enterprise"),
    "policies": ("可申领的政策", "Subsidies you can apply for"),
    "policy": ("政策", "Policy"),
    "valid": ("有效期", "Valid"),
    "budget": ("预算", "Budget"),
    "apply": ("一键申领", "Apply in one click"),
    "applications": ("我的申领", "Your applications"),
    "no_applications": ("还没有申领记录。", "No applications yet."),
    "status": ("状态", "Status"),
    "applied_on": ("申领日期", "Applied on"),
    "open": ("查看", "Open"),
    "application": ("申领详情", "Application"),
    "district_services": ("本区可办的政务服务事项", "Service items of the enterprise's district"),
    "handled_anywhere": ("全城通办", "handled anywhere in the city"),
    "held": (
        "平台已掌握的信息（无需提交材料）",
        "What the platform already knows (no papers to send)",
    ),
    "held_note": (
        "以下数据由各部门报送，注明来源部门与记录日期；未报送的为“未知”，不视为符合。",
        "Each fact was sent by a department, named with its record date; a fact no "
        "department has sent is unknown, never taken as met.",
    ),
    "payee_account": ("收款账户", "Payee account"),
    "employees": ("员工及其信息", "Employees and what departments hold"),
    "employee": ("员工（已脱敏）", "Employee (masked)"),
    "degree": ("学历", "Degree"),
    "social_insurance": ("本市社保月数", "Months of social insurance in the city"),
    "home": ("本市有房", "Owns a home in the city"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "unknown": ("未知（部门未报送）", "unknown (no department has sent it)"),
    "unknown_source": ("未注明来源", "no source recorded"),
    "beneficiaries": ("受益员工（已脱敏）", "Beneficiaries (masked)"),
    "decision": ("判定依据", "Why it was decided so"),
    "passed": ("符合", "met"),
    "failed": ("不符合", "not met"),
    "from_source": ("数据来源", "Source"),
    "problem_detail": ("具体原因", "Detail"),
    "request_changed": ("此诉求有了新进展。", "This request has moved on."),
    "request_reload": ("查看最新", "See it now"),
    "offset_note": ("其中抵扣应退回款项", "Of it, set off against money owed back"),
    "tax_year": ("纳税年度", "Tax year"),
    "latest_payouts": ("最近兑付", "Latest payouts"),
    "when": ("时间", "When"),
    "payout_reserved": ("待发送银行", "reserved, not yet at the bank"),
    "payout_sent": ("银行处理中", "at the bank"),
    "payout_completed": ("已到账", "paid"),
    "payout_failed": ("银行未受理", "refused by the bank"),
    "payout_reversed": ("已退回", "came back"),
    "revenue": ("营业收入", "Operating revenue"),
    "tax_paid": ("已缴税款", "Taxes paid"),
    "tax_credit": ("纳税信用等级", "Tax credit rating"),
    "no_source": ("—", "—"),
    "payout": ("兑付", "Payout"),
    "bank_reference": ("银行流水号", "Bank reference"),
    "reasons": ("结论", "Outcome"),
    "following": ("办理中，本页自动更新。", "In progress: this page updates by itself."),
    "steps": ("办理进度", "Progress"),
    "step_identity": ("企业与员工身份核验", "Enterprise and employees identified"),
    "step_decided": ("资格与信用判定", "Eligibility and credit decided"),
    "step_at_bank": ("兑付：等待银行确认", "Payout: waiting for the bank"),
    "step_paid": ("已兑付到账", "Paid into the account"),
    "receipt": ("电子回执（平台签名）", "Receipt (signed by the platform)"),
    "back": ("返回企业服务", "Back to the portal"),
    "notices": ("免申即享", "Paid without applying"),
    "notices_lead": (
        "以下政策由平台根据部门数据主动核定，无需申请；告知期内可放弃，期满后自动兑付。",
        "The platform found from the departments' data that these apply to you: nothing to "
        "apply for. You may decline during the notice period; after it, the money is paid.",
    ),
    "no_notices": ("暂无免申即享记录。", "Nothing paid without applying yet."),
    "pay_after": ("兑付时间", "Paid after"),
    "decline": ("放弃", "Decline"),
    "proactive_policy": ("免申即享，无需申请", "Paid without applying"),
    "status_noticed": ("已告知，待兑付", "notified, to be paid"),
    "status_declined": ("已放弃", "declined"),
    "status_taken": ("兑付中", "being paid"),
    "status_eligible": ("判定中", "being decided"),
    "status_approved": ("已核准，兑付中", "approved, being paid"),
    "status_reversed": ("银行已退回", "returned by the bank"),
    "status_processing": ("办理中", "in progress"),
    "status_paid": ("已兑付", "paid"),
    "status_rejected": ("未通过", "not approved"),
    "status_clawed_back": ("已追回", "clawed back"),
    "status_failed": ("未受理", "not accepted"),
    "commitments_title": ("信用承诺", "Credit commitments"),
    "commitments_lead": (
        "部门数据尚未报送时，企业可就政策允许的条款作出信用承诺，先享受、后核验；"
        "承诺不实将追回资金并记入信用记录。",
        "Where a department's data has not come, the enterprise may commit for a clause the "
        "policy allows: paid first, verified when the data comes; a broken commitment is "
        "clawed back and goes on its credit record.",
    ),
    "commitments_made": ("本企业的承诺", "The enterprise's commitments"),
    "statement": ("承诺内容", "Statement"),
    "made_on": ("承诺日期", "Made on"),
    "verify_by": ("核验期限", "Verified by"),
    "outcome_open": ("待核验", "open"),
    "outcome_kept": ("已兑现", "kept"),
    "outcome_broken": ("不实", "broken"),
    "outcome_lapsed": ("已失效", "lapsed"),
    "commit": ("作出承诺", "Make a commitment"),
    "commit_to": ("承诺条款", "What you commit to"),
    "employee_id_number": ("员工身份证号", "The employee's ID number"),
    "signed_by": ("签署人（姓名、职务）", "Signed by (name and role)"),
    "commit_button": ("签署承诺", "Sign the commitment"),
    "access_title": ("授权与查阅记录", "Access and records of use"),
    "grants": ("可代表本企业办理的应用", "Apps that may act for this enterprise"),
    "no_grants": ("尚未授权任何应用。", "No app holds a grant."),
    "app": ("应用", "App"),
    "granted_at": ("授权时间", "Granted"),
    "revoke": ("撤销授权", "Revoke"),
    "grant_new": ("授权新应用", "Grant an app access"),
    "client_id": ("应用标识（client_id）", "App id (client_id)"),
    "grant": ("授权", "Grant"),
    "records": ("谁查阅或修改了本企业的数据", "Who read or changed this enterprise's data"),
    "no_records": ("暂无记录。", "No records yet."),
    "who": ("调用方", "Who"),
    "what": ("事项", "What"),
    "console_title": ("部门工作台", "Department console"),
    "console_lead": (
        "部门工作人员登录后，可起草、审核并发布本部门的政策。",
        "A department's officers sign in to draft, review and publish its policies.",
    ),
    "department_policies": ("本部门的政策", "The department's policies"),
    "funded": ("已拨付预算", "Funded"),
    "paid": ("已兑付", "Paid"),
    "remaining": ("余额", "Remaining"),
    "versions": ("已发布的版本", "Published versions"),
    "version": ("版本", "Version"),
    "published_at": ("发布时间", "Published"),
    "drafts": ("草稿", "Drafts"),
    "no_drafts": ("暂无草稿。", "No drafts."),
    "publish": ("发布", "Publish"),
    "new_draft": ("起草新版本", "Draft a new version"),
    "draft_help": (
        "以 JSON 编辑政策内容与规则；保存前由平台校验，发布后不可更改。",
        "Edit the policy and its rules as JSON; the platform checks it when saved, and "
        "a published version never changes.",
    ),
    "rules_json": ("政策内容（JSON）", "The policy (JSON)"),
    "save_draft": ("保存草稿", "Save the draft"),
    "preview": ("模拟测算", "Preview"),
    "preview_help": (
        "用虚构的企业数据测算草稿的判定与金额；不读取真实数据，不兑付。",
        "Decide a draft on made-up facts: no real data is read, nothing is paid.",
    ),
    "made_up_enterprise": ("虚构的企业（JSON）", "A made-up enterprise (JSON)"),
    "preview_button": ("测算", "Preview"),
    "back_to_policy": ("返回政策", "Back to the policy"),
    "outcome": ("结果", "Outcome"),
    "eligible": ("符合条件", "eligible"),
    "not_eligible": ("不符合条件", "not eligible"),
    "preview_pays_nothing": (
        "模拟测算不兑付、不保存。",
        "A preview pays nothing and keeps nothing.",
    ),
    "letters_title": ("退回的数据", "Refused records"),
    "letters_lead": (
        "本部门系统报送后未被接收的记录（死信），注明原因；更正后可重新报送。",
        "Records the department's systems sent that were refused (dead letters), with "
        "why; correct one and send it again.",
    ),
    "no_letters": ("没有退回的数据。", "No refused records."),
    "why": ("原因", "Why"),
    "replays": ("重发次数", "Replays"),
    "letter_title": ("退回的记录", "A refused record"),
    "corrected_record": ("更正后的记录（JSON）", "The corrected record (JSON)"),
    "replay": ("重新报送", "Send it again"),
    "credit_title": ("信用记录", "Credit records"),
    "file_record": ("报送信用记录", "File a credit record"),
    "record_id": ("本部门记录编号", "The department's record id"),
    "record_kind": ("类别", "Kind"),
    "kind_blacklist": ("失信（黑名单）", "black list"),
    "kind_redlist": ("守信（红名单）", "red list"),
    "kind_violation": ("违法违规", "violation"),
    "reason": ("事由", "Reason"),
    "valid_from": ("起始日期", "Valid from"),
    "valid_to": ("截止日期（可空）", "Valid to (may be empty)"),
    "submit_record": ("报送", "File"),
    "lift_record": ("信用修复：撤销本部门的记录", "Credit repair: lift a record of the department"),
    "record_to_lift": ("记录编号（部门:编号）", "Record id (department:id)"),
    "repair_commitment": ("企业的信用修复承诺", "The enterprise's repair commitment"),
    "lift": ("撤销记录", "Lift the record"),
    "record_filed": ("已报送", "Filed"),
    "record_duplicate": ("此前已报送", "Filed before"),
    "record_lifted": ("已撤销", "Lifted"),
    "error_title": ("无法完成", "Could not be done"),
    "session_over": (
        "登录已过期或尚未登录，请重新登录。",
        "You are not signed in, or the sign-in has expired: sign in again.",
    ),
    "try_again": ("请返回重试。", "Go back and try again."),
    # direct interaction (诉求直达)
    "service_items_handled": ("政务服务事项办件量", "Service items handled"),
    "ask_for": ("申请办理", "Ask for it"),
    "request_service": ("办理的事项编码（可选）", "Service item code (optional)"),
    "request_service_note": (
        "办理政务服务事项请选择“政务服务事项办理”并填写事项编码；任何区县均可办理。",
        "To ask for a service item, choose that topic and give its code; any district handles it.",
    ),
    "request_outcome": ("办理结果", "Outcome"),
    "outcome_item_granted": ("准予办理", "Granted"),
    "outcome_item_refused": ("不予办理", "Refused"),
    "dashboard_requests": ("诉求直达（近一年）", "Requests to departments (last 12 months)"),
    "requests_count": ("诉求件数", "Requests"),
    "in_time_share": ("按时答复率", "Answered in time"),
    "first_answer_median": ("首次答复用时中位数（小时）", "Hours to a first answer, median"),
    "escalated_count": ("逾期督办", "Escalated"),
    "satisfaction": ("满意度（5分制）", "Satisfaction (of 5)"),
    "requests_by_department": ("各部门诉求办理情况", "Requests by department"),
    "nav_requests": ("诉求直达", "Requests to departments"),
    "requests_title": ("诉求直达", "Requests to departments"),
    "request_title": ("诉求详情", "Request"),
    "requests_lead": (
        "向主管部门提出咨询、办事问题、投诉或帮扶需求：平台按政策或事项找到主管部门，在规定的工作日内受理并答复，全程留痕。",
        "Ask the department that owns it: a question, a problem with a permit, a "
        "complaint or a need for help. The platform finds the department from the "
        "policy or service, which takes it and answers within working-day limits, on "
        "the record.",
    ),
    "requests_console_lead": (
        "本部门承办的企业诉求，逾期未受理或未答复的已升级督办。",
        "Enterprises' requests your department holds; those past a time limit are escalated.",
    ),
    "requests_mine": ("本企业的诉求", "The enterprise's requests"),
    "requests_back": ("返回诉求列表", "Back to the requests"),
    "request_raise": ("提出诉求", "Raise a request"),
    "request_topic": ("诉求类型", "Topic"),
    "limits_of": ("受理/答复时限（工作日）", "days to take / to answer (working days)"),
    "request_about_policy": ("相关政策（可选）", "About a policy (optional)"),
    "request_no_policy": ("不涉及具体政策", "No particular policy"),
    "request_subject": ("标题", "Subject"),
    "request_text": ("诉求内容", "Your request"),
    "request_text_note": (
        "内容仅本企业、承办部门、督办机构及平台运维人员可见，每次查阅均有记录。",
        "Only the enterprise, the department handling it, the oversight desk and "
        "operators can read it; every read is recorded.",
    ),
    "request_send": ("提交诉求", "Send the request"),
    "request_holder": ("承办部门", "Handled by"),
    "request_submitted": ("提交时间", "Submitted"),
    "request_acknowledge_by": ("受理时限", "To be taken by"),
    "request_answer_by": ("答复时限", "To be answered by"),
    "request_open": ("待受理", "Waiting to be taken"),
    "request_accepted": ("办理中", "In hand"),
    "request_awaiting-enterprise": ("待企业补充说明", "Waiting for the enterprise"),
    "request_answered": ("已答复", "Answered"),
    "request_closed": ("已办结", "Closed"),
    "request_escalated": ("已升级督办", "Escalated"),
    "request_rating": ("满意度评价", "Rating"),
    "request_rating_note": (
        "2分及以下将退回承办部门重新办理。",
        "A rating of 2 or less sends the request back to the department.",
    ),
    "request_comment": ("评价说明（可选）", "Comment (optional)"),
    "request_history": ("办理过程", "History"),
    "request_application": (
        "所投诉的申领及其判定",
        "The application complained about, and its decision",
    ),
    "request_answer_text": ("答复内容", "The answer"),
    "request_question_text": ("需要企业补充说明的内容", "What the enterprise should clarify"),
    "request_reply_text": ("补充说明", "Your reply"),
    "request_to_department": ("转交至", "Pass to"),
    "escalated_to": ("督办：", "escalated to"),
    "step_submitted": ("提交", "Submitted"),
    "step_accepted": ("受理", "Taken in hand"),
    "step_clarification_requested": ("请企业补充说明", "Clarification asked"),
    "step_clarified": ("企业补充说明", "Clarified"),
    "step_transferred": ("转交", "Transferred"),
    "step_answered": ("答复", "Answered"),
    "step_closed": ("办结", "Closed"),
    "step_rated": ("评价", "Rated"),
    "step_reopened": ("重新办理", "Reopened"),
    "step_escalated": ("逾期升级督办", "Escalated (past its limit)"),
    "step_accept": ("受理", "Take it in hand"),
    "step_answer": ("答复", "Answer"),
    "step_ask": ("请企业补充说明", "Ask the enterprise"),
    "step_transfer": ("转交其他部门", "Pass to another department"),
    "step_close": ("办结", "Close"),
    "step_reply": ("补充说明", "Reply"),
    "step_rate": ("提交评价", "Rate the answer"),
    "step_reopen": ("申请重新办理", "Reopen"),
}


# What a page says in Chinese for the problems a person meets most; the problem's own
# English detail follows it (the API's problems are in English).
PROBLEMS_ZH: dict[str, str] = {
    "csrf-refused": "表单已失效或并非来自本页面",
    "form-too-large": "表单内容过长",
    "bad-form": "表单填写不完整",
    "not-json": "内容不是有效的 JSON",
    "invalid-request": "提交的内容不符合要求",
    "rate-limited": "请求过于频繁，请稍后再试",
    "dependency-unavailable": "平台服务暂时不可用，请稍后再试",
    "dependency-failed": "平台服务出错，请稍后再试",
    "app-not-found": "没有这个应用",
    "grant-not-found": "该应用没有授权",
    "application-not-found": "没有这个申领",
    "draft-not-found": "没有这个草稿",
    "policy-version-conflict": "版本号须比已有版本新",
    "not-committable": "此条款不允许信用承诺",
    "fact-known": "部门数据已能说明此事，无需承诺",
    "commitment-refused": "本企业目前不能作出此承诺",
    "record-id-reused": "此记录编号已用于另一条记录",
    "already-lifted": "该记录此前已撤销",
    "repair-too-early": "尚未到可以信用修复的日期",
    "budget-exhausted": "政策预算已用完",
}


# What a person can do about each of those problems, in Chinese: shown above the API's
# own detail (in English, marked as such), which says exactly what was wrong.
PROBLEM_HINTS_ZH: dict[str, str] = {
    "csrf-refused": "请返回上一页，刷新后重新提交。",
    "form-too-large": "请精简填写的内容后重新提交。",
    "bad-form": "请检查必填项是否都已填写。",
    "not-json": "请检查所填内容的格式（JSON）后重新提交。",
    "invalid-request": "请按下方提示修改后重新提交。",
    "rate-limited": "操作过于频繁，请稍候一分钟再试。",
    "dependency-unavailable": "相关部门的服务暂时无法访问，请稍后再试；已提交的内容不会丢失。",
    "dependency-failed": "相关部门的服务出错，请稍后再试；已提交的内容不会丢失。",
    "app-not-found": "请确认应用名称是否正确。",
    "grant-not-found": "该应用目前没有本企业的授权，无需撤销。",
    "application-not-found": "请从“我的申领”中打开申领记录。",
    "draft-not-found": "该草稿可能已发布或不存在，请返回政策页查看。",
    "policy-version-conflict": "新版本的版本号须大于所有已发布的版本号。",
    "not-committable": "此条件须由部门数据证明，不能以信用承诺代替。",
    "fact-known": "部门已报送相关数据，将直接按数据办理。",
    "commitment-refused": "本企业目前有未修复的失信记录，暂不能作出信用承诺。",
    "record-id-reused": "请为更正后的记录使用新的记录编号。",
    "already-lifted": "该记录此前已撤销，无需再次操作。",
    "repair-too-early": "请在规定的修复期满后再申请信用修复。",
    "budget-exhausted": "该政策本年度预算已用完，预算追加后可再次申领。",
}


def problem_hint(slug: str, lang: Lang) -> str | None:
    """What a person can do about the problem, in the page's language (Chinese only)."""
    return PROBLEM_HINTS_ZH.get(slug) if lang == "zh" else None


def problem_title(slug: str, english: str, lang: Lang) -> str:
    """A problem's title in the page's language (its English one where none is known)."""
    return PROBLEMS_ZH.get(slug, english) if lang == "zh" else english


def language(request: Request) -> Lang:
    """``?lang=`` first, then the cookie, then Chinese."""
    asked = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    return "en" if asked == "en" else "zh"


def words(lang: Lang) -> dict[str, str]:
    index = 0 if lang == "zh" else 1
    return {key: pair[index] for key, pair in WORDS.items()}
