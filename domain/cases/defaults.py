"""Fixed times of the case rules. A promise's default and its supervisor-only ceiling are not
among them: they come from the case's SLA policy (`Policy.deadline`, `SlaRecorder.policy_deadline`)."""

from datetime import timedelta

# The finder orgs_with_cases_to_confirm (0048_finders) clamps to the same 48 hours: change both together.
AUTO_CONFIRM_SILENCE = timedelta(hours=48)
