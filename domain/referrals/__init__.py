"""Outside bodies (外部单位) and the referrals (转办) made to them: DESIGN §7."""
