"""Issue 20's end-to-end check of the real-data path, on the layout-faithful fakes the package writes itself:
`lcdc-data fake DIR`, `lcdc-data check all --data-root DIR`, then `lcdc-repro --data real --data-root DIR --scale full
--dry-run --device cpu` over the reproduction notebooks that declare a `data` parameter, one per distinct loader (the
`build = ...` line of its real-data cell; several notebooks share one). Each must reach its dataset's lazy loader
(check, build, decode one sample) and stop with `RealDataNotWired`, which a dry run counts as success; the summary
names each dataset as `fake`. Nothing is downloaded."""


def real_data_loaders() -> dict[str, str]:
    "{build line: the first notebook using it} over the notebooks that declare `data`; every one must have a build."
    out = {}
    for nb in find_notebooks(repro_dir()):
        if "data" not in declared_parameters(nb): continue
        text = "\n".join(c.source for c in nbformat.read(nb, as_version=4).cells if c.cell_type == "code")
        build = re.search(r"^\s*build = (.+)$", text, re.M)
        assert build and "reach_real_loader(" in text, f"{nb.name} declares `data` but has no real-data loader cell"
        out.setdefault(build.group(1).strip(), nb.stem)
    return out
import contextlib, io, re
import nbformat
from lcdc_nb.data.catalog import main as lcdc_data
from lcdc_nb.runner import declared_parameters, find_notebooks, main as lcdc_repro, repro_dir


def test_real_data_dry_run_reaches_every_loader(tmp_path):
    root = tmp_path/"root"
    with contextlib.redirect_stdout(io.StringIO()):
        assert lcdc_data(["fake", str(root)]) == 0
    with contextlib.redirect_stdout(io.StringIO()) as out:
        assert lcdc_data(["check", "all", "--data-root", str(root)]) == 0, out.getvalue()
    wired = sorted(set(real_data_loaders().values()))
    assert len(wired) >= 7, wired   # 50 Salads, UCF101-24, JHMDB, PoseTrack train and val pairs, Diving48, Kinetics
    with contextlib.redirect_stdout(io.StringIO()) as out:
        rc = lcdc_repro(["--data", "real", "--data-root", str(root), "--scale", "full", "--dry-run", "--device", "cpu",
                         "--out-dir", str(tmp_path/"out"), "--only", *wired])
    assert rc == 0, out.getvalue()[-3000:]
    summary = (tmp_path/"out"/"summary.md").read_text()
    for name in wired:
        line = next(l for l in summary.splitlines() if l.startswith(f"| {name} |"))
        assert "| ok |" in line and "(fake) at" in line and "samples, item 0 decoded" in line, line


def test_real_data_without_a_dataset_stops_before_training(tmp_path):
    "An empty data root: --data real stops with an error naming the dataset and where to get it, never synthetic."
    (tmp_path/"empty").mkdir()
    with contextlib.redirect_stdout(io.StringIO()) as out, contextlib.redirect_stderr(io.StringIO()):
        rc = lcdc_repro(["--data", "real", "--data-root", str(tmp_path/"empty"), "--out-dir", str(tmp_path/"out"),
                         "--only", "table3_ablation"])
    assert rc == 1
    text = out.getvalue()
    assert "FAIL  table3_ablation.ipynb" in text and "50salads" in text, text[-2000:]
    assert not (tmp_path/"out"/"table3_ablation.json").exists()   # no synthetic rows were written
