"""Matplotlib figures for the session report and the trend review: functions, not notebook code."""
