"""决策反馈 Decision feedback: recurring out-of-remit problems reported to government departments
and tracked until the department has put them right."""
