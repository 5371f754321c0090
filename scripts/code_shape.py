"""The shape of the engine's code: its longest functions, classes and modules, and how many of its
modules one build of a project passes through.

    python scripts/code_shape.py              # the ten longest of each, in lines
    python scripts/code_shape.py --build .    # …and the modules a build of this project calls into
"""

from __future__ import annotations

import argparse
import ast
import sys
import tempfile
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "sitegen"


def definitions(package: Path) -> tuple[list[tuple[int, str]], list[tuple[int, str]], list[tuple[int, str]]]:
    """(lines, name) of every function, class and module of the package."""
    functions, classes, modules = [], [], []
    for path in sorted(package.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        module = path.relative_to(package.parent).with_suffix("").as_posix().replace("/", ".")
        modules.append((len(source.splitlines()), module))
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                assert node.end_lineno is not None
                lines = node.end_lineno - min([node.lineno, *(d.lineno for d in node.decorator_list)]) + 1
                (classes if isinstance(node, ast.ClassDef) else functions).append((lines, f"{module}.{node.name}"))
    return functions, classes, modules


def modules_a_build_calls(project: Path) -> list[str]:
    """The engine's modules whose code runs while the project is built once (no cache, no search)."""
    import os

    os.environ["SITEGEN_CACHE"] = "off"
    sys.path.insert(0, str(PACKAGE.parent))
    from sitegen.pipeline import build

    called: set[str] = set()
    prefix = str(PACKAGE)

    def note(frame, event, arg):  # type: ignore[no-untyped-def]
        if event == "call" and frame.f_code.co_filename.startswith(prefix):
            called.add(frame.f_code.co_filename)

    with tempfile.TemporaryDirectory() as out:
        sys.setprofile(note)
        try:
            build(project.resolve(), out_dir=Path(out) / "site")
        finally:
            sys.setprofile(None)
    return sorted(Path(name).relative_to(PACKAGE.parent).with_suffix("").as_posix().replace("/", ".") for name in called)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", type=Path, help="a project to build once, counting the modules it passes through")
    parser.add_argument("--top", type=int, default=10)
    args = parser.parse_args()
    functions, classes, modules = definitions(PACKAGE)
    for title, rows in (("functions", functions), ("classes", classes), ("modules", modules)):
        print(f"longest {title} (lines):")
        for lines, name in sorted(rows, reverse=True)[: args.top]:
            print(f"  {lines:5d}  {name}")
    over = sum(lines > 50 for lines, _ in functions), sum(lines > 150 for lines, _ in classes), sum(lines > 300 for lines, _ in modules)
    print(f"over the targets: {over[0]} functions > 50 lines, {over[1]} classes > 150, {over[2]} modules > 300")
    if args.build:
        called = modules_a_build_calls(args.build)
        print(f"a build passes through {len(called)} of {len(modules)} modules: {' '.join(called)}")


if __name__ == "__main__":
    main()
