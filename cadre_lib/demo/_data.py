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
# What each source records for an arena: looking at the projects, hearing people, asking about
# problems. {good} / {fair} / {poor} phrases follow the level the source gave.
LOOK = {
    "investment": "实地查看签约落地项目{n}个，{p}%已开工",
    "projects": "实地查看重点项目{n}个，按期推进率{p}%",
    "rural": "实地查看村集体经济项目{n}个，产业园区{m}处",
    "governance": "查看网格化管理台账和矛盾调处中心，信访积案化解{n}件",
    "public_opinion": "查阅舆情处置台账，妥善处置舆情事件{n}起",
}
HEAR_WHO = "走访党员干部{a}人、企业{b}家、群众{c}人"
HEAR = {
    "good": ("普遍反映其敢于担当、办事公道", "企业反映服务主动、问题解决及时", "群众评价较高"),
    "fair": ("反映工作稳步推进", "多数认为能够完成上级部署任务", "评价总体一般"),
    "poor": ("部分群众反映诉求回应不够及时", "有企业反映审批协调偏慢", "部分干部反映统筹不够"),
}
ASK = {
    "good": ("询问推进难点，对用地、资金等问题思路清晰、措施具体", "询问项目卡点，能逐项说明解决办法"),
    "fair": ("询问推进难点，能说明主要问题，解决办法尚在研究", "询问项目卡点，回答基本清楚"),
    "poor": ("询问推进难点，对问题掌握不够全面", "询问项目卡点，解决办法不多、进度说不清"),
}
# Comments gathered about a chief, by the tone a reader would give them; the themes dictionary
# reads them on its own (nothing here is stored but the text).
COMMENTS = {
    "positive": [
        "敢于担当，项目推进有力",
        "深入一线，群众认可度高",
        "思路清晰，招商成效明显",
        "处置突发事件沉着果断",
        "带头攻坚，重点项目提前开工",
        "主动对接企业，营商环境改善明显",
        "经常走访群众，民生实事办得扎实",
        "调解矛盾纠纷有办法，信访积案明显减少",
        "发展村集体经济思路清楚，产业有起色",
        "作风务实，说到做到",
        "善于创新工作机制，基层治理有亮点",
        "舆情处置及时到位，群众满意",
        "招商引资敢闯敢试，签约项目质量高",
        "乡村振兴抓得实，村容村貌变化大",
        "对干部要求严格，自己带头遵守纪律",
        "服务企业热情，企业称赞",
        "抓项目有韧劲，啃硬骨头不退缩",
        "统筹能力强，各项工作推进有序",
    ],
    "neutral": [
        "工作稳步推进",
        "能够完成上级部署任务",
        "作风较为扎实",
        "按要求开展项目谋划",
        "按时参加各类培训",
        "日常工作有条理",
        "与班子成员配合正常",
    ],
    "negative": [
        "创新办法不多",
        "项目推进偏慢",
        "对群众诉求回应不够及时",
        "招商引资成效不够明显",
        "村集体经济增收办法不多",
        "处理信访问题有时简单化",
        "对企业困难了解不足",
        "重点项目前期工作滞后",
        "舆情应对经验有待加强",
        "下村走访次数偏少，希望多到一线",
        "统筹协调能力需加强",
        "建议加强对年轻干部的传帮带",
        "产业项目谋划深度不足",
        "遇到难题有畏难情绪",
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
FOLLOW_UPS = [
    "协调县自然资源部门研究",
    "列入年度干部调配计划",
    "安排带薪休假",
    "由县招商局专题对接",
    "纳入下一期培训班",
    "组织部跟踪回访",
]
