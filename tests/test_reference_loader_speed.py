"""The reference files read with libyaml's loader give exactly what PyYAML's pure-Python safe loader gives."""
import yaml

from pipeline.reference import PACKAGED, SAFE_LOADER


def test_fast_loader_reads_every_reference_file_as_the_safe_loader_does():
    files = sorted(PACKAGED.glob("*.yaml"))
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert repr(yaml.load(text, Loader=SAFE_LOADER)) == repr(yaml.safe_load(text)), path.name


def test_fast_loader_is_a_safe_loader():
    assert issubclass(SAFE_LOADER, yaml.SafeLoader) or SAFE_LOADER.__name__ == "CSafeLoader"
    try:
        yaml.load("!!python/object/apply:os.system ['true']", Loader=SAFE_LOADER)
    except yaml.constructor.ConstructorError:
        return
    raise AssertionError("the loader built a Python object from a tag")
