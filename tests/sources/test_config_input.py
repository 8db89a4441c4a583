"""A careless mkdocs.yml never gives a traceback: every command answers with a message and an exit code."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from okrsite.commands.cli import main

from ..conftest import ACME, write_repo

BASE = "site_name: Acme OKRs\ntheme: {name: material}\n"
CARELESS = {
    "empty file": "",
    "only a separator": "---\n",
    "a list": "- site_name\n- okrsite\n",
    "a number": "5\n",
    "not YAML": "site_name: [Acme\n",
    "not UTF-8": b"site_name: Acme \xff\nplugins: [okrsite]\n",
    "plugins a number": BASE + "plugins: 5\n",
    "plugins a mapping of okrsite": BASE + "plugins:\n  okrsite: {content: content}\n",
    "okrsite options a number": BASE + "plugins:\n  - okrsite: 3\n",
    "content a list": BASE + "plugins:\n  - okrsite: {content: [a, b]}\n",
    "content outside": BASE + "plugins:\n  - okrsite: {content: ../../../../nowhere}\n",
    "templates a number": BASE + "plugins:\n  - okrsite: {templates: 5}\n",
    "health a list": BASE + "plugins:\n  - okrsite: {health: [1, 2]}\n",
    "health threshold text": BASE + "plugins:\n  - okrsite: {health: {max_objectives: many}}\n",
    "health unknown key": BASE + "plugins:\n  - okrsite: {health: {max_objective: 3}}\n",
    "as_of a number": BASE + "plugins:\n  - okrsite: {as_of: 5}\n",
    "as_of a list": BASE + "plugins:\n  - okrsite: {as_of: [2026-05-18]}\n",
    "allowed_hosts a number": BASE + "plugins:\n  - okrsite: {allowed_hosts: 5}\n",
    "unknown option": BASE + "plugins:\n  - okrsite: {contnet: content}\n",
    "docs_dir a number": BASE + "docs_dir: 5\nplugins: [okrsite]\n",
    "site_dir a list": BASE + "site_dir: [a]\nplugins: [okrsite]\n",
    "theme a number": "site_name: Acme\ntheme: 5\nplugins: [okrsite]\n",
    "font a number": "site_name: Acme\ntheme: {name: material, font: {text: 5}}\nplugins: [okrsite]\n",
    "extension options a number": BASE + "markdown_extensions:\n  - pymdownx.emoji: 5\nplugins: [okrsite]\n",
    "repo_url a number": BASE + "repo_url: 5\nplugins: [okrsite]\n",
    "use_directory_urls text": BASE + "use_directory_urls: sometimes\nplugins: [okrsite]\n",
    "extra_css a number": BASE + "extra_css: 5\nplugins: [okrsite]\n",
    "an unknown tag": BASE + "site_url: !Ref x\nplugins: [okrsite]\n",
    "a python tag": BASE + "hooks: !!python/object/apply:os.system [echo pwned]\nplugins: [okrsite]\n",
    "deep nesting": BASE + "extra: " + "[" * 5000 + "]" * 5000 + "\nplugins: [okrsite]\n",
}


@pytest.mark.parametrize("name", list(CARELESS))
def test_a_careless_mkdocs_yml_gets_a_message_not_a_traceback(tmp_path, name, monkeypatch):
    root = write_repo(tmp_path / "s", {k: v for k, v in ACME.items() if k != "mkdocs.yml"})
    text = CARELESS[name]
    (root / "mkdocs.yml").write_bytes(text if isinstance(text, bytes) else text.encode())
    monkeypatch.chdir(root)
    for command in (["check"], ["build", "--as-of", "2026-05-18"]):
        result = CliRunner().invoke(main, command)  # an exception that escapes the command is what a user would see as a traceback
        assert result.exception is None or isinstance(result.exception, SystemExit), (command, result.exception)
        assert result.exit_code in (0, 1, 2), (command, result.exit_code)
        if result.exit_code:
            assert result.stderr.strip(), command  # a message says why
    assert not (tmp_path / "pwned").exists()
