"""Reports in the app: the alarm KPI charts, the report texts for the translator, the report dialog."""
