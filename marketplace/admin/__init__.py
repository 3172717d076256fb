"""The union staff's auction screens in the Wagtail admin: sessions (sessions.py) and lots
(lots.py), registered as viewsets in marketplace.wagtail_hooks.

Thin views: listings and inspect pages only read; every other view parses a form from
marketplace.admin_forms, calls one service of marketplace.services and turns a domain error
into a form error or a message. Who may see what is decided by marketplace.admin_permissions.
"""
