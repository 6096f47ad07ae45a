"""Unified social credit codes (统一社会信用代码, GB 32100-2015): what python-stdnum checks and what it does not.

stdnum checks the alphabet, length and check character. This module adds the registering authority (character 1),
the entity type allowed for that authority (character 2) and the region of registration (characters 3-8), which
must be a known GB/T 2260 code (the caller passes the set it knows).
"""

from __future__ import annotations

from collections.abc import Container

from stdnum.cn import uscc as stdnum_uscc
from stdnum.exceptions import ValidationError

# GB 32100-2015, table 1 (as amended for 农业 N, 中央军委 A): registering authority → allowed entity types.
AUTHORITY_TYPES: dict[str, str] = {
    "1": "1239",  # 机构编制: 机关, 事业单位, 群众团体, 其他
    "2": "19",  # 外交
    "3": "123459",  # 司法行政: 律师事务所, 公证处, 基层法律服务所, 司法鉴定机构, 仲裁委员会, 其他
    "4": "19",  # 文化
    "5": "1239",  # 民政: 社会团体, 民办非企业单位, 基金会, 其他
    "6": "129",  # 旅游
    "7": "129",  # 宗教
    "8": "19",  # 工会
    "9": "123",  # 工商: 企业, 个体工商户, 农民专业合作社
    "A": "19",  # 中央军委改革和编制办公室
    "N": "1239",  # 农业: 组级, 村级, 乡镇级集体经济组织, 其他
    "Y": "1",  # 其他
}


def _checksum_ok(code: str) -> bool:
    """stdnum wants eight leading digits, so it refuses authorities A, N and Y: those are checked here the same way."""
    if authority_is_digit := code[0].isdigit():
        try:
            stdnum_uscc.validate(code)
        except ValidationError:
            return False
        return authority_is_digit
    alphabet = set(stdnum_uscc._alphabet)
    if not code[2:8].isdigit() or any(char not in alphabet for char in code):
        return False
    return bool(code[-1] == stdnum_uscc.calc_check_digit(code))


def normalize(code: str) -> str:
    return "".join(code.split()).upper()


def uscc_problem(code: str, known_regions: Container[str]) -> str | None:
    """Why `code` (normalized) is not a valid unified social credit code, or None. Bilingual, safe to show."""
    if len(code) != 18:
        return "统一社会信用代码应为18位 / a unified social credit code has 18 characters"
    authority, entity_type, region = code[0], code[1], code[2:8]
    if not _checksum_ok(code):
        return "统一社会信用代码格式或校验码错误 / the code's format or check character is wrong"
    allowed = AUTHORITY_TYPES.get(authority)
    if allowed is None:
        return f"登记管理部门代码“{authority}”不存在 / no registering authority is coded {authority!r}"
    if entity_type not in allowed:
        return (
            f"机构类别代码“{entity_type}”与登记管理部门“{authority}”不符 / "
            f"entity type {entity_type!r} does not exist for authority {authority!r}"
        )
    if region not in known_regions:
        return f"登记管理机关行政区划码{region}不存在 / no region has the code {region}"
    return None
