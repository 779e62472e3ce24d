"""The property inspector: the selected item's fields, bindings, click action and template arguments.

Every field edit re-validates the whole item with the model; what the model refuses is shown in red
under the field and not applied. Bindings are checked as expressions while typing and complete tag
names. Typing in one field is one undo step (merge_id per field and item).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from functools import partial
from typing import Any, Literal, get_args, get_origin

from pydantic import ValidationError
from PySide6.QtCore import QCoreApplication, QObject, QStringListModel, Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QCompleter,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from hmi.expr import Expression, ExpressionError
from hmi.project import yamlfmt
from hmi.project.io import field_path
from hmi.project.model import ACTION_KINDS, Item
from hmi.project.symbols import Instance, parse_item, symbols
from hmi.project.templates import PLACEHOLDER

from ..i18n import QT_TRANSLATE_NOOP
from .canvas import Canvas

FIELD_TITLES = (
    QT_TRANSLATE_NOOP("Inspector", "Format"),
    QT_TRANSLATE_NOOP("Inspector", "Font size"),
    QT_TRANSLATE_NOOP("Inspector", "On text"),
    QT_TRANSLATE_NOOP("Inspector", "Off text"),
    QT_TRANSLATE_NOOP("Inspector", "Orientation"),
    QT_TRANSLATE_NOOP("Inspector", "Time span (s)"),
    QT_TRANSLATE_NOOP("Inspector", "Image file"),
)
"""The built-in symbols' field titles (their models' `title`s), for lupdate: the form translates each
field's title in this context, and shows a title it has no translation for as it is."""
STYLE_BINDINGS = ("color", "visible", "blink", "rotation")
NO_ACTION = "none"
ON_CLICK_ARGS = "on_click.args"
INVALID = "border: 1px solid #d40000;"


def bindable(item: Item) -> list[str]:
    """The binding fields to offer for an item: its symbol's own, the style ones, and any it has."""
    props = [*symbols()[item.type].binds, *STYLE_BINDINGS]
    props += [p for p in item.bind if p not in props]
    return list(dict.fromkeys(props))


def shown(value: Any) -> str:
    """A field's value as the form's text: numbers without trailing zeros, nothing for none."""
    if value is None:
        return ""
    return f"{value:g}" if isinstance(value, float) else str(value)


def binding_problem(text: str, tags: set[str], template: bool) -> str:
    """Why a binding text is wrong, '' when it is fine (or empty: unbound). A binding must parse and
    name only the project's tags; in a template, `{param}`s stand for names and are not checked."""
    if not text.strip():
        return ""
    if template:
        text = PLACEHOLDER.sub("x", text)
    try:
        names = Expression(text).names
    except ExpressionError as exc:
        return str(exc)
    unknown = [] if template else sorted(names - tags)
    return ", ".join(f"unknown tag '{n}'" for n in unknown)


def holds_focus(widget: QWidget) -> bool:
    """Whether the keyboard is in `widget` or its children, a combo box's open list included (another
    window, which isAncestorOf does not look into)."""
    focus = QApplication.focusWidget()
    while focus is not None and focus is not widget:
        focus = focus.parentWidget()
    return focus is not None


class Inspector(QScrollArea):
    """Edits the canvas's single selected item; shows how many are selected otherwise."""

    def __init__(self, canvas: Canvas, parent: QWidget | None = None):
        super().__init__(parent)
        self.canvas = canvas
        self.document = canvas.document
        self.setWidgetResizable(True)
        self.setMinimumWidth(300)
        self.index: int | None = None
        self._applying = False
        self.errors: dict[str, QLabel] = {}
        self.fields: dict[str, QWidget] = {}
        self.senders: list[QObject] = []
        """The form's widgets whose signals edit the item: silenced when the form is replaced."""
        self.tag_names = QStringListModel(self)
        canvas.selection_changed.connect(self._changed)
        self.document.changed.connect(self._changed)
        self.refresh()

    def _changed(self) -> None:
        # An edit made here keeps its form: rebuilding it would destroy the field being typed in.
        if not self._applying:
            self.refresh()

    # -- building the form ---------------------------------------------------------------------

    def refresh(self) -> None:
        """Rebuild the form for the current selection, the field that had the focus keeping it.

        A rebuild is often asked from one of the form's own widgets (choosing an action kind): the
        old form is silenced and deleted only once that widget's signal is over, since deleting a
        widget inside its own signal crashes the process."""
        focused = next((key for key, field in self.fields.items() if holds_focus(field)), None)
        old = self.takeWidget()
        if old is not None:
            for sender in self.senders:
                sender.blockSignals(True)
            old.setParent(self)  # back in Qt's hands (takeWidget gave it to Python) until it is deleted
            old.hide()
            old.deleteLater()
        self.errors, self.fields, self.senders = {}, {}, []
        body = QWidget()
        outer = QVBoxLayout(body)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        outer.addLayout(self.form)
        outer.addStretch(1)
        self._fill()
        self.setWidget(body)
        body.show()  # a widget set on a visible scroll area stays hidden until shown
        if focused in self.fields:
            self.fields[focused].setFocus()

    def _fill(self) -> None:
        selected = self.canvas.selected
        items = self.canvas.model_items()
        self.index = selected[0] if len(selected) == 1 and selected[0] < len(items) else None
        if self.index is None:
            words = (
                self.tr("{0} items selected").format(len(selected))
                if selected
                else self.tr("Nothing selected")
            )
            self.form.addRow(QLabel(words))
            return
        item = items[self.index]
        symbol = symbols()[item.type]
        self.tag_names.setStringList(sorted(self.document.folder.tags))
        self.form.addRow(self.tr("Type"), QLabel(item.type.replace("_", " ")))
        self._numbers("at", self.tr("Position"), item.at)
        if symbol.sized:
            size = item.size or self._drawn_size()
            self._numbers("size", self.tr("Size"), size)
        self._text("label", self.tr("Label"), item.label)
        for key in symbol.fields:
            self._field(item, key)
        self._section(self.tr("Bindings"))
        for prop in bindable(item):
            self._binding(prop, item.bind.get(prop, ""))
        self._section(self.tr("On click"))
        self._action(item)
        if isinstance(item, Instance):
            self._args(self.tr("Template arguments"), item.template, item.args, "args")

    def _field(self, item: Item, key: str) -> None:
        """A field of the item's own model, as its annotation says: a Literal as a choice, else text."""
        info = type(item).model_fields[key]
        title = QCoreApplication.translate("Inspector", info.title or key)
        value = getattr(item, key)
        choices = (
            [str(c) for c in get_args(info.annotation)] if get_origin(info.annotation) is Literal else []
        )
        if choices:
            self._choice(key, title, choices, shown(value))
        else:
            self._text(key, title, shown(value), placeholder=str(info.examples[0]) if info.examples else "")

    def _section(self, title: str) -> None:
        label = QLabel(title)
        label.setStyleSheet("font-weight: bold; margin-top: 8px;")
        self.form.addRow(label)

    def _row(self, key: str, title: str, widget: QWidget) -> None:
        error = QLabel()
        error.setWordWrap(True)
        error.setStyleSheet("color: #d40000;")
        error.hide()
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        column.addWidget(error)
        self.form.addRow(title, box)
        self.errors[key], self.fields[key] = error, widget

    def _drawn_size(self) -> tuple[float, float]:
        r = self.canvas.rects[self.index or 0]
        return (r.w, r.h)

    def _numbers(self, key: str, title: str, pair: tuple[float, float]) -> None:
        box = QWidget()
        row = QFormLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        spins = []
        for n, value in enumerate(pair):
            spin = QDoubleSpinBox()
            spin.setRange(-10_000 if key == "at" else 1, 10_000)
            spin.setDecimals(1)
            spin.setValue(value)
            spin.setKeyboardTracking(False)
            spins.append(spin)
            row.addRow(
                "x" if n == 0 and key == "at" else "y" if key == "at" else "w" if n == 0 else "h", spin
            )
        self.senders += spins
        for spin in spins:
            spin.valueChanged.connect(
                lambda _=0.0, k=key, s=spins: self.edit(k, [s[0].value(), s[1].value()])
            )
        self._row(key, title, box)

    def _text(self, key: str, title: str, value: str, placeholder: str = "") -> None:
        edit = QLineEdit(value)
        edit.setPlaceholderText(placeholder)
        edit.textEdited.connect(lambda text, k=key: self.edit(k, text))
        self.senders.append(edit)
        self._row(key, title, edit)

    def _choice(
        self,
        key: str,
        title: str,
        choices: list[str],
        value: str,
        edit: Callable[[str], None] | None = None,
        editable: bool = False,
    ) -> QComboBox:
        combo = QComboBox()
        combo.setEditable(editable)
        combo.addItems(choices)
        # No entry current unless it is the value: an empty target must not look like the first choice
        # (and choosing that one must count as a change).
        combo.setCurrentIndex(combo.findText(value))
        if editable:
            combo.setEditText(value)
        combo.currentTextChanged.connect(edit or (lambda text, k=key: self.edit(k, text)))
        self.senders.append(combo)
        self._row(key, title, combo)
        return combo

    def _binding(self, prop: str, text: str) -> None:
        edit = QLineEdit(text)
        edit.setPlaceholderText(self.tr("tag or expression"))
        completer = QCompleter(self.tag_names, edit)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        edit.setCompleter(completer)
        edit.textEdited.connect(lambda value, p=prop: self.edit_binding(p, value))
        completer.activated.connect(lambda value, p=prop: self.edit_binding(p, value))
        self.senders += [edit, completer]
        self._row(f"bind.{prop}", prop, edit)
        self._show_binding_problem(prop, text)

    def _action(self, item: Item) -> None:
        action = item.on_click
        kind = next((k for k in ACTION_KINDS if action is not None and getattr(action, k) is not None), "")
        self._choice(
            "on_click", self.tr("Action"), [NO_ACTION, *ACTION_KINDS], kind or NO_ACTION, self._action_kind
        )
        if not kind or action is None:
            return
        folder = self.document.folder
        choices = {
            "navigate": sorted(folder.screens),
            "trend": sorted(folder.project.trends),
            "popup": sorted(folder.templates),
            "open_diagnostics": sorted(folder.project.diagnostics),
        }.get(kind, sorted(t.name for t in folder.project.tags if t.writable))
        self._choice(
            f"on_click.{kind}",
            self.tr("Target"),
            choices,
            getattr(action, kind) or "",
            partial(self.edit_action, kind),
            editable=True,
        )
        if kind == "write":
            self._text("on_click.value", self.tr("Value"), "" if action.value is None else str(action.value))
        if kind == "popup":
            self._args(self.tr("Popup arguments"), action.popup, action.args, ON_CLICK_ARGS)

    def _args(self, title: str, template_name: str | None, args: dict[str, str], where: str) -> None:
        """One field per parameter of a template: an instance's (`args`) or a popup's (`on_click.args`)."""
        template = self.document.folder.templates.get(template_name or "")
        if template is None or not template.params:
            return
        self._section(title)
        for param, spec in template.params.items():
            edit = QLineEdit(args.get(param, ""))
            edit.setPlaceholderText(spec.default or self.tr("required"))
            edit.setToolTip(spec.description)
            edit.textEdited.connect(lambda text, p=param: self.edit_arg(where, p, text))
            self.senders.append(edit)
            self._row(f"{where}.{param}", param, edit)

    # -- applying edits ------------------------------------------------------------------------

    def _data(self) -> dict[str, Any]:
        return self.canvas.model_items()[self.index or 0].model_dump(mode="json", exclude_defaults=True)

    def edit(self, key: str, value: Any) -> bool:
        """Set one field of the item from the form; False (and the model's reason shown) if refused."""
        data = self._data()
        if key == "on_click.value":
            value = yamlfmt.loads(value) if value.strip() else None
            data.setdefault("on_click", {})["value"] = value
        elif value in ("", None) and (key == "size" or self._optional(key)):
            data.pop(key, None)
        else:
            data[key] = value
        return self._apply(key, data)

    def _optional(self, key: str) -> bool:
        """Whether a field of the item may be left out (empty in the form is then none)."""
        info = type(self.canvas.model_items()[self.index or 0]).model_fields.get(key)
        return info is not None and not info.is_required() and info.default is None

    def edit_binding(self, prop: str, text: str) -> None:
        if self._show_binding_problem(prop, text):
            return
        data = self._data()
        bind = dict(data.get("bind", {}))
        if text.strip():
            bind[prop] = text.strip()
        else:
            bind.pop(prop, None)
        data["bind"] = bind
        self._apply(f"bind.{prop}", data)

    def _show_binding_problem(self, prop: str, text: str) -> bool:
        """Show what is wrong with a binding (red, under it); True when there is something: the
        binding is then not applied until it is fixed."""
        template = self.canvas.target[0] == "template"
        problem = binding_problem(text, set(self.document.folder.tags), template)
        self._mark(f"bind.{prop}", problem)
        return bool(problem)

    def _action_kind(self, kind: str) -> None:
        data = self._data()
        data.pop("on_click", None)
        if kind != NO_ACTION:
            data["on_click"] = {kind: "", **({"value": True} if kind == "write" else {})}
        if self._apply("on_click", data):
            self.refresh()

    def edit_action(self, kind: str, target: str) -> None:
        data = self._data()
        before = data.setdefault("on_click", {}).get(kind)
        data["on_click"][kind] = target
        changed = self._apply(f"on_click.{kind}", data)
        if changed and kind == "popup" and self._params(before) != self._params(target):
            self.refresh()  # the new template's parameter fields (typing a name rebuilds nothing)

    def _params(self, template_name: str | None) -> list[str]:
        template = self.document.folder.templates.get(template_name or "")
        return list(template.params) if template is not None else []

    def edit_arg(self, where: str, param: str, text: str) -> None:
        """Set a template argument of the item (`where` 'args') or of its popup ('on_click.args')."""
        data = self._data()
        owner = data.setdefault("on_click", {}) if where == ON_CLICK_ARGS else data
        args = dict(owner.get("args", {}))
        if text:
            args[param] = text
        else:
            args.pop(param, None)
        owner["args"] = args
        self._apply(f"{where}.{param}", data)

    def _apply(self, key: str, data: dict[str, Any]) -> bool:
        try:
            item = parse_item(data)
        except ValidationError as exc:
            errors = exc.errors()
            self._mark(
                key,
                "; ".join(f"{field_path(e['loc']) or key}: {e['msg']}".removeprefix(": ") for e in errors),
            )
            return False
        self._mark(key, "")
        items = self.canvas.model_items()
        if items[self.index or 0] == item:
            return True
        items[self.index or 0] = item
        merge = zlib.crc32(f"{self.canvas.target}/{self.index}/{key}".encode()) & 0x3FFFFFFF
        self._applying = True
        try:
            self.canvas.set_items(self.tr("Edit {0}").format(key), items, merge_id=merge)
        finally:
            self._applying = False
        return True

    def _mark(self, key: str, problem: str) -> None:
        """Red border and the reason under a field, or neither."""
        error, field = self.errors.get(key), self.fields.get(key)
        if error is None or field is None:
            return
        error.setText(problem)
        error.setVisible(bool(problem))
        target = field if isinstance(field, QLineEdit) else None
        if target is not None:
            target.setStyleSheet(f"QLineEdit {{ {INVALID} }}" if problem else "")
