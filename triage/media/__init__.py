"""Pictures: thumbnails and EXIF, decoded with Pillow in child processes (never in the caller's)."""
