"""The help text of settings fields, read from their attribute docstrings only when shown.

A settings field is documented by the string literal on the line under it, and
``logai config show`` prints that text. pydantic can collect it while the class
is created (``use_attribute_docstrings``), but it finds the class's source by walking every
loaded module, which costs ~0.17 s of every start once litellm is imported (measured with
cProfile on ``logai ask``), for text that one command prints. Reading the class's own source
file here, when ``config show`` asks, costs a millisecond and nothing elsewhere.
"""

from __future__ import annotations

import ast
import functools
import inspect
import itertools
import textwrap


@functools.cache
def attribute_docstrings(cls: type) -> dict[str, str]:
    """Field name → its docstring, for ``cls`` and its bases (a subclass's text wins).

    Classes whose source cannot be read (a zipped install, an interactive session) add nothing:
    the help is then empty, never an error.
    """
    docs: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        if klass.__module__.split(".")[0] in {"builtins", "pydantic", "pydantic_settings"}:
            continue
        docs.update(_own_docstrings(klass))
    return docs


def _own_docstrings(klass: type) -> dict[str, str]:
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(klass)))
    except (OSError, TypeError, SyntaxError):
        return {}
    definition = tree.body[0] if tree.body else None
    if not isinstance(definition, ast.ClassDef):
        return {}
    body = definition.body
    found: dict[str, str] = {}
    for node, following in itertools.pairwise(body):
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            found[node.target.id] = inspect.cleandoc(following.value.value)
    return found
