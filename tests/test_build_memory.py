"""pipeline/build_memory.py: the build's run keeps no step output in memory, and freed pages go back."""
import dagster as dg
from dagster._core.execution import execute_in_process as module

from pipeline.build_memory import outputs_not_kept, return_free_memory


def _job():
    @dg.asset
    def numbers():
        return list(range(1000))

    @dg.asset
    def total(numbers):
        return sum(numbers)

    return dg.Definitions(assets=[numbers, total]).resolve_implicit_global_asset_job_def()


def test_outputs_are_not_kept_inside_the_block_and_are_again_after():
    original = module.core_execute_in_process
    with outputs_not_kept():
        result = _job().execute_in_process()
        assert result.success
        assert dict(result._output_capture) == {}  # the values went through the IO manager only
    assert module.core_execute_in_process is original
    assert _job().execute_in_process().output_for_node("total") == sum(range(1000))


def test_the_switch_is_undone_when_the_run_raises():
    original = module.core_execute_in_process
    try:
        with outputs_not_kept():
            raise RuntimeError("a failed build")
    except RuntimeError:
        pass
    assert module.core_execute_in_process is original


def test_returning_free_memory_changes_no_object():
    kept = [str(i) * 10 for i in range(10_000)]
    del kept[::2]
    return_free_memory()
    assert len(kept) == 5_000 and kept[0] == "1" * 10
