"""The engine's layout as the README describes it, and the limits a newcomer reading it can count on."""

from __future__ import annotations

import ast
import re
import subprocess
import sys

from conftest import ROOT

ENGINE = ROOT / "dossier"


def readme_map() -> set[str]:
    """Return the engine's files the README's map lists, as paths below dossier/."""
    block = ROOT.joinpath("README.md").read_text("utf-8").split("## The project", 1)[1].split("```")[1]
    engine = block.split("\ndossier/", 1)[1].split("\n")[1:]
    listed, folder = set(), ""
    for line in engine:
        match = re.match(r"^(  +)(\S+)", line)
        if not match:
            break  # the next top-level folder
        depth, name = len(match[1]) // 2, match[2]
        if name.endswith("/") and depth == 1:
            folder = name
        elif name.endswith(".py") or name.endswith(".py,"):
            listed.add((folder if depth == 2 else "") + name.rstrip(","))
    return listed


def test_the_readme_maps_every_module_of_the_engine():
    modules = {path.relative_to(ENGINE).as_posix() for path in ENGINE.rglob("*.py") if path.name not in ("__init__.py", "__main__.py")}
    assert readme_map() == modules


def test_no_function_of_the_engine_takes_more_than_six_parameters():
    crowded = []
    for path in ENGINE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                args = node.args
                names = [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg) if a is not None]
                if len([name for name in names if name not in ("self", "cls")]) > 6:
                    crowded.append(f"{path.relative_to(ENGINE)}:{node.lineno} {node.name}")
    assert crowded == []


def test_the_build_reads_as_its_steps():
    tree = ast.parse(ROOT.joinpath("dossier", "build.py").read_text("utf-8"))
    [function] = [node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == "build"]
    assert function.end_lineno - function.lineno <= 40


def test_a_build_without_a_cache_does_not_load_the_incremental_layer(tmp_path):
    # The incremental layer wraps the pipeline (incremental/layer.py); a build from nothing runs without it.
    code = """
import sys
from pathlib import Path
from dossier.build import BuildOptions, build
root, out, cache = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
build(BuildOptions(content=root / "content", templates=root / "templates", out=out, search=False, cache=Path(cache) if cache else None))
print(sorted(name for name in sys.modules if name.startswith("dossier.incremental")))
"""
    loaded = {}
    for name, cache in (("plain", ""), ("cached", str(tmp_path / "cache"))):
        done = subprocess.run([sys.executable, "-c", code, str(ROOT), str(tmp_path / name), cache], capture_output=True, text=True, cwd=ROOT, check=True)
        loaded[name] = ast.literal_eval(done.stdout.strip().splitlines()[-1])
    assert loaded["plain"] == []
    assert "dossier.incremental.layer" in loaded["cached"]
