"""The package's import rules (DESIGN.md, "Rules of the house"), checked on the generated library with `ast`.

(a) no shared (top-level) module imports a paper package; (b) a paper package imports another paper only through
public names, and only along the pairs in `ALLOWED_CROSS_PAPER`; (c) no module imports a private name (`_x`) from
another module of the package; (d) a later notebook imports an earlier one, never the reverse (among the shared
notebooks, and within a paper, by
notebook number; shared before papers is rule (a)).
"""
import ast, re, shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PKG = "lcdc_nb"
PAPERS = ("lcdc", "cfad", "dimofs", "filterbank")
# (importing paper, imported module below lcdc_nb): DiMoFs' LCDC-style field uses LCDC's deformable operator
ALLOWED_CROSS_PAPER = {("dimofs", "lcdc.deform")}
SKIP = {"_modidx.py"}


def module_name(path: Path, pkg_dir: Path) -> str:
    "`lcdc_nb.a.b` of lcdc_nb/a/b.py (`lcdc_nb.a` of lcdc_nb/a/__init__.py)."
    parts = list(path.relative_to(pkg_dir.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, pkg_dir: Path):
    "(line, imported module, imported name or None) for every import of the file, relative imports resolved."
    mod = module_name(path, pkg_dir)
    package = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            for a in node.names: yield node.lineno, a.name, None
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            for a in node.names:
                sub = f"{target}.{a.name}"   # `from .. import engine`: the name may be a module
                yield node.lineno, target, a.name, sub


def paper_of(module: str):
    "The paper package of `lcdc_nb.<paper>...`, else None."
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == PKG and parts[1] in PAPERS else None


def notebook_key(module: str, pkg_dir: Path):
    """Order of the notebook that exports `module`: (0, number) for shared, (1, paper, number) for a paper; None if
    unknown."""
    path = pkg_dir.parent.joinpath(*module.split(".")).with_suffix(".py")
    if not path.is_file(): return None
    m = re.search(r"File to edit: \S*?nbs/(?:(\w+)/)?(\d+[a-z]?)_", path.read_text()[:600])
    if m is None: return None
    folder, number = m.group(1), m.group(2)
    return (0, number) if folder is None else (1, folder, number)


def layout_violations(pkg_dir: Path) -> list[str]:
    "Every breach of rules (a)-(d) in the package folder `pkg_dir`, as 'file:line: message'."
    out = []
    for path in sorted(pkg_dir.rglob("*.py")):
        if path.name in SKIP: continue
        mod, here = module_name(path, pkg_dir), paper_of(module_name(path, pkg_dir))
        where = f"{path.relative_to(pkg_dir.parent)}"
        for line, target, *rest in imports(path, pkg_dir):
            name = rest[0] if rest else None
            # a `from pkg import module` names a module: judge the module it names
            if name is not None and pkg_dir.parent.joinpath(*rest[1].split(".")).with_suffix(".py").is_file():
                target, name = rest[1], None
            # the rules are about the package's own modules
            if target != PKG and not target.startswith(PKG + "."): continue
            if name is not None and name.startswith("_") and not name.startswith("__"):                      # (c)
                out.append(f"{where}:{line}: imports the private name {name} from {target}")
            other = paper_of(target)
            if other is not None and here is None:                                                              # (a)
                out.append(f"{where}:{line}: the shared module {mod} imports the paper package {target}")
            if other is not None and here is not None and other != here:                                        # (b)
                sub = target[len(PKG) + 1:]
                if (here, sub) not in ALLOWED_CROSS_PAPER:
                    out.append(
                        f"{where}:{line}: paper {here} imports {target} (allowed cross-paper imports: "
                        f"{sorted(ALLOWED_CROSS_PAPER)})"
                    )
            if any(p.startswith("_") and not p.startswith("__") for p in target.split(".")):                     # (c)
                out.append(f"{where}:{line}: imports the private module {target}")
            ka, kb = notebook_key(mod, pkg_dir), notebook_key(target, pkg_dir)
            # (d)
            if (
                ka is not None
                and kb is not None
                and target != mod
                and kb[0] == ka[0]
                and kb[:-1] == ka[:-1]
                and kb >= ka
            ):
                out.append(f"{where}:{line}: {mod} (notebook {ka}) imports {target} from a later notebook {kb}")
    return list(dict.fromkeys(out))   # one line per breach (a from-import of several names repeats the module checks)


def test_layout_rules():
    found = layout_violations(ROOT / PKG)
    assert not found, "import-rule violations:\n" + "\n".join(found)


def test_layout_rules_catch_planted_violations(tmp_path):
    "The checker is not vacuous: a copy of the package with one planted breach of each rule fails it, naming each."
    pkg = tmp_path / PKG
    shutil.copytree(ROOT / PKG, pkg, ignore=shutil.ignore_patterns("__pycache__"))
    assert layout_violations(pkg) == []
    # (b)/(c) private through the allowed pair
    plant = {
        "detection.py": "from .cfad.tubes import interp_boxes\n",                      # (a) shared -> paper
        "cfad/dense.py": "from ..filterbank.network import FilterBankNet\n",           # (b) paper -> another paper
        "dimofs/pose.py": "from ..lcdc.deform import _unused_private\n",
        "synth.py": "from .core import _private_helper\n",                              # (c) private name
        "clips.py": "from lcdc_nb.formats import DataFormatError\n",                    # (d) 04 imports 06
    }
    for f, line in plant.items():
        p = pkg / f; p.write_text(p.read_text() + line)
    found = "\n".join(layout_violations(pkg))
    assert "shared module lcdc_nb.detection imports the paper package lcdc_nb.cfad.tubes" in found, found
    assert "paper cfad imports lcdc_nb.filterbank.network" in found, found
    assert "private name _unused_private from lcdc_nb.lcdc.deform" in found, found
    assert "private name _private_helper from lcdc_nb.core" in found, found
    assert "lcdc_nb.clips (notebook (0, '04')) imports lcdc_nb.formats from a later notebook" in found, found
    assert len(layout_violations(pkg)) == 5, found
