"""Cases (工单): the state machine and its rules as plain Python (DESIGN §3)."""
