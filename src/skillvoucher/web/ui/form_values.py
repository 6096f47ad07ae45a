"""Reading the values of the institution pages' forms: whole numbers, yuan as fen, dates, China Standard Time."""

from __future__ import annotations

from datetime import date, datetime

from skillvoucher.core import Invalid
from skillvoucher.core.money import yuan_to_fen
from skillvoucher.web.templating import DISPLAY_ZONE


def whole(value: str, what: str) -> int:
    try:
        return int(value.strip())
    except ValueError:
        raise Invalid(f"请填写整数：{what.split(' / ')[0]} / enter a whole number: {what.split(' / ')[1]}") from None


def fen(yuan: str) -> int:
    try:
        amount = int(yuan_to_fen(yuan))
    except ValueError:
        raise Invalid("价格须为元，最多两位小数 / the price is in yuan, with at most two decimals") from None
    return amount


def day(value: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise Invalid("请填写日期 / enter a date (YYYY-MM-DD)") from None


def moment(value: str) -> datetime:
    """A time entered in China Standard Time (a datetime-local field)."""
    try:
        entered = datetime.fromisoformat(value.strip())
    except ValueError:
        raise Invalid("请填写课次的开始和结束时间 / enter when each session starts and ends") from None
    return entered.replace(tzinfo=DISPLAY_ZONE) if entered.tzinfo is None else entered
