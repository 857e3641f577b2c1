"""Workflows over many case files: ``batch`` (cohorts), ``check`` (regression in CI) and
``board`` (the tumour-board agenda). Library code: nothing here prints or exits."""
