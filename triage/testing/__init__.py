"""Test helpers: fixture disk images built with the real file-system tools."""
