"""Preservation requests: who holds the data an identifier points to, and draft requests
(Budapest Convention art. 29(2) / T-CY template) per provider or jurisdiction.

The identifiers themselves are found by the ``identifiers`` analyzer (a plugin); this core
package only reads what it recorded (``triage.identifiers``) and the provider data.
"""
