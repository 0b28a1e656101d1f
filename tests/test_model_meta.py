"""The extraction cache names the model from its package's meta.json, without loading it: the same name and version
as the loaded model's meta, so the cache's version is what loading the model gave."""
import sys

from pipeline.nlp.model import load_nlp, model_meta


def test_meta_file_names_the_loaded_model():
    meta, loaded = model_meta(), load_nlp().meta  # the model the cache version named before
    assert (meta["name"], meta["version"]) == (loaded["name"], loaded["version"])
    assert f"{meta.get('name')}-{meta.get('version')}" == f"{loaded.get('name')}-{loaded.get('version')}"


def test_extraction_version_loads_no_model(monkeypatch):
    from pipeline.nlp import cache, model
    cache.extraction_version.cache_clear()

    def refuse(*_args, **_kwargs):
        raise AssertionError("the model was loaded to name the cache's version")
    # replaced, not cleared: other modules' matchers are built on the loaded model's vocabulary
    monkeypatch.setattr(model, "load_stock_nlp", refuse)
    monkeypatch.setattr(model, "load_nlp", refuse)
    try:
        version = cache.extraction_version()
    finally:
        cache.extraction_version.cache_clear()
    assert len(version) == 16 and int(version, 16) >= 0
    assert "pipeline.nlp.model" in sys.modules
