"""Direct interaction (诉求直达): enterprises' requests to departments, routed from the
catalog, answered on the record within time limits counted in working days, escalated
when a limit runs out (docs/interaction.md)."""
