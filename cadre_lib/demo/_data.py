"""The synthetic prefecture's names, places, programmes and phrases (no real place or person)."""

from __future__ import annotations

import datetime as dt

D = dt.date
DEMO_AS_OF = D(2026, 11, 30)

# Fictional places: no real county or township carries these names.
COUNTIES = [
    ("东川区", "Dongchuan District", True),
    ("西岭县", "Xiling County", False),
    ("南湖县", "Nanhu County", False),
    ("北塘县", "Beitang County", False),
    ("青石县", "Qingshi County", False),
    ("云港区", "Yungang District", True),
]
TOWNSHIPS_PER_COUNTY = (12, 12, 12, 12, 11, 11)  # 70 townships, 140 chiefs
_HEAD = dict(
    zip(
        "安宝朝丰凤福高广河红花华金锦景兰乐临龙马梅明宁平庆仁沙双顺太桃天田兴阳永玉竹",
        "An Bao Chao Feng Feng Fu Gao Guang He Hong Hua Hua Jin Jin Jing Lan Le Lin Long Ma "
        "Mei Ming Ning Ping Qing Ren Sha Shuang Shun Tai Tao Tian Tian Xing Yang Yong Yu Zhu".split(),
    )
)
_TAIL = dict(
    zip(
        "岭口湾桥坪集港溪庄洲塘埠滩林台坝园",
        "ling kou wan qiao ping ji gang xi zhuang zhou tang bu tan lin tai ba yuan".split(),
    )
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾"
GIVEN = "伟强磊军洋勇杰涛明超华平刚辉鹏飞斌宇浩凯健俊帆帅旭宁龙林峰建国志新亮成波海"
GIVEN_F = "静丽敏燕艳娟霞婷芳娜慧"

PROGRAMME = ("SHXF", "“山海新锋”三年培养行动", "Shanhai Xinfeng three-year young-cadre programme")
PROMOTION_POSTS = ("提拔为副县长", "提拔为县委常委", "调任市直部门副职")
# The post each of those leads to, as the ledger records it (from post -> to post).
PROMOTED_TO = {"提拔为副县长": "副县长", "提拔为县委常委": "县委常委", "调任市直部门副职": "市直部门副职"}
CLASSES = [
    ("TC-2025A", "乡村振兴专题培训班", "Rural revitalization class", D(2025, 4, 14), "rural"),
    ("TC-2025B", "生态环境保护专题培训班", "Ecological protection class", D(2025, 10, 13), "ecology"),
    ("TC-2026A", "招商引资专题培训班", "Investment attraction class", D(2026, 4, 13), "investment"),
    ("TC-2026B", "社会治理专题培训班", "Social governance class", D(2026, 9, 14), "governance"),
]
LECTURES = [
    "海洋经济与港城发展",
    "新质生产力的培育路径",
    "低空经济新赛道",
    "数字经济与县域治理",
    "绿色低碳转型",
    "现代海洋牧场",
    "人工智能赋能基层治理",
]
FORMAT_HOURS = {"lecture": 3.0, "site_visit": 6.0, "experience_sharing": 3.0, "seminar": 4.0}
TOPICS = {
    "rural": ["乡村产业振兴", "和美乡村建设", "农村集体经济", "乡村人才振兴"],
    "ecology": ["生态保护红线", "河湖长制实务", "环保督察整改", "生态产品价值实现"],
    "investment": ["产业链招商", "项目谋划与落地", "营商环境优化", "招商谈判实务"],
    "governance": ["基层矛盾化解", "网格化治理", "舆情应对处置", "平安乡镇建设"],
    "programme": [
        "党性教育专题",
        "理论学习专题",
        "重大项目攻坚",
        "乡村振兴实践",
        "招商引资实战",
        "社会治理创新",
        "舆情化解能力",
        "领导力提升",
    ],
}
# What each source of the frontline review writes down, by arena and by the tone of the level it
# gave ("good" for 4-5, "fair" for 3, "poor" for 1-2). Look: what the review team saw of the
# projects and the registers: {n} seen, {k} of them on schedule ({p}%), {r} behind, {m} parks.
LOOK = {
    "investment": {
        "good": "实地查看签约落地项目{n}个，已开工{k}个，均有专人跟踪服务",
        "fair": "实地查看签约落地项目{n}个，已开工{k}个，其余仍在办理前期手续",
        "poor": "实地查看签约落地项目{n}个，仅开工{k}个，部分项目签约后无实质进展",
    },
    "projects": {
        "good": "实地查看重点项目{n}个，按期推进率{p}%，现场施工有序",
        "fair": "实地查看重点项目{n}个，按期推进率{p}%，个别项目进度偏后",
        "poor": "实地查看重点项目{n}个，按期推进率{p}%，{r}个项目停工待料",
    },
    "rural": {
        "good": "实地查看村集体经济项目{n}个、产业园区{m}处，运营良好，带动农户增收",
        "fair": "实地查看村集体经济项目{n}个、产业园区{m}处，运营基本正常",
        "poor": "实地查看村集体经济项目{n}个，其中{r}个建成后闲置",
    },
    "governance": {
        "good": "查看网格化管理台账和矛盾调处中心，今年化解信访积案{n}件，台账规范",
        "fair": "查看网格化管理台账，今年化解信访积案{n}件，部分台账记录不完整",
        "poor": "查看矛盾调处台账，信访积案{r}件未按期化解，网格员配备不足",
    },
    "public_opinion": {
        "good": "查阅舆情处置台账，今年处置舆情事件{n}起，均在当日回应",
        "fair": "查阅舆情处置台账，今年处置舆情事件{n}起，个别回应偏慢",
        "poor": "查阅舆情处置台账，{r}起舆情事件回应滞后，引发二次传播",
    },
}
# Hear: whose views were heard ({a}…{d} people), then what they said about the arena.
HEAR_WHO = {
    "investment": "走访企业{b}家、党员干部{a}人",
    "projects": "走访项目周边群众{d}人、党员{a}人、施工企业{c}家",
    "rural": "走访村干部{a}人、村民{d}人、合作社{c}家",
    "governance": "走访党员{a}人、网格员{b}人、群众{d}人",
    "public_opinion": "走访党员干部{a}人、群众{d}人",
}
HEAR = {
    "investment": {
        "good": ("企业普遍反映服务主动、要素保障及时", "企业反映承诺事项都能兑现，营商环境改善明显"),
        "fair": ("企业反映审批服务总体顺畅，个别事项协调偏慢", "企业认为政策宣传到位，但落实周期较长"),
        "poor": ("多家企业反映承诺的配套条件迟迟未落实", "企业反映遇到困难找不到人、协调不力"),
    },
    "projects": {
        "good": ("群众普遍支持项目建设，征迁过程平稳", "群众反映项目建设公开透明，施工管理规范"),
        "fair": ("多数群众支持项目建设，部分反映施工噪音扰民", "群众对项目总体认可，对工期延长有意见"),
        "poor": ("群众反映施工扰民、征迁补偿兑现慢，意见较大", "群众反映项目建设与群众沟通少，矛盾较多"),
    },
    "rural": {
        "good": (
            "村民反映产业项目带动增收明显、村容村貌变化大",
            "村干部反映镇里指导具体，村集体收入逐年增加",
        ),
        "fair": ("村民认为产业有起色，但收益分配不够清楚", "村干部反映项目能够落地，后续运营办法不多"),
        "poor": ("村民反映集体经济项目效益不佳、参与度低", "村民反映人居环境整治有反复"),
    },
    "governance": {
        "good": ("群众普遍反映矛盾纠纷调处及时、办事公道", "网格员反映镇里重视基层力量，保障到位"),
        "fair": ("群众评价总体平稳，个别诉求办理周期较长", "网格员反映任务较重，考核办法有待完善"),
        "poor": ("群众反映诉求回应不及时，重复信访较多", "群众反映矛盾纠纷推来推去，久拖不决"),
    },
    "public_opinion": {
        "good": ("群众反映政务信息公开及时，对回应情况满意", "党员干部反映舆情研判机制健全、处置果断"),
        "fair": ("群众认为回应基本及时，解释说明不够充分", "党员干部反映舆情处置能按程序进行"),
        "poor": ("群众反映网上问题回应慢、解释不清", "党员干部反映负面舆情发生后应对被动"),
    },
}
# Ask: the problems the review team asked about (two of each arena's), then how they were answered.
ASK_TOPIC = {
    "investment": ("询问招商落地难点", ("用地指标", "配套资金", "产业链配套", "人才引进")),
    "projects": ("询问项目推进难点", ("用地指标", "征迁安置", "资金缺口", "环评审批")),
    "rural": ("询问乡村振兴难点", ("集体经济增收", "土地流转", "产业项目运营", "人才短缺")),
    "governance": ("询问基层治理难点", ("信访积案化解", "网格员力量", "矛盾纠纷排查", "安全生产监管")),
    "public_opinion": ("询问舆情处置难点", ("舆情监测研判", "回应口径", "网络评论引导", "部门协同")),
}
ASK = {
    "good": ("能逐项说明原因和解决办法，时间节点清楚", "对症下药，已协调县直部门解决大部分问题"),
    "fair": ("能说明主要问题，解决办法尚在研究", "问题掌握基本清楚，推进措施不够具体"),
    "poor": ("对问题掌握不够全面，解决路径说不清", "回答笼统，依赖上级解决，自身办法不多"),
}
# Comments gathered about a chief during the review, as they were written down: (text, the
# arena it is about or None, who would say it: commenter roles, empty for anyone). The tone is
# the key a reader would file it under; the themes dictionary reads it on its own. No names
# and no numbers: a comment is about a chief, never a record of anyone.
PARTY, CADRE, COMPANY, RESIDENT = "party_member", "cadre", "company", "resident"
COMMENTS = {
    "positive": [
        ("敢于担当，重点项目推进有力", "projects", ()),
        ("深入一线，群众认可度高", None, (RESIDENT, PARTY)),
        ("招商思路清晰，签约项目质量高", "investment", (COMPANY, CADRE)),
        ("处置突发事件沉着果断", "governance", (CADRE, PARTY)),
        ("带头攻坚，重点项目提前开工", "projects", ()),
        ("主动对接企业，营商环境改善明显", "investment", (COMPANY,)),
        ("经常走访群众，民生实事办得扎实", None, (RESIDENT,)),
        ("调解矛盾纠纷有办法，信访积案明显减少", "governance", (RESIDENT, CADRE)),
        ("发展村集体经济思路清楚，产业有起色", "rural", (PARTY, CADRE)),
        ("作风务实，说到做到", None, ()),
        ("善于创新工作机制，基层治理有亮点", "governance", (CADRE, PARTY)),
        ("网上舆情处置及时到位，群众满意", "public_opinion", (RESIDENT, PARTY)),
        ("乡村振兴抓得实，村容村貌变化大", "rural", (RESIDENT,)),
        ("对干部要求严格，自己带头遵守纪律", None, (CADRE, PARTY)),
        ("服务企业热情周到，企业称赞", "investment", (COMPANY,)),
        ("抓项目有韧劲，敢啃硬骨头", "projects", (CADRE,)),
        ("统筹能力强，各项工作推进有序", None, (CADRE, PARTY)),
        ("征迁工作公开透明，群众满意", "projects", (RESIDENT,)),
        ("网上群众留言回应主动，解释清楚", "public_opinion", (RESIDENT,)),
        ("抓安全生产毫不放松，隐患整改到位", "governance", (CADRE, COMPANY)),
        ("帮助合作社打开销路，农业产业效益明显", "rural", (RESIDENT, COMPANY)),
    ],
    "neutral": [
        ("工作稳步推进", None, ()),
        ("能够完成上级部署的各项任务", None, (CADRE, PARTY)),
        ("按要求开展项目谋划", "projects", (CADRE,)),
        ("按时参加各类培训和学习", None, (CADRE, PARTY)),
        ("日常工作有条理", None, (CADRE,)),
        ("与班子成员配合正常", None, (CADRE, PARTY)),
        ("村集体经济项目正在建设中", "rural", (RESIDENT, PARTY)),
        ("招商项目已签约，正在办理前期手续", "investment", (COMPANY, CADRE)),
        ("矛盾纠纷排查按月开展", "governance", (CADRE,)),
    ],
    "concern": [
        ("创新办法不多", None, (CADRE, PARTY)),
        ("项目推进偏慢", "projects", ()),
        ("对群众诉求回应不够及时", None, (RESIDENT,)),
        ("招商引资成效不够明显", "investment", (CADRE, PARTY)),
        ("村集体经济增收办法不多", "rural", (PARTY, RESIDENT)),
        ("处理信访问题有时简单化", "governance", (RESIDENT,)),
        ("对企业困难了解不足", "investment", (COMPANY,)),
        ("重点项目前期工作滞后", "projects", (CADRE,)),
        ("舆情应对经验有待加强", "public_opinion", (CADRE, PARTY)),
        ("下村走访次数偏少，希望多到一线", None, (RESIDENT, PARTY)),
        ("统筹协调能力需加强", None, (CADRE,)),
        ("建议加强对年轻干部的传帮带", None, (CADRE, PARTY)),
        ("产业项目谋划深度不足", "rural", (CADRE, COMPANY)),
        ("遇到难题有畏难情绪", None, (CADRE, PARTY)),
        ("项目施工扰民问题解决不够及时", "projects", (RESIDENT,)),
        ("对征迁群众的政策解释不到位", "projects", (RESIDENT,)),
        ("审批服务有时拖延，企业来回跑", "investment", (COMPANY,)),
        ("网上负面信息回应偏慢，建议加强舆情研判", "public_opinion", (RESIDENT, PARTY)),
        ("人居环境整治效果不够稳定，村民有意见", "rural", (RESIDENT,)),
        ("安全生产隐患排查不够深入", "governance", (COMPANY, CADRE)),
    ],
}
CONCERNS = [
    "项目用地指标紧张",
    "干部队伍年龄结构偏大",
    "工作压力大、家庭照顾不足",
    "招商政策落实难",
    "基层矛盾化解任务重",
    "希望增加外出学习机会",
]
# The concern codes each of those is tagged with, in the same order.
CONCERN_TAGS = ["land", "staffing", "workload,family", "policy", "disputes", "training"]
FOLLOW_UPS = [
    "协调县自然资源部门研究",
    "列入年度干部调配计划",
    "安排带薪休假",
    "由县招商局专题对接",
    "纳入下一期培训班",
    "组织部跟踪回访",
]
# Who carries out each of those follow-ups, in the same order.
FOLLOW_UP_OWNERS = [
    "县自然资源局",
    "县委组织部干部科",
    "乡镇党委",
    "县招商局",
    "县委组织部干部教育科",
    "县委组织部",
]
