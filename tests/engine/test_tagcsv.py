"""Tag CSV: the demo's tags survive export -> import; bad rows are named by row and column."""

from __future__ import annotations

from hmi.cli import DEMO_PROJECT
from hmi.project import load_project
from hmi.project.tagcsv import COLUMNS, export_tags, import_tags


def demo_tags():
    return load_project(DEMO_PROJECT).project.tags


def test_demo_tags_round_trip_into_the_project():
    tags = demo_tags()
    text = export_tags(tags)
    assert text.splitlines()[0] == ",".join(COLUMNS)
    result = import_tags(text, tags)
    assert result.errors == [] and result.added == [] and result.updated == []
    assert result.tags == tags


def test_demo_tags_round_trip_into_an_empty_project_without_alarms():
    tags = demo_tags()
    result = import_tags(export_tags(tags), [])
    assert result.errors == []
    assert result.added == [t.name for t in tags]
    assert result.tags == [t.model_copy(update={"alarms": type(t.alarms)()}) for t in tags]


def test_import_updates_by_name_and_keeps_alarms_and_omitted_columns():
    tags = demo_tags()
    # semicolon-separated, as spreadsheets in many locales write it (node ids with ';' come quoted)
    text = (
        'name;connection;node;units\nTK101.Level;plant;"ns=2;s=TK101.Level";m\nNEW.Tag;plant;"ns=2;s=New";\n'
    )
    result = import_tags(text, tags, connections={"plant"})
    assert result.errors == []
    assert (result.added, result.updated) == (["NEW.Tag"], ["TK101.Level"])
    level = next(t for t in result.tags if t.name == "TK101.Level")
    assert level.units == "m" and level.range == (0, 100) and level.alarms.hihi.limit == 92
    assert result.tags[-1].name == "NEW.Tag" and result.tags[-1].type == "Double"


def test_bad_rows_are_reported_with_row_and_column_and_left_out():
    text = (
        "name,connection,node,type,range_lo,range_hi,writable,write_lo,write_hi,history,history_period_s\n"
        "Good.One,plant,ns=2;s=G1,Double,0,10,true,0,5,periodic,1\n"
        "Bad.Range,plant,ns=2;s=B1,Double,5,1,false,,,,\n"
        "Bad.Node,plant,not a node,Double,,,false,,,,\n"
        "Bad.Type,plant,ns=2;s=B3,Dubble,,,false,,,,\n"
        "Bad.Number,plant,ns=2;s=B4,Double,x,3,false,,,,\n"
        "Bad.Limits,plant,ns=2;s=B5,Double,,,false,0,5,,\n"
        "Bad.Conn,elsewhere,ns=2;s=B6,Double,,,false,,,,\n"
        "Bad.History,plant,ns=2;s=B7,Double,,,false,,,periodic,\n"
        "Good.One,plant,ns=2;s=G1,Double,,,false,,,,\n"
    )
    result = import_tags(text, [], connections={"plant"})
    assert result.added == ["Good.One"]
    assert result.tags[0].history.period_s == 1 and result.tags[0].write_limits == (0, 5)
    errors = "\n".join(result.errors)
    assert "row 3, column range_lo: low 5 must be below high 1" in errors
    assert "row 4, column node: 'not a node' is not an OPC-UA node id" in errors
    assert "row 5, column type:" in errors
    assert result.errors.count("row 6, column range_lo: 'x' is not a number") == 1
    assert "row 7: write_limits given but the tag is not writable" in errors
    assert "row 8, column connection: unknown connection 'elsewhere'" in errors
    assert "row 9, column history: mode 'periodic' needs period_s" in errors
    assert "row 10, column name: tag 'Good.One' is already in an earlier row" in errors
    assert len(result.errors) == 8


def test_unknown_column_refuses_the_file_by_name():
    result = import_tags("name,connection,node,unit\nA,plant,ns=2;s=A,%\n", [])
    assert result.tags == [] and result.added == []
    assert result.errors[0].startswith("row 1: unknown column unit")
