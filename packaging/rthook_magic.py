"""PyInstaller runtime hook: point libmagic at the bundled database."""

import os
import sys

base = getattr(sys, "_MEIPASS", os.path.dirname(sys.executable))
mgc = os.path.join(base, "magic", "magic.mgc")
if os.path.exists(mgc):
    os.environ.setdefault("MAGIC", mgc)
