"""Look-up tables kept between builds (pipeline/nlp/built_tables.py): the kept copy is read instead of a build,
never trusted when damaged, never of another version, and without a folder nothing is kept."""
import os

import pytest

from pipeline.nlp import built_tables


class Builds:
    def __init__(self, value):
        self.value, self.calls = value, 0

    def __call__(self):
        self.calls += 1
        return self.value


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.delenv(built_tables.ENV, raising=False)
    built_tables.use_folder(tmp_path / "tables")
    yield tmp_path / "tables"
    os.environ.pop(built_tables.ENV, None)


def test_without_a_folder_every_call_builds(monkeypatch):
    monkeypatch.delenv(built_tables.ENV, raising=False)
    build = Builds({"a": ("A", "AAA")})
    assert built_tables.kept("towns", build) == {"a": ("A", "AAA")}
    assert built_tables.kept("towns", build) == {"a": ("A", "AAA")}
    assert build.calls == 2


def test_a_kept_table_is_read_back_not_built(folder):
    value = {"kyiv": ("Kyiv", "UKR"), "geneva": ("Geneva", "CHE")}
    first = Builds(value)
    assert built_tables.kept("towns", first) == value and first.calls == 1
    again = Builds({"other": ("Other", "XXX")})  # what a build would give now is not asked for
    assert built_tables.kept("towns", again) == value and again.calls == 0
    assert [p.name for p in folder.iterdir()] == [f"towns-{built_tables.tables_version()}.pkl"]


def test_a_damaged_file_is_built_again_and_replaced(folder):
    built_tables.kept("towns", Builds({"x": 1}))
    (path,) = folder.iterdir()
    path.write_bytes(b"not a pickle")
    rebuilt = Builds({"x": 2})
    assert built_tables.kept("towns", rebuilt) == {"x": 2} and rebuilt.calls == 1
    assert built_tables.kept("towns", Builds({"x": 3})) == {"x": 2}


def test_a_file_of_another_version_is_never_read_and_is_removed(folder):
    folder.mkdir()
    (folder / "towns-0000000000000000.pkl").write_bytes(b"an older build's table")
    build = Builds(frozenset({"khan younis"}))
    assert built_tables.kept("towns", build) == frozenset({"khan younis"}) and build.calls == 1
    assert [p.name for p in folder.iterdir()] == [f"towns-{built_tables.tables_version()}.pkl"]


def test_a_folder_that_cannot_be_written_still_gives_the_table(tmp_path, monkeypatch):
    blocked = tmp_path / "a-file"
    blocked.write_text("a file where the folder would be")
    monkeypatch.setenv(built_tables.ENV, str(blocked / "tables"))
    build = Builds([1, 2, 3])
    assert built_tables.kept("towns", build) == [1, 2, 3]
    assert built_tables.kept("towns", build) == [1, 2, 3] and build.calls == 2


def test_the_city_gazetteer_read_back_is_the_one_built(folder):
    from pipeline.nlp import places

    built = places._built_cities()
    assert built_tables.kept("cities", places._built_cities) == built
    assert built_tables.kept("cities", lambda: pytest.fail("built again")) == built
