"""The scan engine: plugin registry, worker processes, scheduling, status and results."""
