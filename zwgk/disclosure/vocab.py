"""Vocabularies of 主动公开, labels verbatim from the spec."""

from django.db import models


class ColumnType(models.TextChoices):
    """栏目类型; drives freshness monitoring (spec §5.2 update thresholds)."""

    NEWS = "news", "动态要闻"
    NOTICE = "notice", "通知公告"
    POLICY = "policy", "政策文件"
    PERSONNEL = "personnel", "人事信息"
    PLANNING = "planning", "规划计划"
    OTHER = "other", "其他"


class StatutoryCategory(models.TextChoices):
    """条例 Art. 20: the 15 items every organ must proactively disclose (spec §1.3, verbatim)."""

    C01 = "01", "（一）行政法规、规章和规范性文件"
    C02 = "02", "（二）机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名"
    C03 = "03", "（三）国民经济和社会发展规划、专项规划、区域规划及相关政策"
    C04 = "04", "（四）国民经济和社会发展统计信息"
    C05 = "05", "（五）办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果"
    C06 = (
        "06",
        "（六）实施行政处罚、行政强制的依据、条件、程序以及本行政机关认为具有一定社会影响的行政处罚决定",
    )
    C07 = "07", "（七）财政预算、决算信息"
    C08 = "08", "（八）行政事业性收费项目及其依据、标准"
    C09 = "09", "（九）政府集中采购项目的目录、标准及实施情况"
    C10 = "10", "（十）重大建设项目的批准和实施情况"
    C11 = "11", "（十一）扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况"
    C12 = "12", "（十二）突发公共事件的应急预案、预警信息及应对情况"
    C13 = "13", "（十三）环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况"
    C14 = "14", "（十四）公务员招考的职位、名额、报考条件等事项以及录用结果"
    C15 = "15", "（十五）法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息"


class DisclosureMode(models.TextChoices):
    ACTIVE = "active", "主动公开"
    ON_REQUEST = "on_request", "依申请公开"


class Validity(models.TextChoices):
    """有效性 of a policy document (spec §7.3; lifecycle 有效 → 已修订 / 已废止 / 失效)."""

    VALID = "valid", "有效"
    REVISED = "revised", "已修订"
    REPEALED = "repealed", "已废止"
    EXPIRED = "expired", "失效"


class DocumentKind(models.TextChoices):
    """文种 in the policy library (annual report Table 2 counts 规章 and 行政规范性文件)."""

    RULE = "rule", "规章"
    NORMATIVE = "normative", "行政规范性文件"
    OTHER = "other", "其他文件"


class InterpretationForm(models.TextChoices):
    """解读形式 (spec §6.2)."""

    TEXT = "text", "文字解读"
    GRAPHIC = "graphic", "图解"
    VIDEO = "video", "视频"
    QA = "qa", "问答"
