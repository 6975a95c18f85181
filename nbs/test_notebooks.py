"""pytest entry point: one test per component notebook (executed with nbdev's test runner, so every
inline test cell runs), and two per synthetic reproduction notebook, both through `lcdc-repro`: a run at smoke
scale, and a full-scale dry run (`--scale full --dry-run`: the paper's models and data pipeline, one
optimisation step and one evaluation batch, on the CPU).

Run from the checkout: `pytest` (the README's test command; `pytest.ini` at the root adds `-n 2` and
skips tests marked `slow`). A reproduction notebook whose full-scale dry run takes minutes on 2 CPU
cores says so itself: its `parameters` cell is tagged `slow-dry-run` (`lcdc_nb.runner.notebook_flags`),
and that dry run is marked `slow`; `pytest -m slow` runs only those, `pytest -m ""` everything.

Each component notebook runs in its own Python process, so one notebook cannot change another's
global state (torch's thread count, default dtype, grad mode, ...), and is killed after
`COMPONENT_TIMEOUT` seconds (env `LCDC_NB_TIMEOUT`), failing with the notebook's name."""
import json, os, signal, subprocess, sys
from pathlib import Path
import pytest
from lcdc_nb.runner import notebook_flags, runs_on_real_data

NBS = Path(__file__).resolve().parent
def _notebooks(folder: Path) -> list[Path]:
    return sorted(
        p for p in folder.rglob("*.ipynb") if not any(part.startswith(("_", ".")) for part in p.relative_to(NBS).parts)
    )

ALL_REPRO = _notebooks(NBS/"repro")
COMPONENT = [p for p in _notebooks(NBS) if p not in ALL_REPRO]
REPRO = [p for p in ALL_REPRO if not runs_on_real_data(p)]   # the real-data ones: nbs/test_real_data.py
COMPONENT_TIMEOUT = float(os.environ.get("LCDC_NB_TIMEOUT", 900))   # seconds per component notebook


def test_there_are_notebooks():
    assert COMPONENT and REPRO, f"no notebooks found under {NBS}"


# nbdev's test runner, in a fresh interpreter: argv = notebook, path to put on sys.path
_RUN_NB = """import sys
from pathlib import Path
from nbdev.test import test_nb
ok, secs = test_nb(Path(sys.argv[1]), skip_flags=["slow", "cuda"], do_print=False, showerr=True, basepath=sys.argv[2])
sys.exit(0 if ok else 1)"""

def run_component_notebook(nb: Path, timeout: float, env: dict | None = None) -> tuple[bool, str]:
    """Run every cell of `nb` in its own Python process; (passed, its output). Raises TimeoutError naming `nb` after
    `timeout` s."""
    proc = subprocess.Popen([sys.executable, "-c", _RUN_NB, str(nb), str(NBS.parent)], cwd=NBS, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)   # the notebook's own workers too
        proc.communicate()
        raise TimeoutError(f"{nb.name} timed out: still running after {timeout:g} s") from None
    return proc.returncode == 0, out


@pytest.mark.parametrize("nb", COMPONENT, ids=lambda p: str(p.relative_to(NBS).with_suffix("")))
def test_component_notebook(nb, tmp_path):
    "Execute every cell of the notebook (its inline tests) in a fresh process; a failing cell fails the test."
    env = dict(os.environ, LCDC_FIGURES=str(tmp_path/"figures"))   # tests never touch figures/
    ok, out = run_component_notebook(nb, COMPONENT_TIMEOUT, env)
    print(out)   # pytest shows it for a failing test
    assert ok, f"{nb.name} failed (its output and traceback are printed above):\n{out[-3000:]}"


def _tiny_nb(path: Path, *sources: str) -> Path:
    import nbformat
    from nbformat.v4 import new_notebook, new_code_cell
    nbformat.write(new_notebook(cells=[new_code_cell(s) for s in sources]), path)
    return path

def test_component_notebook_timeout(tmp_path):
    "A notebook that runs past its limit is killed, and the failure names it."
    import time
    t0 = time.perf_counter()
    with pytest.raises(TimeoutError, match=r"sleeper\.ipynb timed out"):
        run_component_notebook(_tiny_nb(tmp_path/"sleeper.ipynb", "import time; time.sleep(120)"), timeout=5)
    assert time.perf_counter() - t0 < 60

def test_component_notebooks_do_not_share_state(tmp_path):
    "A notebook that changes torch's thread count leaves the next notebook's as a fresh process has it."
    fresh = int(subprocess.run([sys.executable, "-c", "import torch; print(torch.get_num_threads())"],
                               capture_output=True, text=True, check=True).stdout)
    seen = tmp_path/"threads.txt"
    setter = _tiny_nb(tmp_path/"setter.ipynb", f"import torch; torch.set_num_threads({fresh + 3})")
    reader = _tiny_nb(
        tmp_path / "reader.ipynb", f"import torch; open({str(seen)!r}, 'w').write(str(torch.get_num_threads()))"
    )
    for nb in (setter, reader):
        ok, out = run_component_notebook(nb, timeout=120)
        assert ok, out
    assert int(seen.read_text()) == fresh


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


# A full-scale dry run that takes more than about a minute on 2 CPU cores is marked slow (the notebook's
# `slow-dry-run` tag), so the default test command skips it.
@pytest.mark.parametrize(
    "nb",
    [pytest.param(p, marks=pytest.mark.slow) if "slow-dry-run" in notebook_flags(p) else p for p in REPRO],
    ids=lambda p: p.stem,
)
def test_repro_notebook_full_dry_run(nb, tmp_path):
    """Build the notebook's full-scale configuration on the CPU, one optimisation step and one evaluation batch; rows
    tagged as a dry run."""
    from lcdc_nb.runner import main

    out = tmp_path / "out"
    rc = main(
        [
            "--nbs",
            str(nb.parent),
            "--only",
            nb.stem,
            "--out-dir",
            str(out),
            "--figures-dir",
            str(tmp_path / "figures"),
            "--device",
            "cpu",
            "--scale",
            "full",
            "--dry-run",
            "--seed",
            "0",
        ]
    )
    assert rc == 0, f"{nb.name} failed its full-scale dry run: read {out / 'notebooks' / nb.name}"
    rows = json.loads((out / f"{nb.stem}.json").read_text())
    assert rows and all(r["scale"] == "full-dry-run" for r in rows), rows


def _writes_figures(nb: Path) -> bool:
    return "save_figure(" in nb.read_text()
