"""The developer portal under ``/portal``: server-rendered pages (Jinja2), CSS/JS served here.

A sub-application mounted by :func:`chartographer.portal.app.mount_portal`, so its
session cookie, CSRF checks and security headers never touch the image API.
"""
