"""pipeline/pickle_file.write: a cache file is replaced whole or not at all, and a failed write leaves nothing."""
import pytest

from pipeline import pickle_file


def test_a_write_that_fails_leaves_the_old_file_and_no_temporary_file(tmp_path):
    path = tmp_path / "cache" / "v1.pkl"
    pickle_file.write(path, {"a": 1})
    with pytest.raises(Exception):
        pickle_file.write(path, {"b": lambda: None})  # a lambda cannot be pickled: the write stops half-way
    assert pickle_file.load_dict(path) == {"a": 1}
    assert [p.name for p in path.parent.iterdir()] == ["v1.pkl"]
