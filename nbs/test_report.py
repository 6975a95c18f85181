"""The committed README status table, results pages and figures/ are what `lcdc-repro report` builds from results/;
a hand edit is caught; a quick-start run and an interactive run of a reproduction notebook leave the checkout
unchanged."""
import shutil, subprocess, sys
from pathlib import Path
import pytest
from lcdc_nb.runner import main, report

ROOT = Path(__file__).resolve().parent.parent


def _git_status(root: Path) -> str:
    return subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=root, capture_output=True,
                          text=True, check=True).stdout


def _copy_checkout(tmp: Path) -> Path:
    "README.md, results/ and figures/ of the checkout in a temporary folder: what `report` reads and writes."
    dst = tmp/"checkout"; dst.mkdir()
    shutil.copy(ROOT/"README.md", dst/"README.md")
    for d in ("results", "figures"): shutil.copytree(ROOT/d, dst/d)
    return dst


def test_report_check_passes_on_the_checkout(capsys):
    "The committed pages and figures are exactly what `lcdc-repro report` produces."
    rc = main(["report", "--check", "--root", str(ROOT)])
    assert rc == 0, f"lcdc-repro report --check failed:\n{capsys.readouterr().err}"


@pytest.mark.parametrize("edit", ["page", "readme", "figure", "stale figure"])
def test_report_check_fails_after_an_edit(tmp_path, capsys, edit):
    "Editing a generated file (or leaving a figure that no record names) makes --check exit 1, naming the file."
    root = _copy_checkout(tmp_path)
    assert report(root, check=True) == []
    target = {"page": root/"results"/"lcdc"/"README.md", "readme": root/"README.md",
              "figure": sorted((root/"figures").glob("*.png"))[0], "stale figure": root/"figures"/"smoke_run.png"}[edit]
    if edit == "page": target.write_text(target.read_text().replace("| held |", "| not held |", 1))
    elif edit == "readme": target.write_text(target.read_text().replace("| no run |", "| held |", 1))
    else: target.write_bytes(b"not the recorded figure")
    assert main(["report", "--check", "--root", str(root)]) == 1
    assert f"differs: {target.relative_to(root).as_posix()}" in capsys.readouterr().err
    main(["report", "--root", str(root)])                                  # report repairs it
    assert report(root, check=True) == []


def _clean_env(monkeypatch):
    monkeypatch.delenv("LCDC_FIGURES", raising=False)


def test_quick_start_leaves_the_checkout_unchanged(monkeypatch):
    "`lcdc-repro --only fig03_receptive_fields` with default dirs, from the checkout root: git status does not change."
    _clean_env(monkeypatch)
    before = _git_status(ROOT)
    r = subprocess.run([sys.executable, "-c", "import sys; from lcdc_nb.runner import main; "
                        "sys.exit(main(['--only', 'fig03_receptive_fields', '--device', 'cpu']))"],
                       cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    assert (ROOT/"repro_out"/"records"/"fig03_receptive_fields.json").exists()
    assert _git_status(ROOT) == before


def test_interactive_run_leaves_the_checkout_unchanged(monkeypatch):
    """A reproduction notebook run with its own default parameters in its folder (as Jupyter would) writes under
    repro_out/."""
    import papermill as pm
    _clean_env(monkeypatch)
    nb = ROOT/"nbs"/"repro"/"lcdc"/"fig03_receptive_fields.ipynb"
    before = _git_status(ROOT)
    out = ROOT/"repro_out"/"interactive"/nb.name
    out.parent.mkdir(parents=True, exist_ok=True)
    pm.execute_notebook(
        str(nb), str(out), parameters={"device": "cpu"}, cwd=str(nb.parent), progress_bar=False, kernel_name="python3"
    )
    assert (ROOT/"repro_out"/"fig03_receptive_fields.json").exists()
    assert _git_status(ROOT) == before
