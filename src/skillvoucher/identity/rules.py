"""The worker registry's vocabularies: population groups (a bit set) and employment status. Pure."""

from __future__ import annotations

import enum


class PopulationGroup(enum.IntFlag):
    """Groups a person belongs to; stored as one integer so eligibility compiles to `groups & mask <> 0`."""

    UNEMPLOYED = 1  # 登记失业人员
    RURAL_MIGRANT = 2  # 农民工
    GRADUATING_STUDENT = 4  # 毕业年度高校毕业生
    ENTERPRISE_EMPLOYEE = 8  # 企业职工
    LIFTED_FROM_POVERTY = 16  # 脱贫人口
    VETERAN = 32  # 退役军人
    DISABLED = 64  # 残疾人
    FLEXIBLE_WORKER = 128  # 灵活就业人员


GROUP_LABELS_ZH: dict[PopulationGroup, str] = {
    PopulationGroup.UNEMPLOYED: "失业人员",
    PopulationGroup.RURAL_MIGRANT: "农民工",
    PopulationGroup.GRADUATING_STUDENT: "毕业年度高校毕业生",
    PopulationGroup.ENTERPRISE_EMPLOYEE: "企业职工",
    PopulationGroup.LIFTED_FROM_POVERTY: "脱贫人口",
    PopulationGroup.VETERAN: "退役军人",
    PopulationGroup.DISABLED: "残疾人",
    PopulationGroup.FLEXIBLE_WORKER: "灵活就业人员",
}

# Other spellings bureaus' exports use for the same groups.
_GROUP_ALIASES_ZH: dict[str, PopulationGroup] = {
    "登记失业人员": PopulationGroup.UNEMPLOYED,
    "失业": PopulationGroup.UNEMPLOYED,
    "高校毕业生": PopulationGroup.GRADUATING_STUDENT,
    "毕业生": PopulationGroup.GRADUATING_STUDENT,
    "职工": PopulationGroup.ENTERPRISE_EMPLOYEE,
    "企业在职职工": PopulationGroup.ENTERPRISE_EMPLOYEE,
    "脱贫劳动力": PopulationGroup.LIFTED_FROM_POVERTY,
    "建档立卡贫困劳动力": PopulationGroup.LIFTED_FROM_POVERTY,
    "灵活就业": PopulationGroup.FLEXIBLE_WORKER,
}


class EmploymentStatus(enum.StrEnum):
    EMPLOYED = "employed"  # 就业
    UNEMPLOYED = "unemployed"  # 失业
    SELF_EMPLOYED = "self_employed"  # 自主创业/个体
    STUDENT = "student"  # 在校学生
    RETIRED = "retired"  # 退休
    UNKNOWN = "unknown"  # 未知


EMPLOYMENT_LABELS_ZH: dict[EmploymentStatus, str] = {
    EmploymentStatus.EMPLOYED: "就业",
    EmploymentStatus.UNEMPLOYED: "失业",
    EmploymentStatus.SELF_EMPLOYED: "自主创业",
    EmploymentStatus.STUDENT: "在校学生",
    EmploymentStatus.RETIRED: "退休",
    EmploymentStatus.UNKNOWN: "未知",
}

_EMPLOYMENT_ALIASES_ZH = {
    "在职": EmploymentStatus.EMPLOYED,
    "已就业": EmploymentStatus.EMPLOYED,
    "未就业": EmploymentStatus.UNEMPLOYED,
    "个体": EmploymentStatus.SELF_EMPLOYED,
    "学生": EmploymentStatus.STUDENT,
    "在校": EmploymentStatus.STUDENT,
}

_SEPARATORS = str.maketrans(dict.fromkeys(",，、;；|/ ", ";"))


def parse_groups(text: str) -> PopulationGroup:
    """'失业人员、农民工' or 'unemployed;rural_migrant' -> a group set. Raises ValueError naming the unknown item."""
    result = PopulationGroup(0)
    for item in filter(None, (part.strip() for part in text.translate(_SEPARATORS).split(";"))):
        result |= _group_of(item)
    return result


def _group_of(item: str) -> PopulationGroup:
    by_label = {label: group for group, label in GROUP_LABELS_ZH.items()}
    if item in by_label:
        return by_label[item]
    if item in _GROUP_ALIASES_ZH:
        return _GROUP_ALIASES_ZH[item]
    try:
        return PopulationGroup[item.upper()]
    except KeyError:
        raise ValueError(f"unknown population group {item!r}") from None


def parse_employment_status(text: str) -> EmploymentStatus:
    item = text.strip()
    if not item:
        return EmploymentStatus.UNKNOWN
    by_label = {label: status for status, label in EMPLOYMENT_LABELS_ZH.items()}
    if item in by_label:
        return by_label[item]
    if item in _EMPLOYMENT_ALIASES_ZH:
        return _EMPLOYMENT_ALIASES_ZH[item]
    try:
        return EmploymentStatus(item.lower())
    except ValueError:
        raise ValueError(f"unknown employment status {item!r}") from None


def group_labels(groups: int) -> list[str]:
    return [label for group, label in GROUP_LABELS_ZH.items() if groups & group]
