"""Team accounts: people of a tenant with roles, password sign-in, browser sessions, invitations.

API keys stay what they were (a machine acting for the whole tenant); people sign in with email
and password and get a session cookie. See docs/operations.md ("Security model").
"""
