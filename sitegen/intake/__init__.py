"""Intake: sources brought into a project and kept up to date (`add-source`, `update-source`): extraction, alignment of
versions, re-citing, all-or-none writes."""
