"""Controlled vocabularies with their Chinese and English display labels."""

from __future__ import annotations

__all__ = ["VOCAB", "label", "codes", "for_display", "display_values", "column_headers", "COLUMN_LABELS"]

# code -> (中文, English). Codes are what the database stores; labels are for people.
VOCAB: dict[str, dict[str, tuple[str, str]]] = {
    "post": {
        "secretary": ("党委书记", "Party secretary"),
        "head": ("乡镇长/街道主任", "Township head"),
    },
    "township_kind": {
        "township": ("乡镇", "Township"),
        "subdistrict": ("街道", "Sub-district"),
    },
    "cohort_kind": {
        "programme": ("培养行动", "Cultivation programme"),
        "class": ("培训班", "Training class"),
        "lecture_series": ("大讲堂", "Lecture series"),
        "rotation": ("集中轮训", "Rotation training"),
    },
    # Recorded: active, withdrawn (an enrolment ended early, with its end_reason). Shown: promoted
    # for one ended by a promotion (the programme's success, counted apart, never as withdrawn).
    # Decided from the rules once an enrolment has ended: completed / not_completed (kinds that
    # end in completion; pending while marks are missing), ended (kinds that do not).
    "enrollment_status": {
        "active": ("在训", "Active"),
        "completed": ("结业", "Completed"),
        "not_completed": ("未结业", "Not completed"),
        "pending": ("待定（考勤或考核成绩未记全）", "Pending: marks or assessment score missing"),
        "ended": ("已结束", "Ended"),
        "promoted": ("提拔", "Promoted"),
        "withdrawn": ("退出", "Withdrawn"),
    },
    # Why an enrolment ended before its cohort did (enrollment.end_reason). A promotion is the
    # programme's success, not a dropout: it is counted apart wherever leavers are shown.
    "end_reason": {
        "promoted": ("提拔", "Promoted"),
        "withdrawn": ("退出", "Withdrawn"),
        "transferred": ("调离", "Transferred"),
        "other": ("其他原因", "Other reason"),
    },
    "format": {
        "lecture": ("专家授课", "Expert lecture"),
        "site_visit": ("专场观摩", "On-site visit"),
        "experience_sharing": ("专项分享", "Experience sharing"),
        "seminar": ("专题研讨", "Seminar discussion"),
    },
    "attendance_status": {
        "present": ("出勤", "Present"),
        "late": ("迟到", "Late"),
        "left_early": ("早退", "Left early"),
        "excused": ("请假", "Excused"),
        "absent": ("缺勤", "Absent"),
    },
    "dimension": {
        "party_spirit": ("党性修养", "Party-spirit cultivation"),
        "theory": ("理论素养", "Theoretical literacy"),
        "professional": ("专业能力", "Professional ability"),
    },
    "sex": {
        "M": ("男", "Male"),
        "F": ("女", "Female"),
        "unknown": ("未记录", "Not recorded"),
    },
    # Age in whole years on a cohort's first day, as a change table is split by it.
    "age_band": {
        "under_35": ("35岁以下", "Under 35"),
        "35_39": ("35至39岁", "35 to 39"),
        "40_44": ("40至44岁", "40 to 44"),
        "45_over": ("45岁及以上", "45 and over"),
        "unknown": ("未记录", "Not recorded"),
    },
    "phase": {
        "pre": ("训前", "Pre"),
        "mid": ("训中", "Mid"),
        "post": ("训后", "Post"),
    },
    "arena": {
        "investment": ("招商引资", "Investment attraction"),
        "projects": ("项目攻坚", "Major-project delivery"),
        "rural": ("乡村振兴", "Rural revitalization"),
        "governance": ("社会治理", "Social governance"),
        "public_opinion": ("舆情化解", "Public-opinion handling"),
    },
    # A chief's frontline classification, computed by the rules file's [frontline] rule.
    "rating": {
        "strong": ("担当有力", "Strong"),
        "average": ("表现一般", "Average"),
        "weak": ("表现较差", "Weak"),
        "unrated": ("待定（考察未完成）", "Not yet rated: review incomplete"),
    },
    # The lines of the [frontline] rule that decide a class (and "all": the three moved together).
    "frontline_threshold": {
        "strong_mean": ("担当有力均分线", "Strong: mean at least"),
        "strong_arena_min": ("担当有力最低领域线", "Strong: every arena at least"),
        "weak_mean": ("表现较差均分线", "Weak: mean below"),
        "all": ("三条线同时", "All three together"),
    },
    # The five-level scale each source rates an arena on (stored as the number).
    "level": {
        "5": ("好", "Very good"),
        "4": ("较好", "Good"),
        "3": ("一般", "Fair"),
        "2": ("较差", "Poor"),
        "1": ("差", "Very poor"),
    },
    "review_source": {
        "look": ("看（项目进展）", "Look (project progress)"),
        "hear": ("听（党员干部、企业、群众意见）", "Hear (party members, cadres, companies, residents)"),
        "ask": ("问（项目推进中的问题）", "Ask (problems in project delivery)"),
    },
    "rater_role": {
        "self": ("本人自评", "Self"),
        "peer": ("学员互评", "Peers"),
        "trainer": ("授课教师", "Trainer"),
        "training_office": ("培训主管部门", "Training office"),
        "supervisor": ("上级领导", "Supervisor"),
    },
    "commenter_role": {
        "party_member": ("党员", "Party member"),
        "cadre": ("干部", "Cadre"),
        "company": ("企业", "Company"),
        "resident": ("群众", "Resident"),
    },
    # A comment's tone as the themes dictionary reads it.
    "tone": {
        "positive": ("肯定", "Positive"),
        "concern": ("问题与建议", "Concern"),
        "neutral": ("中性", "Neutral"),
    },
    "talker_role": {
        "county_secretary": ("县（区）委书记", "County Party secretary"),
        "county_org_chief": ("县（区）委组织部部长", "County organization chief"),
        "city_deputy": (
            "市委组织部分管副部长（四不两直）",
            "Deputy head of the city organization department (unannounced visits)",
        ),
        "other": ("其他领导", "Other leader"),
    },
    # What a chief raises in a supervisory talk (a talk may carry several).
    "concern": {
        "workload": ("工作压力", "Workload and pressure"),
        "family": ("家庭困难", "Family difficulties"),
        "health": ("身心健康", "Health"),
        "development": ("成长进步", "Career development"),
        "land": ("用地指标", "Land quotas"),
        "funding": ("资金保障", "Funding"),
        "staffing": ("队伍建设", "Staffing of the township"),
        "policy": ("政策落实", "Putting policies into effect"),
        "disputes": ("矛盾化解", "Disputes and grievances"),
        "training": ("学习培训", "Training and study"),
        "accountability": ("担当顾虑", "Worry about being held to account"),
        "other": ("其他", "Other"),
    },
    "follow_up_status": {
        "open": ("未办结", "Open"),
        "done": ("已办结", "Done"),
        "dropped": ("不再办理", "Dropped"),
    },
    # Where a chief stands with a talk owed in one period (computed as of a date).
    "talk_status": {
        "held": ("已谈", "Held"),
        "late": ("逾期补谈", "Held late"),
        "due": ("本期待谈", "Due this period"),
        "overdue": ("逾期未谈", "Overdue"),
    },
    # Sanctions and accountability measures that carry an impact period (影响期): how long each
    # bars promotion is set in the rules file's [impact] section, with its source.
    "sanction": {
        "party_warning": ("党内警告", "Party warning"),
        "party_serious_warning": ("党内严重警告", "Serious party warning"),
        "party_removal": ("撤销党内职务", "Removal from party posts"),
        "admin_warning": ("政务警告", "Administrative warning"),
        "admin_demerit": ("记过", "Demerit"),
        "admin_major_demerit": ("记大过", "Major demerit"),
        "admin_demotion": ("降级", "Demotion in grade"),
        "admin_removal": ("撤职", "Removal from office"),
        "admonishment": ("诫勉", "Admonishment"),
        "post_adjustment": ("调整职务", "Post adjustment"),
        "ordered_resignation": ("责令辞职", "Ordered resignation"),
        "dismissal": ("免职", "Dismissal from post"),
        "demotion": ("降职", "Demotion in post"),
    },
    # The ranks (职级) of civil servants, lowest first (公务员职务与职级并行规定, 2019).
    "rank": {
        "clerk_2": ("二级科员", "Second-level clerk"),
        "clerk_1": ("一级科员", "First-level clerk"),
        "principal_clerk_4": ("四级主任科员", "Fourth-level principal clerk"),
        "principal_clerk_3": ("三级主任科员", "Third-level principal clerk"),
        "principal_clerk_2": ("二级主任科员", "Second-level principal clerk"),
        "principal_clerk_1": ("一级主任科员", "First-level principal clerk"),
        "researcher_4": ("四级调研员", "Fourth-level researcher"),
        "researcher_3": ("三级调研员", "Third-level researcher"),
        "researcher_2": ("二级调研员", "Second-level researcher"),
        "researcher_1": ("一级调研员", "First-level researcher"),
    },
    "award": {
        "commendation": ("嘉奖", "Commendation"),
        "merit_3": ("三等功", "Third-class merit"),
        "merit_2": ("二等功", "Second-class merit"),
        "merit_1": ("一等功", "First-class merit"),
    },
    # What came of an initiative filed in advance (风险备案); blank while it is still running.
    "filing_result": {
        "achieved": ("达到预期", "Achieved"),
        "partly": ("部分达到预期", "Partly achieved"),
        "failed": ("未达预期", "Not achieved"),
    },
    # Where an impact period's last day comes from.
    "end_source": {
        "decision": ("决定载明", "Set by the decision"),
        "rules": ("按规则计算", "From the rules file"),
        "none": ("无影响期", "No impact period"),
        "unknown": ("种类不明，请核实", "Unknown sanction: check it"),
    },
    # What an import would change in a row it updates (the preview's 变更 column).
    "changed_field": {
        "name": ("姓名", "name"),
        "sex": ("性别", "sex"),
        "birth_date": ("出生年月", "birth date"),
        "ethnicity": ("民族", "ethnicity"),
        "education": ("学历", "education"),
        "phone": ("联系电话", "phone"),
        "notes": ("备注", "notes"),
        "enrollment": ("编入培训项目", "enrollment"),
        "post": ("职务", "post"),
        "date": ("日期", "date"),
        "format": ("形式", "format"),
        "topic": ("主题", "topic"),
        "hours": ("学时", "hours"),
        "speaker": ("主讲人", "speaker"),
        "location": ("地点", "location"),
        "status": ("考勤", "attendance"),
        "score": ("成绩", "score"),
        "level": ("等次", "level"),
        "evidence": ("佐证", "evidence"),
    },
    "table": {
        "county": ("县（区）", "Counties and districts"),
        "township": ("乡镇（街道）", "Townships and sub-districts"),
        "person": ("干部", "People"),
        "post_tenure": ("任职记录", "Post tenures"),
        "cohort": ("培训项目", "Cohorts"),
        "enrollment": ("参训记录", "Enrollments"),
        "session": ("培训课次", "Training sessions"),
        "attendance": ("考勤记录", "Attendance records"),
        "instrument": ("测评工具", "Assessment instruments"),
        "assessment": ("测评成绩", "Assessment scores"),
        "frontline_review": ("一线考察", "Frontline reviews"),
        "comment": ("评价意见", "Evaluation comments"),
        "talk": ("谈心谈话", "Supervisory talks"),
        "outcome": ("激励与问责", "Outcomes"),
        "township_indicator": ("乡镇指标", "Township indicators"),
        "session_feedback": ("课程评价", "Session feedback"),
        "follow_up": ("谈话跟进事项", "Talk follow-ups"),
        "rank_history": ("职级记录", "Rank history"),
        "audit_log": ("操作日志", "Audit log entries"),
    },
    "figure": {
        "participants": ("参训人数", "Participants"),
        "active": ("在训", "Active"),
        "ended": ("已结束", "Enrolment ended"),
        "withdrawn": ("退出", "Withdrawn"),
        "promoted": ("提拔", "Promoted"),
        "sessions_held": ("已办课次", "Sessions held"),
        "hours_held": ("已办学时", "Class hours held"),
        "sessions_unmarked": ("未记考勤课次", "Sessions with marks missing"),
        "marks_missing": ("未记考勤人次", "Marks missing"),
        "attendance_rate": ("出勤率", "Attendance rate (hours credited / hours marked)"),
        "hours_per_participant": ("人均获得学时", "Hours credited per participant"),
    },
    "warning": {
        "below_completion": ("低于结业要求", "Below the completion threshold"),
        "yearly_shortfall": ("年度学时不足", "Short of the yearly requirement"),
        "leave_over": ("请假缺勤超过上限", "Time away over the limit"),
        "not_completed": ("未结业", "Not completed"),
        # why an enrolment was not completed, besides the two above
        "assessment_failed": ("结业考核未通过", "Assessment not passed"),
    },
    "outcome_kind": {
        "promotion": ("提拔使用", "Promotion"),
        "rank_promotion": ("职级晋升", "Rank promotion"),
        "merit": ("记功嘉奖", "Merit award"),
        "discipline": ("处分", "Discipline"),
        "accountability": ("精准问责", "Precise accountability"),
        "risk_filing": ("风险备案", "Risk filing"),
        "fault_tolerance": ("容错纠错", "Fault tolerance"),
    },
}


def codes(vocabulary: str) -> tuple[str, ...]:
    """The stored codes of a vocabulary, in display order.

    >>> codes("phase")
    ('pre', 'mid', 'post')
    """
    return tuple(VOCAB[vocabulary])


def label(vocabulary: str, code: str, lang: str = "both") -> str:
    """Display label of a code: lang is 'zh', 'en' or 'both' ("专家授课 Expert lecture").

    >>> label("format", "lecture", "zh")
    '专家授课'
    """
    try:
        zh, en = VOCAB[vocabulary][code]
    except KeyError:
        return str(code)
    return {"zh": zh, "en": en}.get(lang, f"{zh} {en}")


COLUMN_LABELS: dict[str, str] = {
    "person_id": "编号 No.",
    "name": "姓名 Name",
    "national_id": "公民身份号码 ID",
    "status": "状态 Status",
    "county": "县（区） County",
    "township": "乡镇（街道） Township",
    "post": "职务 Post",
    "code": "代码 Code",
    "name_en": "英文名 English name",
    "kind": "类型 Kind",
    "start_date": "开始 Start",
    "end_date": "结束 End",
    "enrolled": "人数 Enrolled",
    "session_id": "课次 Session",
    "date": "日期 Date",
    "format": "形式 Format",
    "topic": "主题 Topic",
    "hours": "学时 Hours",
    "speaker": "主讲 Speaker",
    "location": "地点 Place",
    "row": "行 Row",
    "action": "操作 Action",
    "changes": "变更 Changes",
    "replaces": "接替 Replaces",
    "was": "原记录 Was",
    "threshold": "结业要求 Threshold",
    "below": "低于要求 Below",
    "below_since": "自何日起低于要求 Below since",
    "year_required_to_date": "至今应完成 Required to date",
    "projected_year_end": "预计年末 Projected",
    "projected_shortfall": "预计缺口 Projected shortfall",
    "warning": "预警 Warning",
    "detail": "说明 Detail",
    "since": "自何日起 Since",
    "ratings": "评价人数 Ratings",
    "usefulness": "有用 Usefulness",
    "relevance": "切题 Relevance",
    "townships": "乡镇数 Townships",
    "secretaries": "书记 Secretaries",
    "heads": "乡镇长 Heads",
    "chiefs": "合计 Chiefs",
    "county_en": "英文县名 County",
    "marked": "已记人数 Marked",
}
_VALUE_VOCAB = {
    "format": "format",
    "arena": "arena",
    "lowest_arena": "arena",
    "rating": "rating",
    "partial": "rating",
    "margin_to": "frontline_threshold",
    "moved": "frontline_threshold",
    "dimension": "dimension",
    "phase": "phase",
    "rater_role": "rater_role",
    "source": "review_source",
    "commenter_role": "commenter_role",
    "tone": "tone",
    "kind": "cohort_kind",
    "post": "post",
    "sex": "sex",
    "age_band": "age_band",
    "end_reason": "end_reason",
    "last_phase": "phase",
    "table": "table",
    "figure": "figure",
    "warning": "warning",
    "talker_role": "talker_role",
    "sanction": "sanction",
    "rank": "rank",
    "next_rank": "rank",
    "award": "award",
    "result": "filing_result",
    "outcome_kind": "outcome_kind",
    "talk_status": "talk_status",
    "follow_up_status": "follow_up_status",
    "end_source": "end_source",
}
_ACTIONS = {"new": "新增 new", "update": "更新 update", "unchanged": "不变 unchanged"}
_SHARES = (
    "rate",
    "threshold",
    "coverage",
    "on_track_share",
    "attendance_rate",
    "completion_rate",
)  # numbers held as shares (0.83), shown as 83%
# Yes/no columns that may hold a gap (no figure for someone), and hour columns that may hold
# None: shown as 是/否 and to one decimal all the same.
_YES_NO = (
    "below", "leave_over", "year_short", "complies", "short", "in_post", "flagged", "unannounced", "past_due",
    "promotion_eligible", "rank_eligible", "reviewed", "still_barred", "running", "ended", "new_in_post",
)  # fmt: skip
# p-values as p<0.001 or to three decimals; test statistics, effect sizes and mean levels to two.
_P_VALUES = ("p", "wilcoxon_p", "p_holm")
_LEVELS = ("look", "hear", "ask", "level", "spread")  # the five-level scale: whole numbers
_TWO_DECIMALS = ("t", "effect_size", "sd_change", "mean", "lowest_arena_mean", "margin", "shift")
_TWO_DECIMALS += ("strong_mean", "strong_arena_min", "weak_mean")
_HOURS = ("leave_limit_hours", "year_target", "year_credited", "year_projected")
COLUMN_LABELS.update(
    {
        "table": "内容 What",
        "rows": "行数 Rows",
        "figure": "指标 Figure",
        "value": "数值 Value",
        "participants": "人数 Participants",
        "leave_over": "请假缺勤超限 Time away over limit",
        "leave_hours": "请假缺勤学时 Time away (h)",
        "leave_limit_hours": "请假缺勤上限 Limit (h)",
        "reason": "未结业原因 Why not completed",
        "offered": "应到学时 Hours offered",
        "unmarked_hours": "未记考勤学时 Not yet marked (h)",
        "marked_hours": "已记考勤学时 Marked (h)",
        "credited": "获得学时 Credited (h)",
        "gap_hours": "缺口学时 Gap (h)",
        "year_target": "本年应完成学时 Owed this year (h)",
        "year_credited": "本年已获学时 Credited this year (h)",
        "year_projected": "预计年末学时 Projected year end (h)",
        "year_short": "预计年度不达标 Short by year end",
        "in_post": "统计日在任 In post",
        "post_days": "本年任职天数 Days in post",
        "target_hours": "应完成学时 Owed (h)",
        "target_days": "应完成天数 Owed (days)",
        "credited_hours": "已获学时 Credited (h)",
        "credited_days": "已获天数 Credited (days)",
        "scheduled_hours": "已排待上学时 Scheduled (h)",
        "projected_hours": "预计年末学时 Projected (h)",
        "projected_days": "预计年末天数 Projected (days)",
        "complies": "已达标 Complies",
        "short": "预计不达标 Short",
        "hours_short": "缺口学时 Hours short",
        "missing": "未记人数 Marks missing",
        "expected": "应到人数 Expected",
        "rate": "出勤率 Rate",
        "county_code": "县代码 County code",
        # the national overview
        "chiefs_in_post": "在任乡镇正职 Chiefs in post",
        "on_track": "预计年度达标人数 On track",
        "on_track_share": "预计年度达标占比 Share on track",
        "attendance_rate": "本年出勤率 Attendance rate this year",
        "median_hours": "本年获得学时中位数 Median hours this year",
        "active": "在训 Active",
        "withdrawn": "退出 Withdrawn",
        "promoted": "提拔 Promoted",
        "end_reason": "结束原因 Why it ended",
        "pass_mark": "合格分 Pass mark",
        "pass_score": "结业考核成绩 Assessment score",
        "threshold_confirmed": "结业要求已确认 Threshold confirmed",
        "pass_confirmed": "结业考核已确认 Assessment confirmed",
        "closed": "已结束（不评结业） Ended, no completion",
        "completed": "结业 Completed",
        "not_completed": "未结业 Not completed",
        "pending": "待定（考勤或考核成绩未记全） Pending: marks or score missing",
        "completion_rate": "结业率 Completion rate",
        # care and incentives
        "talker_role": "谈话人身份 Talker role",
        "talker": "谈话人 Talker",
        "talker_name": "谈话人姓名 Talker name",
        "talk_period": "谈话周期 Period",
        "period_start": "周期起 From",
        "period_end": "周期止 To",
        "talks": "谈话次数 Talks",
        "first_talk": "首次谈话 First talk",
        "talk_status": "状态 Status",
        "days_overdue": "逾期天数 Days overdue",
        "days_left": "剩余天数 Days left",
        "made_up": "补谈日期 Made up on",
        "days_late": "补谈延迟天数 Days late",
        "days_in_post": "本期在任天数 Days in post in the period",
        "new_in_post": "新任职 New in post",
        "late": "逾期补谈 Held late",
        "decisions": "决定数 Decisions",
        "this_year": "本年 This year",
        "last_year": "上年 Last year",
        "concern_tags": "反映问题类别 Concern tags",
        "concerns": "反映问题 Concerns",
        "unannounced": "四不两直 Unannounced",
        "follow_ups": "跟进事项 Follow-ups",
        "follow_up": "跟进事项 Follow-up",
        "owner": "责任人 Owner",
        "due_date": "办理时限 Due",
        "follow_up_status": "办理状态 Status",
        "done_date": "办结日期 Closed on",
        "talk_date": "谈话日期 Talk date",
        "past_due": "已超期 Past due",
        "days_past_due": "超期天数 Days past due",
        "owed": "应谈人数 Owed",
        "held": "已谈 Held",
        "due": "本期待谈 Due",
        "overdue": "逾期未谈 Overdue",
        "coverage": "覆盖率 Coverage",
        "chiefs_talked": "谈话对象人数 Chiefs talked with",
        "outcome_kind": "类别 Kind",
        "sanction": "处分或问责种类 Sanction",
        "rank": "职级 Rank",
        "award": "奖励 Award",
        "from_post": "原职务 From post",
        "to_post": "新职务 To post",
        "result": "备案事项结果 Result",
        "result_date": "结果日期 Result date",
        "impact_end": "决定载明影响期至 Impact end set",
        "impact_until": "影响期至 Impact until",
        "end_source": "影响期依据 Impact from",
        "reviewed_on": "期满评价日期 Reviewed on",
        "reviewed": "已评价 Reviewed",
        "still_barred": "另有影响期 Still barred",
        "in_post_since": "任乡镇正职起 In post since",
        "years_in_post": "任职年限 Years in post",
        "impact": "影响期 Impact period",
        "promotion_eligible": "可提拔使用 Eligible for promotion",
        "promotion_reason": "提拔使用说明 Promotion: why",
        "rank_since": "任现职级起 In rank since",
        "years_in_rank": "任现职级年限 Years in rank",
        "next_rank": "拟晋升职级 Next rank",
        "years_needed": "须任职年限 Years needed",
        "rank_ready_on": "年限届满日 Years complete on",
        "rank_eligible": "可晋升职级 Eligible for rank promotion",
        "rank_reason": "职级晋升说明 Rank: why",
        "running": "影响期内 Running",
        "ended": "已期满 Ended",
        # evaluation
        "cohort": "培训项目 Cohort",
        "sex": "性别 Sex",
        "age_band": "年龄段 Age band",
        "dimension": "维度 Dimension",
        "phase": "阶段 Phase",
        "instrument": "工具代码 Instrument code",
        "instrument_name": "测评工具 Instrument",
        "rater_role": "评价人 Rater",
        "score": "成绩 Score",
        "scale_min": "最低分 Scale min",
        "scale_max": "最高分 Scale max",
        "dimensions": "测评维度 Dimensions",
        "before": "前测 Before",
        "after": "后测 After",
        "change": "变化 Change",
        "n": "配对人数 Pairs",
        "dropped": "缺值未配对 Pairs dropped",
        "mean_pre": "前测均值 Mean before",
        "mean_post": "后测均值 Mean after",
        "mean_change": "平均变化 Mean change",
        "sd_change": "变化标准差 SD of change",
        "ci_low": "95%置信区间下限 CI low",
        "ci_high": "95%置信区间上限 CI high",
        "t": "t值 t",
        "df": "自由度 df",
        "p": "p值 p",
        "wilcoxon_p": "符号秩检验p值 Wilcoxon p",
        "effect_size": "效应量d_z Cohen's d_z",
        "p_holm": "校正后p值（Holm法） Holm-adjusted p",
        "pre_only": "仅有前测 Pre only",
        "post_only": "仅有后测 Post only",
        "left_early": "提前离开 Left early",
        "left_early_promoted": "其中提拔 Of whom promoted",
        "left_early_mean_pre": "提前离开者前测均值 Left early: mean before",
        "left_early_mean_last": "提前离开者离开前末次成绩均值 Left early: mean of last score",
        "last": "离开前末次成绩 Last score before leaving",
        "last_phase": "末次成绩阶段 Its phase",
        "last_date": "末次成绩日期 Its date",
        "mean_last": "离开前末次成绩均值 Mean of last scores",
        "period": "考察期 Period",
        "arena": "领域 Arena",
        "source": "方式 Source",
        "level": "等次 Level",
        "evidence": "佐证 Evidence",
        "look": "看 Look",
        "hear": "听 Hear",
        "ask": "问 Ask",
        "look_evidence": "看的佐证 Look: evidence",
        "hear_evidence": "听的佐证 Hear: evidence",
        "ask_evidence": "问的佐证 Ask: evidence",
        "sources": "评价方式数 Sources",
        "mean": "等次均值 Mean level",
        "spread": "相差等次 Spread",
        "flagged": "看听问不一致 Sources disagree",
        "arenas_complete": "已评领域 Arenas rated",
        "n_ratings": "评价项数 Ratings given",
        "lowest_arena": "最低领域 Lowest arena",
        "lowest_arena_mean": "最低领域均值 Its mean",
        "flags": "不一致领域数 Arenas flagged",
        "rating": "评定 Rating",
        "margin": "距评定线 Margin",
        "margin_to": "最近的评定线 Nearest threshold",
        "partial": "按已评完领域暂定（部分领域） Provisional, from the arenas done",
        "moved": "移动的评定线 Thresholds moved",
        "shift": "移动幅度 Moved by",
        "strong_mean": "担当有力均分线 Strong: mean at least",
        "strong_arena_min": "担当有力最低领域线 Strong: every arena at least",
        "weak_mean": "表现较差均分线 Weak: mean below",
        "strong": "担当有力 Strong",
        "average": "表现一般 Average",
        "weak": "表现较差 Weak",
        "unrated": "待定 Not yet rated",
        "changed": "评定改变人数 Class changed",
        "why": "依据 Why",
        "commenter_role": "评价人身份 Commenter",
        "text": "评价意见 Comment",
        "themes": "主题 Themes",
        "matched": "关键词 Keywords",
        "tone": "倾向 Tone",
        "label": "主题 Theme",
        "count": "人数 Number",
        "comments": "意见条数 Comments",
        "positive": "肯定 Positive",
        "concern": "问题与建议 Concern",
        "neutral": "中性 Neutral",
        "people": "涉及人数 People",
        "investment": "招商引资 Investment",
        "projects": "项目攻坚 Projects",
        "rural": "乡村振兴 Rural",
        "governance": "社会治理 Governance",
        "public_opinion": "舆情化解 Public opinion",
    }
)


def _p_value(value: object) -> object:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return "–" if value != value else ("<0.001" if value < 0.001 else f"{value:.3f}")
    return value


def _two_decimals(value: object) -> object:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return "–" if value != value else f"{value:.2f}"
    return value


def _share(value: object) -> object:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return "–" if value != value else f"{value:.0%}"
    return value


def _yes_no(value: object) -> object:
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    return ("是" if value else "否") if isinstance(value, bool) or type(value).__name__ == "bool_" else value


def _one_decimal(value: object) -> object:
    if isinstance(value, float) or type(value).__name__ in ("float32", "float16"):
        return "–" if value != value else f"{value:.1f}"
    return value


def _reason_words(value: object) -> object:
    """Reason codes ("below_completion,leave_over") as the warning labels they are."""
    if not isinstance(value, str) or not value:
        return "" if value is None or value != value else value
    return "；".join(label("warning", code) for code in value.split(","))


def _figure_values(out) -> None:
    """A figure table's values as a trainer reads them: a rate as a percentage, counts as they are."""
    out["value"] = [
        _share(v) if f.endswith("_rate") else (f"{v:g}" if isinstance(v, float) and v == v else v)
        for f, v in zip(out["figure"], out["value"], strict=True)
    ]


def _warning_details(out) -> None:
    """A warning list's `detail`: the warning's code and its figures, in words."""
    from .problems import Problem, confirmation_marks, describe, outcome_reasons

    details = []
    for r in out.to_dict("records"):
        why_zh, why_en = outcome_reasons(r)
        params = {**r, **confirmation_marks(r), "why_zh": why_zh, "why_en": why_en}
        details.append(describe(Problem(r["warning"]), params))
    out["detail"] = details


def display_values(frame, columns: list[str] | None = None, numbers: bool = False):
    """The values of a table as a trainer reads them, under its code column names: labels
    instead of stored codes, yes and no as 是/否, a warning's detail in a sentence, ID numbers
    masked; shares as percentages and hours to one decimal, unless `numbers` keeps them numbers
    (for a spreadsheet, which formats them itself). `columns` chooses and orders the columns."""
    from .ids import drop_controls, mask_frame

    out = mask_frame(drop_controls(frame.copy()))
    if "warning" in out.columns and "detail" not in out.columns:
        _warning_details(out)
    unconfirmed = _unconfirmed(out)
    if columns is not None:
        out = out[list(columns)]
    if "figure" in out.columns and "value" in out.columns and not numbers:
        _figure_values(out)
    for column, vocabulary in _VALUE_VOCAB.items():
        if column in out.columns:
            out[column] = out[column].map(
                lambda v, voc=vocabulary: label(voc, v) if isinstance(v, str) else v
            )
    if "action" in out.columns:
        out["action"] = out["action"].map(lambda v: _ACTIONS.get(v, v))
    if "status" in out.columns:
        out["status"] = out["status"].map(_status_words)
    if "reason" in out.columns:
        out["reason"] = out["reason"].map(_reason_words)
    if "changes" in out.columns:
        out["changes"] = out["changes"].map(_changed_words)
    if "concern_tags" in out.columns:  # a talk's concerns: a comma list of codes
        out["concern_tags"] = out["concern_tags"].map(
            lambda v: "、".join(label("concern", c, "zh") for c in v.split(",")) if isinstance(v, str) else ""
        )
    if "dimensions" in out.columns:  # an instrument's dimensions: a comma list, empty for any
        out["dimensions"] = out["dimensions"].map(
            lambda v: "、".join(label("dimension", d, "zh") for d in v.split(",")) if v else "全部 any"
        )
    for column in out.columns:
        values = out[column]
        if values.dtype == bool or column in _YES_NO:
            out[column] = values.map(_yes_no)
        elif numbers:
            continue
        elif column in _SHARES:
            out[column] = values.map(_share)
        elif column in _LEVELS:
            out[column] = values.map(lambda v: "–" if v is None or v != v else f"{v:.0f}")
        elif column in _P_VALUES:
            out[column] = values.map(_p_value)
        elif column in _TWO_DECIMALS:
            out[column] = values.map(_two_decimals)
        elif values.dtype.kind == "f" or column in _HOURS:
            out[column] = values.map(_one_decimal)
        elif values.dtype == object or values.dtype.kind in "OSU" or str(values.dtype) in ("str", "string"):
            # a date or a word that is not there: an empty cell, not "None" or "NaN"
            out[column] = values.astype(object).map(lambda v: "" if v is None or v != v else v)
    if not numbers:
        _mark_unconfirmed(out, unconfirmed)
    return out


def _mark_unconfirmed(out, unconfirmed: dict) -> None:
    """Each value of the department's own choice shown "（待部门确认）" beside it (in place)."""
    from .problems import UNCONFIRMED

    for column, flag in unconfirmed.items():
        if column in out.columns:
            shown = out[column].astype(str)
            out[column] = shown.where(~flag | shown.isin(["", "–"]), shown + UNCONFIRMED[0])


# Columns holding a setting of the department's own choice, and the flag that says whether the
# department has confirmed it: shown "（待部门确认）" beside the value until it has.
_CONFIRMED_BY = {"threshold": "threshold_confirmed", "pass_mark": "pass_confirmed"}


def _unconfirmed(out) -> dict:
    """Per column of a department's setting: which rows show it not yet confirmed."""
    return {
        column: ~out[flag].map(lambda v: v is None or v != v or bool(v)).astype(bool)
        for column, flag in _CONFIRMED_BY.items()
        if column in out.columns and flag in out.columns
    }


def _changed_words(value: object) -> object:
    """The fields an update changes ("phone, notes") in Chinese, then English."""
    if not isinstance(value, str) or not value:
        return value
    keys = [k.strip() for k in value.split(",") if k.strip()]
    zh = "、".join(label("changed_field", k, "zh") for k in keys)
    return f"{zh} {', '.join(label('changed_field', k, 'en') for k in keys)}"


def _status_words(value: object) -> object:
    if not isinstance(value, str):
        return value
    return label("enrollment_status" if value in VOCAB["enrollment_status"] else "attendance_status", value)


def column_headers(columns, name_label: str = "姓名 Name") -> list[tuple[str, str]]:
    """(中文, English) headers of code columns, as `for_display` heads them in one line."""
    out = []
    for column in columns:
        shown = name_label if column == "name" else COLUMN_LABELS.get(column, column)
        zh, _, en = shown.partition(" ")
        out.append((zh, en) if en and not zh.isascii() else ("", shown))
    return out


def for_display(frame, name_label: str = "姓名 Name", columns: list[str] | None = None):
    """A table for people: two-language column names, labels instead of stored codes, shares as
    percentages, hours to one decimal, yes and no as 是/否, and a warning's detail in a sentence.

    The library's functions return stored codes, numbers and English column names (for
    analysts); notebooks pass what a trainer reads through this. `name_label` heads a `name`
    column (a cohort's name is 名称, not 姓名); `columns` (codes, `detail` included) chooses
    and orders the columns shown.
    """
    out = display_values(frame, columns)
    return out.rename(
        columns={c: name_label if c == "name" else COLUMN_LABELS.get(c, c) for c in out.columns}
    )
