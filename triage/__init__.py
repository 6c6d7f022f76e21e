"""triage: a forensic triage workstation core (no Qt imports here)."""

__version__ = "0.1.0"
