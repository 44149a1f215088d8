"""Enrollment files: members and their coverage periods imported from a CSV extract.

`rows` and `reconcile` are the rules (pure: strings and dates in, decisions out), `staging`
orders the file's rows by member on disk, `services` writes the decisions to the database,
`views` and the `import_members` command are the two front doors.
"""
