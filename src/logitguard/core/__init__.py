"""Framework-neutral core: what a head emits, what a loss or metric expects, and findings."""
