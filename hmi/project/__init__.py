"""Project folders: typed models, loading with precise errors, byte-stable saving."""

from .io import ProjectFolder, load_project, save_project
from .model import Action, Connection, Item, Pen, Project, Screen, Tag, TrendDef

__all__ = [
    "Action",
    "Connection",
    "Item",
    "Pen",
    "Project",
    "ProjectFolder",
    "Screen",
    "Tag",
    "TrendDef",
    "load_project",
    "save_project",
]
