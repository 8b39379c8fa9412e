"""`kg build --dask`: extraction on a Dask distributed cluster (a real LocalCluster with two worker
processes), the graph assembled and written here; the output is byte-identical to a local build."""

from __future__ import annotations

from pathlib import Path

import pytest

distributed = pytest.importorskip("dask.distributed")

from kg.build import BuildError, build  # noqa: E402
from kg.executor import DaskExecutor  # noqa: E402

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=":0",
                                  silence_logs=50) as local:
        yield local


@pytest.mark.slow
def test_dask_build_is_byte_identical_to_the_local_build(cluster, seed_build, tmp_path):
    result = build([SEEDS], tmp_path, views=False, progress=False, dask=cluster.scheduler_address)
    assert result.ok, result.summary()
    assert (tmp_path / "graph.ttl").read_bytes() == (seed_build.out / "graph.ttl").read_bytes()
    assert [r.document.name for r in result.reports] == [r.document.name for r in seed_build.reports]


def test_dask_workers_get_documents_and_failures_stay_per_report(cluster, tmp_path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    text = (SEEDS / "shilong-2024.txt").read_text(encoding="utf-8")[:3000]
    (corpus / "a-2024.txt").write_text(text, encoding="utf-8")
    (corpus / "b-2024.txt").write_bytes(b"")  # empty: cannot be read
    (corpus / "c-2024.txt").write_text(text.replace("石龙区", "卫东区"), encoding="utf-8")
    executor = DaskExecutor(cluster.scheduler_address)
    try:
        remote = build([corpus], tmp_path / "dask", views=False, progress=False, executor=executor)
        # the unreadable report failed on the client; only the two readable ones went to the cluster
        assert executor.tasks == 2
    finally:
        executor.close()
    local = build([corpus], tmp_path / "local", views=False, progress=False)
    assert [str(f) for f in remote.failures] == [str(f) for f in local.failures] and len(local.failures) == 1
    assert (tmp_path / "dask" / "graph.ttl").read_bytes() == (tmp_path / "local" / "graph.ttl").read_bytes()


def test_unreachable_scheduler_is_a_one_line_build_error(tmp_path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "a-2024.txt").write_text("政府工作报告\n各位代表：\n全年建成投产工业项目7个。\n", encoding="utf-8")
    with pytest.raises(BuildError, match="Dask scheduler at tcp://127.0.0.1:9"):
        build([corpus], tmp_path / "out", views=False, progress=False,
              executor=DaskExecutor("tcp://127.0.0.1:9", timeout=1))
