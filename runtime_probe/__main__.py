"""``python -m runtime_probe`` is ``detlint probe``."""

from runtime_probe.cli import main

raise SystemExit(main())
