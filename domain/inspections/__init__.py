"""品质检查 HQ quality inspections: checklists, scored inspections, findings that become cases."""
