"""Background jobs with progress, run one committed chunk at a time so they resume where they stopped."""

from skillvoucher.jobs.background import BackgroundJobs
from skillvoucher.jobs.models import Job
from skillvoucher.jobs.runner import Step, create_job, ensure_resumable, get_job, resumable_jobs, run_job

__all__ = ["BackgroundJobs", "Job", "Step", "create_job", "ensure_resumable", "get_job", "resumable_jobs", "run_job"]
