"""The analysis engine shared by the static front ends: the project, its files and imports."""
