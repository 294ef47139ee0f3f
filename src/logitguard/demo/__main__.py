"""`python -m logitguard.demo`: the same as `logitguard demo`."""

import sys

from logitguard.demo.command import main

sys.exit(main())
