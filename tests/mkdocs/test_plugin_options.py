"""The plugin's options, declared with MkDocs' config classes, are the ones `okrsite check` reads: same names, same defaults."""

from __future__ import annotations

from okrsite.mkdocs.plugin import OkrsiteConfig
from okrsite.sources.site_config import Options


def test_the_plugin_and_check_know_the_same_options_with_the_same_defaults() -> None:
    plugin = OkrsiteConfig()
    plugin.load_dict({})
    failed, warnings = plugin.validate()
    assert failed == [] and warnings == []
    defaults = {name: info.default for name, info in Options.model_fields.items()}
    assert list(plugin) == list(defaults)
    assert {name: plugin[name] for name in plugin} == {
        name: list(value) if isinstance(value, tuple) else value for name, value in defaults.items()
    }
