import pytest

from hmi.expr import Expression, ExpressionError


def test_dotted_tag_names_are_single_names():
    expr = Expression("TK101.Level > 80 and not P101.Running")
    assert expr.names == {"TK101.Level", "P101.Running"}
    assert expr.evaluate({"TK101.Level": 90.0, "P101.Running": False}) is True
    assert expr.evaluate({"TK101.Level": 50.0, "P101.Running": False}) is False


def test_a_bare_tag_is_recognised():
    assert Expression("TK101.Level").is_tag
    assert not Expression("TK101.Level * 2").is_tag


def test_functions_and_constants_are_not_tags():
    expr = Expression("round(max(A.B, 0), 1) if True else None")
    assert expr.names == {"A.B"}
    assert expr.evaluate({"A.B": -3.0}) == 0


@pytest.mark.parametrize(
    "text",
    ["__import__('os').system('true')", "open('/etc/passwd')", "(1).__class__.__bases__", "A.__class__"],
)
def test_nothing_outside_the_safe_set_runs(text):
    with pytest.raises(ExpressionError):
        Expression(text).evaluate({"A": 1})


def test_syntax_errors_are_reported_with_the_text():
    with pytest.raises(ExpressionError, match="TK101.Level >"):
        Expression("TK101.Level >")
