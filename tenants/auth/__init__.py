"""Who is calling: passwords, access and refresh tokens, integrator API keys."""
