"""Reports: shift and day reports of tag statistics, alarm KPIs and operator actions, as PDF. No Qt.

The settings (`reports:` in project.yaml) are in `settings`; `data` gathers a report's figures,
`pdf` lays them out, `schedule` says when the headless engine makes them. Import the modules: this
package itself loads nothing, so the project model can use the settings without loading fpdf2.
"""
