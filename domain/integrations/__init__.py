"""Signed per-project integrations: an outside system of one project that tells us things, signed
with the integration's own secret (a payment integration, a telephony integration, a 12345 bridge).
What they share — adding one, switching it off and on, rotating its secret — is here, parameterised
by its kind; what each tells us is its own domain's."""
