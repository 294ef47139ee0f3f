"""`python -m logitguard`: the same as the `logitguard` command."""

from logitguard.cli import main

raise SystemExit(main())
