"""Containers as part of the inventory: archives, compressed files and e-mail whose members
become inventory entries, read in the scan worker's single pass (docs/containers.md)."""
