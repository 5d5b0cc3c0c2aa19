"""The public progress lookup (办件进度查询): case number + the last four characters of the
applicant's phone or ID number."""
