"""pytest entry point: one test per component notebook (executed with nbdev's test runner, so every
inline test cell runs), and two per reproduction notebook, both through `lcdc-repro`: a run at smoke
scale, and a full-scale dry run (`--scale full --dry-run`: the paper's models and data pipeline, one
optimisation step and one evaluation batch, on the CPU).

Run from the checkout: `pytest -n 2 nbs` (the README's test command). Dry runs that take minutes on
2 CPU cores are marked `slow` and skipped by default (nbs/pytest.ini); `pytest -m slow nbs` runs them."""
import json, os
from pathlib import Path
import pytest

NBS = Path(__file__).resolve().parent
def _notebooks(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.ipynb") if not any(part.startswith(("_", ".")) for part in p.relative_to(NBS).parts))

REPRO = _notebooks(NBS/"repro")
COMPONENT = [p for p in _notebooks(NBS) if p not in REPRO]


def test_there_are_notebooks():
    assert COMPONENT and REPRO, f"no notebooks found under {NBS}"


@pytest.mark.parametrize("nb", COMPONENT, ids=lambda p: str(p.relative_to(NBS).with_suffix("")))
def test_component_notebook(nb, tmp_path, monkeypatch):
    "Execute every cell of the notebook (its inline tests); a failing cell fails the test."
    from nbdev.test import test_nb
    monkeypatch.setenv("LCDC_FIGURES", str(tmp_path/"figures"))  # tests never touch figures/
    monkeypatch.chdir(NBS)
    ok, secs = test_nb(nb, skip_flags=["slow", "cuda"], do_print=False, showerr=True, basepath=str(NBS.parent))
    assert ok, f"{nb.name} failed after {secs:.1f} s (the traceback is printed above)"


@pytest.mark.parametrize("nb", REPRO, ids=lambda p: p.stem)
def test_repro_notebook_smoke(nb, tmp_path):
    "Run the reproduction notebook through the runner at smoke scale on the CPU; it must write result rows."
    from lcdc_nb.runner import main
    out = tmp_path/"out"
    rc = main(["--nbs", str(nb.parent), "--only", nb.stem, "--out-dir", str(out),
               "--figures-dir", str(tmp_path/"figures"), "--device", "cpu", "--scale", "smoke", "--seed", "0"])
    assert rc == 0, f"{nb.name} failed: read {out/'notebooks'/nb.name}"
    rows = json.loads((out/f"{nb.stem}.json").read_text())
    assert rows and all(r["scale"] == "smoke" for r in rows), rows
    assert list((tmp_path/"figures").glob("*.png")) or not _writes_figures(nb), f"{nb.name} wrote no figure"


# Full-scale dry runs that take more than about a minute on 2 CPU cores (measured: see the README):
# marked slow, so the default test command skips them. A notebook not listed here is a cheap dry run.
SLOW_DRY_RUN = {"dimofs_finegrained", "dimofs_localisation", "pipeline_segmentation", "table3_ablation", "cfad_synth_ablations", "cfad_synth_vs_dense", "dimofs_pose", "dimofs_motion", "filterbank_tables", "filterbank_lcdc"}


@pytest.mark.parametrize("nb", [pytest.param(p, marks=pytest.mark.slow) if p.stem in SLOW_DRY_RUN else p for p in REPRO],
                         ids=lambda p: p.stem)
def test_repro_notebook_full_dry_run(nb, tmp_path):
    "Build the notebook's full-scale configuration on the CPU, one optimisation step and one evaluation batch; rows tagged as a dry run."
    from lcdc_nb.runner import main
    out = tmp_path/"out"
    rc = main(["--nbs", str(nb.parent), "--only", nb.stem, "--out-dir", str(out), "--figures-dir", str(tmp_path/"figures"),
               "--device", "cpu", "--scale", "full", "--dry-run", "--seed", "0"])
    assert rc == 0, f"{nb.name} failed its full-scale dry run: read {out/'notebooks'/nb.name}"
    rows = json.loads((out/f"{nb.stem}.json").read_text())
    assert rows and all(r["scale"] == "full-dry-run" for r in rows), rows


def _writes_figures(nb: Path) -> bool:
    return "save_figure(" in nb.read_text()
