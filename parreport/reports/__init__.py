"""Reports: each kind builds its content once as a :class:`~parreport.reports.content.Document`."""
