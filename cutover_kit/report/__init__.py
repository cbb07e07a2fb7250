"""The verdict report and the trend review: rendering, notebook execution, output folders."""
