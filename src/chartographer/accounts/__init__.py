"""Portal accounts: users, passwords (Argon2id), e-mail tokens, OpenID Connect identities.

The package knows nothing of HTTP: :mod:`chartographer.portal` is its front door.
"""
