"""The Dask path gives the same tables as the local process pool."""

import shutil

import pytest

from diplotext.cli import main
from diplotext.corpus import SEED_ARTICLE

pytest.importorskip("dask.distributed", reason="the dask extra is installed by `make test`")


def test_dask_local_cluster_equals_local_path(tmp_path, capsys):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for i in range(5):
        shutil.copy(SEED_ARTICLE, folder / f"seed_{i}.txt")
        shutil.copy(SEED_ARTICLE.with_suffix(".yml"), folder / f"seed_{i}.yml")
    (folder / "other.txt").write_text("Xi Jinping met Vladimir Putin in Samarkand on 15 September 2022.", encoding="utf-8")
    (folder / "broken.txt").write_bytes(b"\xff\xfe\xfd not utf-8 \x00")
    assert main(["analyze", str(folder), "--jobs", "2", "--out", str(tmp_path / "local")]) == 2
    assert main(["analyze", str(folder), "--dask", "local", "--out", str(tmp_path / "dask")]) == 2
    local_csvs = sorted(p.name for p in (tmp_path / "local").glob("*.csv"))
    assert local_csvs == sorted(p.name for p in (tmp_path / "dask").glob("*.csv"))
    assert "sentences.csv" in local_csvs
    for name in local_csvs:
        assert (tmp_path / "local" / name).read_bytes() == (tmp_path / "dask" / name).read_bytes(), name
    errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("error: ")]
    assert len(errors) == 2 and all("broken.txt" in line for line in errors)


def test_unreachable_scheduler_is_one_error(tmp_path, capsys):
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(SEED_ARTICLE, folder / "seed.txt")
    assert main(["analyze", str(folder), "--dask", "tcp://127.0.0.1:9", "--out", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err.startswith("error: cannot reach the Dask scheduler")
