"""Issuing vouchers: a batch to every eligible person, a roster file, a class roster, or one claim on demand.

Every mode writes through the same conditions (eligible, not yet served by the policy, within the yearly limit and
the once-per-occupation-and-level rule, within the caps), so a person never gets two vouchers of one policy
(`uq_vouchers_policy_person`) and the caps never overshoot (the policy row is locked while counting; check
constraints back it). A batch runs as a job, a chunk of person ids per transaction: killed half-way, it resumes.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    SmallInteger,
    String,
    and_,
    cast,
    exists,
    func,
    literal,
    or_,
    select,
    true,
)
from sqlalchemy.orm import Session

from skillvoucher.catalog import Region
from skillvoucher.core import Conflict, Invalid, utc_now
from skillvoucher.db import insert_or_skip
from skillvoucher.db.types import UtcDateTime
from skillvoucher.identity import (
    Permission,
    Person,
    PiiCipher,
    Principal,
    ResidentIdError,
    Resource,
    find_person_by_id_number,
    parse_resident_id,
    region_prefix,
)
from skillvoucher.jobs import Job, Step, create_job
from skillvoucher.stats import count
from skillvoucher.training import ClassTrainee
from skillvoucher.vouchers.access import actor_of, authorize, record
from skillvoucher.vouchers.eligibility_sql import eligibility_predicate
from skillvoucher.vouchers.errors import (
    AlreadyServed,
    CapReached,
    NotClaimable,
    NotEligible,
    OccupationLevelServed,
    YearlyLimitReached,
)
from skillvoucher.vouchers.models import Voucher, VoucherPolicy
from skillvoucher.vouchers.policies import ensure_open, get_policy, issue_value_fen, rules_of
from skillvoucher.vouchers.rules import PersonFacts, PolicyKind, usage_from_json
from skillvoucher.vouchers.tally import insert_counted, subject_of

ISSUE_JOB = "vouchers.issue"
DEFAULT_CHUNK_PERSONS = 100_000  # person ids per transaction: large enough to amortise, small enough to resume


def new_code() -> str:
    return secrets.token_hex(16)


def facts_of(person: Person) -> PersonFacts:
    return PersonFacts(
        region_code=person.region_code,
        gender=person.gender,
        birth_date=person.birth_date,
        population_groups=person.population_groups,
        employment_status=person.employment_status,
    )


# --- the conditions every mode shares ------------------------------------------------------------------------------


def _holds_policy(policy_id: int, person_id: Any) -> ColumnElement[bool]:
    return exists().where(Voucher.policy_id == policy_id, Voucher.person_id == person_id)


def _count_this_year(person_id: Any, year: int) -> Any:
    return (
        select(func.count())
        .select_from(Voucher)
        .where(Voucher.person_id == person_id, Voucher.issued_year == year, Voucher.state != "revoked")
        .scalar_subquery()
    )


def _same_occupation_level_policies(session: Session, policy: VoucherPolicy) -> list[int]:
    """Policies whose vouchers pay for the same single occupation and level as this one (itself excluded)."""
    single = rules_of(policy).usage.single
    if not policy.once_per_occupation_level or single is None:
        return []
    others = session.execute(select(VoucherPolicy.id, VoucherPolicy.usage).where(VoucherPolicy.id != policy.id))
    return [pid for pid, usage in others if usage_from_json(usage).single == single]


def _holds_occupation_level(policy_ids: list[int], person_id: Any) -> ColumnElement[bool]:
    return exists().where(
        Voucher.person_id == person_id,
        Voucher.policy_id.in_(policy_ids),
        Voucher.state.not_in(("expired", "revoked")),
    )


def room_left(policy: VoucherPolicy, value_fen: int | None) -> int | None:
    """How many more vouchers the caps allow (None: no cap applies)."""
    rooms: list[int] = []
    if policy.quantity_cap is not None:
        rooms.append(policy.quantity_cap - policy.issued_count)
    if policy.budget_cap_fen is not None and value_fen:
        rooms.append((policy.budget_cap_fen - policy.committed_fen) // value_fen)
    return max(0, min(rooms)) if rooms else None


def _count_issued(policy: VoucherPolicy, issued: int, value_fen: int | None) -> None:
    policy.issued_count += issued
    policy.committed_fen += issued * (value_fen or 0)


def _code_sql(session: Session) -> ColumnElement[str]:
    """128 random bits as 32 hex characters, made by the database so a batch never leaves it."""
    if session.get_bind().dialect.name == "postgresql":
        return func.replace(cast(func.gen_random_uuid(), String), "-", "")
    return func.lower(func.hex(func.randomblob(16)))


@dataclass(frozen=True)
class _Issue:
    """What every voucher of one issuance shares."""

    policy: VoucherPolicy
    on: date
    value_fen: int | None
    job_id: int | None = None
    at: datetime = field(default_factory=utc_now)

    def columns(self, session: Session, person_id: Any) -> list[Any]:
        expires_on = rules_of(self.policy).validity.expires_on(claimed_on=None, closes_on=self.policy.closes_on)
        return [
            _code_sql(session),
            literal(self.policy.id, Integer),
            person_id,
            literal("issued", String),
            literal(self.value_fen, Integer),
            literal(expires_on),
            literal(self.on.year, SmallInteger),
            literal(self.at, UtcDateTime),
            literal(self.job_id, Integer),
        ]


_INSERTED = ("code", "policy_id", "person_id", "state", "value_fen", "expires_on", "issued_year", "issued_at", "job_id")


def _issue_select(
    session: Session,
    issue: _Issue,
    source: Any,
    person_id: Any,
    where: list[ColumnElement[bool]],
) -> int:
    """INSERT … SELECT the vouchers for the eligible persons `source` yields; returns how many were new.

    A person the policy already served is skipped by the unique constraint (ON CONFLICT DO NOTHING) rather than an
    anti-join, whose plan PostgreSQL gets badly wrong while the voucher table grows inside one batch.
    """
    policy = issue.policy
    rules = rules_of(policy)
    conditions = [*where, eligibility_predicate(rules.eligibility, issue.on)]
    if policy.yearly_limit is not None:
        conditions.append(_count_this_year(person_id, issue.on.year) < policy.yearly_limit)
    if same := _same_occupation_level_policies(session, policy):
        conditions.append(~_holds_occupation_level(same, person_id))
    room = room_left(policy, issue.value_fen)
    chosen = (
        select(person_id.label("person_id"), Person.region_code, Person.population_groups)
        .select_from(source)
        .where(and_(*conditions))
    )
    if room is not None:
        # Served persons still count against the LIMIT here, so a capped chunk may issue fewer than it could;
        # the next chunk goes on from there and the cap is never passed.
        chosen = chosen.where(~_holds_policy(policy.id, person_id)).order_by(person_id).limit(room)

    def insert_from(rows: Any) -> Any:
        vouchers = select(*issue.columns(session, rows.c.person_id)).select_from(rows).where(true())
        return insert_or_skip(session, Voucher.__table__, list(_INSERTED), vouchers)

    issued = insert_counted(session, chosen, insert_from, policy, issue.at)
    _count_issued(policy, issued, issue.value_fen)
    return issued


# --- batch by rule ---------------------------------------------------------------------------------------------------


def start_batch(session: Session, *, policy_id: int, today: date, by: Principal | None) -> Job:
    """Create the issuance job for a policy, or return the unfinished one: asking twice never issues twice."""
    policy = get_policy(session, policy_id, lock=True)
    authorize(by, Permission.VOUCHER_MANAGE, Resource(region_code=policy.region_code))
    ensure_open(policy, today)
    if policy.kind == PolicyKind.TARGETED:
        raise Invalid("定向券发放给班级花名册 / a targeted policy is issued to its class roster")
    unfinished = session.scalar(
        select(Job).where(Job.kind == ISSUE_JOB, Job.subject_id == policy.id, Job.state != "finished")
    )
    if unfinished is not None:
        return unfinished
    first, last = _registry_range(session, rules_of(policy).eligibility.regions)
    params = {"on": today.isoformat(), "last": last or 0}
    job = create_job(
        session,
        kind=ISSUE_JOB,
        subject_id=policy.id,
        region_code=policy.region_code,
        params=params,
        created_by=actor_of(by).label,
    )
    job.cursor = (first or 1) - 1
    job.params = {**params, "first": job.cursor}
    job.result = {"issued": 0}
    record(session, by, "vouchers.batch_started", "voucher_policy", policy.id, {"job_id": job.id})
    return job


def _registry_range(session: Session, regions: tuple[str, ...]) -> tuple[int | None, int | None]:
    """The lowest and highest id of the persons registered in the policy's regions: the batch walks only that band.

    A registry loaded region by region keeps a province's persons in a narrow band of ids, so a provincial batch
    in a national registry skips the rest instead of reading it chunk by chunk. Every person's region is a row of
    `regions`, so the band holds every person the eligibility predicate can select. Grouped by region, PostgreSQL
    reads each region's persons through their index, instead of walking the primary key from one end until the
    first match (most of the registry, when the region's band is at the other end).
    """
    prefixes = [region_prefix(region) for region in regions]
    codes = select(Region.code).where(or_(*(Region.code.startswith(prefix) for prefix in prefixes)))
    bands = session.execute(
        select(func.min(Person.id), func.max(Person.id))
        .where(Person.region_code.in_(codes))
        .group_by(Person.region_code)
    ).all()
    if not bands:
        return None, None
    return min(low for low, _ in bands), max(high for _, high in bands)


def batch_step(chunk_persons: int = DEFAULT_CHUNK_PERSONS) -> Step:
    """One chunk of a batch: the persons with ids in (cursor, cursor + chunk]."""

    def step(session: Session, job: Job) -> bool:
        policy = get_policy(session, int(job.subject_id or 0), lock=True)
        on = date.fromisoformat(job.params["on"])
        ensure_open(policy, on)
        last = int(job.params["last"])
        upto = min(job.cursor + chunk_persons, last)
        issue = _Issue(policy=policy, on=on, value_fen=issue_value_fen(session, policy, on), job_id=job.id)
        capped = room_left(policy, issue.value_fen) == 0
        issued = 0
        if not capped:
            where = [Person.id > job.cursor, Person.id <= upto]
            issued = _issue_select(session, issue, Person, Person.id, where)
            capped = room_left(policy, issue.value_fen) == 0
        job.cursor, job.done = upto, job.done + issued
        finished = capped or upto >= last
        job.result = {"issued": job.done, "stopped_by_cap": capped}
        if finished:
            record(
                session, None, "vouchers.batch_finished", "voucher_policy", policy.id, {"job_id": job.id, **job.result}
            )
        return finished

    return step


JOB_STEPS: dict[str, Callable[[], Step]] = {ISSUE_JOB: batch_step}  # how each voucher job kind is run


def batch_progress(job: Job) -> float:
    """The share of the registry's person ids a batch has gone through, 0.0 to 1.0."""
    first, last = int(job.params.get("first", 0)), int(job.params.get("last", 0))
    if job.state == "finished" or last <= first:
        return 1.0 if job.state == "finished" else 0.0
    return min(1.0, max(0.0, (job.cursor - first) / (last - first)))


# --- targeted: the roster of an approved class ----------------------------------------------------------------------


@dataclass(frozen=True)
class RosterIssue:
    issued: int
    listed: int  # on the roster

    @property
    def not_issued(self) -> int:
        return self.listed - self.issued


def issue_to_class_roster(session: Session, *, policy_id: int, today: date, by: Principal | None) -> RosterIssue:
    """Targeted vouchers (定向券) for everyone on the approved class's roster who is eligible and not yet served."""
    policy = get_policy(session, policy_id, lock=True)
    authorize(by, Permission.VOUCHER_MANAGE, Resource(region_code=policy.region_code))
    ensure_open(policy, today)
    if policy.kind != PolicyKind.TARGETED or policy.target_class_id is None:
        raise Invalid("只有定向券发放给班级花名册 / only a targeted policy is issued to a class roster")
    listed = session.scalar(
        select(func.count()).select_from(ClassTrainee).where(ClassTrainee.class_id == policy.target_class_id)
    )
    if not listed:
        raise Conflict("班级花名册为空 / the class roster is empty")
    issue = _Issue(policy=policy, on=today, value_fen=issue_value_fen(session, policy, today))
    source = Person.__table__.join(ClassTrainee.__table__, ClassTrainee.person_id == Person.id)
    issued = _issue_select(session, issue, source, Person.id, [ClassTrainee.class_id == policy.target_class_id])
    record(session, by, "vouchers.roster_issued", "voucher_policy", policy.id, {"issued": issued, "listed": listed})
    return RosterIssue(issued=issued, listed=int(listed))


# --- roster file: the people a bureau lists ----------------------------------------------------------------------


@dataclass(frozen=True)
class RowProblem:
    row: int
    message: str


@dataclass
class RosterFileResult:
    issued: int = 0
    rows: int = 0
    problems: list[RowProblem] = field(default_factory=list)


def issue_to_listed(
    session: Session,
    cipher: PiiCipher,
    *,
    policy_id: int,
    rows: Iterable[tuple[int, str]],
    today: date,
    by: Principal | None,
) -> RosterFileResult:
    """Vouchers for the persons a file lists by resident ID number; each row that cannot be served says why.

    Good rows are issued and bad rows reported, so running the same file again issues nothing twice and reports the
    rows already served.
    """
    policy = get_policy(session, policy_id, lock=True)
    authorize(by, Permission.VOUCHER_MANAGE, Resource(region_code=policy.region_code))
    ensure_open(policy, today)
    if policy.kind == PolicyKind.TARGETED:
        raise Invalid("定向券发放给班级花名册 / a targeted policy is issued to its class roster")
    value_fen = issue_value_fen(session, policy, today)
    result = RosterFileResult()
    seen: dict[int, int] = {}
    for row, id_number in rows:
        result.rows += 1
        problem = _listed_problem(session, cipher, policy, id_number, today, value_fen, seen, row)
        if problem:
            result.problems.append(RowProblem(row, problem))
        else:
            result.issued += 1
    data = {"rows": result.rows, "issued": result.issued, "refused": len(result.problems)}
    record(session, by, "vouchers.list_issued", "voucher_policy", policy.id, data)
    return result


def _listed_problem(
    session: Session,
    cipher: PiiCipher,
    policy: VoucherPolicy,
    id_number: str,
    today: date,
    value_fen: int | None,
    seen: dict[int, int],
    row: int,
) -> str | None:
    try:
        parse_resident_id(id_number, today=today)
    except ResidentIdError as error:
        return f"身份证号码有误 / invalid resident ID number: {error}"
    person = find_person_by_id_number(session, cipher, id_number)
    if person is None:
        return "登记库中无此人 / not in the worker registry"
    if person.id in seen:
        return f"与第 {seen[person.id]} 行重复 / the same person as row {seen[person.id]}"
    seen[person.id] = row
    try:
        _issue_one(session, policy, person, today, value_fen, state="issued")
    except (NotEligible, AlreadyServed, CapReached, YearlyLimitReached, OccupationLevelServed) as refusal:
        return refusal.message
    return None


# --- one voucher: a listed person, or a worker's claim on demand -----------------------------------------------------


def _issue_one(
    session: Session, policy: VoucherPolicy, person: Person, today: date, value_fen: int | None, *, state: str
) -> Voucher:
    """The batch's conditions, checked one by one so the refusal can say which failed; the policy row is locked."""
    refusal = rules_of(policy).eligibility.refusal(facts_of(person), today)
    if refusal:
        raise NotEligible(refusal)
    if session.scalar(select(_holds_policy(policy.id, person.id))):
        raise AlreadyServed()
    limit = policy.yearly_limit
    if limit is not None and (session.scalar(select(_count_this_year(person.id, today.year))) or 0) >= limit:
        raise YearlyLimitReached(limit)
    same = _same_occupation_level_policies(session, policy)
    if same and session.scalar(select(_holds_occupation_level(same, person.id))):
        raise OccupationLevelServed()
    if room_left(policy, value_fen) == 0:
        quantity_full = policy.quantity_cap is not None and policy.issued_count >= policy.quantity_cap
        raise CapReached("quantity" if quantity_full else "budget")
    claimed = state == "claimed"
    now = utc_now()
    voucher = Voucher(
        code=new_code(),
        policy_id=policy.id,
        person_id=person.id,
        state=state,
        value_fen=value_fen,
        expires_on=rules_of(policy).validity.expires_on(
            claimed_on=today if claimed else None, closes_on=policy.closes_on
        ),
        issued_year=today.year,
        issued_at=now,
        claimed_at=now if claimed else None,
    )
    session.add(voucher)
    session.flush()
    _count_issued(policy, 1, value_fen)
    count(session, subject_of(person, policy, now), issued=1, claimed=int(claimed))
    return voucher


def claim_from_policy(
    session: Session, *, policy_id: int, person_id: int, today: date, by: Principal | None
) -> Voucher:
    """A worker claims a voucher from an open policy (claim on demand, 申领): issued and taken up at once."""
    authorize(by, Permission.WORKER_SELF, Resource(person_id=person_id))
    policy = get_policy(session, policy_id, lock=True)
    ensure_open(policy, today)
    if not policy.claimable or policy.kind == PolicyKind.TARGETED:
        raise NotClaimable()
    # The person's row lock serialises their claims across policies, for the yearly limit.
    person = session.get(Person, person_id, with_for_update=True)
    if person is None:
        raise Invalid("登记库中无此人 / not in the worker registry")
    voucher = _issue_one(session, policy, person, today, issue_value_fen(session, policy, today), state="claimed")
    record(session, by, "voucher.claimed", "voucher", voucher.id, {"policy_id": policy.id, "on_demand": True})
    return voucher
