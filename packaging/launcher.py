"""Entry point of the frozen app: ``triage ...`` runs the CLI; ``triage gui`` or no arguments opens the GUI."""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()  # spawned scan workers re-enter here
    if sys.argv[1:] == ["--smoke-test"]:  # the GUI's own smoke test (make app runs it offscreen)
        from triage_ui.app import smoke_test

        sys.exit(smoke_test())
    from triage.cli import main

    args = sys.argv[1:] or ["gui"]
    sys.exit(main(args))
