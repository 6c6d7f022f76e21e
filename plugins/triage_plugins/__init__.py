"""Built-in analyzers of triage. They are registered through the same entry-point group
(``triage.plugins``) and the same public API as any third-party plugin.
"""

__version__ = "0.1.0"
