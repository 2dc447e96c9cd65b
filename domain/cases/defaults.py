"""Fixed times of the case rules. A promise's default and its supervisor-only ceiling are not
among them: they come from the case's SLA policy (`Policy.deadline`, `SlaRecorder.policy_deadline`)."""

from datetime import timedelta

AUTO_CONFIRM_SILENCE = timedelta(hours=48)
