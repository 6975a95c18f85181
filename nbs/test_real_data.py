"""The real-data reproductions (notebooks tagged `real-data`), end to end on the layout-faithful fakes the package
writes itself: `lcdc-data fake DIR` (all nine datasets, once per test worker), `lcdc-data check all`, then for each
real-data notebook `lcdc-repro --data real --data-root DIR` at smoke scale (every row tagged `fake`, never `real`)
and at `--scale full --dry-run` (the paper's configuration built, one step, one evaluation batch). An empty data root
stops a real run before training, naming the dataset. Nothing is downloaded."""
import contextlib, io, json
from pathlib import Path
import pytest
from lcdc_nb.data.catalog import main as lcdc_data
from lcdc_nb.runner import main as lcdc_repro, notebook_flags
from test_notebooks import ALL_REPRO, runs_on_real_data

REAL = [p for p in ALL_REPRO if runs_on_real_data(p)]


@pytest.fixture(scope="session")
def fake_root(tmp_path_factory) -> Path:
    "Fakes of all nine datasets (one copy per test worker); `lcdc-data check all` must pass on them."
    root = tmp_path_factory.mktemp("fake")/"root"
    with contextlib.redirect_stdout(io.StringIO()):
        assert lcdc_data(["fake", str(root)]) == 0
    with contextlib.redirect_stdout(io.StringIO()) as out:
        assert lcdc_data(["check", "all", "--data-root", str(root)]) == 0, out.getvalue()
    return root


def run_real(nb: Path, root: Path, out: Path, *extra: str) -> list[dict]:
    "Run one real-data notebook on `root` through `lcdc-repro`; its result rows."
    with contextlib.redirect_stdout(io.StringIO()) as log:
        rc = lcdc_repro(["--nbs", str(nb.parent), "--only", nb.stem, "--data", "real", "--data-root", str(root),
                         "--out-dir", str(out), "--figures-dir", str(out/"figures"), "--device", "cpu", "--seed", "0",
                         *extra])
    assert rc == 0, f"{nb.name} failed: read {out/'notebooks'/nb.name}\n{log.getvalue()[-3000:]}"
    return json.loads((out/f"{nb.stem}.json").read_text())


def test_there_are_real_data_notebooks():
    assert len({p.parent.name for p in REAL}) == 4, REAL   # one or more per paper


@pytest.mark.parametrize("nb", REAL, ids=lambda p: p.stem)
def test_real_notebook_smoke_on_fakes(nb, fake_root, tmp_path):
    rows = run_real(nb, fake_root, tmp_path/"out", "--scale", "smoke")
    assert rows and all(r["source"] == "fake" and r["scale"] == "smoke" for r in rows), rows


@pytest.mark.parametrize(
    "nb", [pytest.param(p, marks=pytest.mark.slow) if "slow-dry-run" in notebook_flags(p) else p for p in REAL],
    ids=lambda p: p.stem)
def test_real_notebook_full_dry_run_on_fakes(nb, fake_root, tmp_path):
    rows = run_real(nb, fake_root, tmp_path/"out", "--scale", "full", "--dry-run")
    assert rows and all(r["source"] == "fake" and r["scale"] == "full-dry-run" for r in rows), rows


def test_real_data_without_a_dataset_stops_before_training(tmp_path):
    "An empty data root: --data real stops with an error naming the dataset and where to get it, never synthetic."
    (tmp_path/"empty").mkdir()
    with contextlib.redirect_stdout(io.StringIO()) as out, contextlib.redirect_stderr(io.StringIO()):
        rc = lcdc_repro(["--data", "real", "--data-root", str(tmp_path/"empty"), "--out-dir", str(tmp_path/"out"),
                         "--only", "real_lcdc"])
    assert rc == 1
    text = out.getvalue()
    assert "FAIL  real_lcdc.ipynb" in text and "50salads" in text, text[-2000:]
    assert not (tmp_path/"out"/"real_lcdc.json").exists()   # no rows were written
