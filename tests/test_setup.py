"""The set-up the README promises: `make` and `make test` install what they need through
tools/system-deps, which installs only what is missing, or says exactly what to install."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT
from external import SYSTEM_TOOLS

SCRIPT = ROOT / "tools" / "system-deps"


def fake_machine(tmp_path: Path, uid: int, with_apt: bool) -> dict[str, str]:
    """A PATH holding only the shell's basics (no java, node, npm, pdftoppm...), an `id` that
    answers `uid`, and an apt-get that records being called instead of installing anything."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("bash", "grep"):
        (bin_dir / tool).symlink_to(shutil.which(tool))
    (bin_dir / "id").write_text(f"#!/bin/bash\necho {uid}\n")
    if with_apt:
        (bin_dir / "apt-get").write_text(f'#!/bin/bash\necho "$@" >> {tmp_path / "apt-calls"}\nexit 0\n')
    for script in bin_dir.iterdir():
        if not script.is_symlink():
            script.chmod(0o755)
    return {"PATH": str(bin_dir), "HOME": str(tmp_path)}


def run_script(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [shutil.which("bash"), str(SCRIPT), *args], capture_output=True, text=True, env=env, timeout=60
    )


def test_not_root_gets_one_list_of_what_to_install_and_a_failure(tmp_path):
    env = fake_machine(tmp_path, uid=1000, with_apt=True)
    result = run_script(env, "test")
    assert result.returncode == 1
    assert "java (Debian package default-jre-headless): EPUBCheck, which checks the EPUB" in result.stderr
    assert "pdftoppm (Debian package poppler-utils)" in result.stderr
    install = re.search(r"sudo apt-get install (.+)", result.stderr).group(1).split()
    assert install == sorted(set(install), key=install.index)  # each package once
    assert {"default-jre-headless", "poppler-utils", "nodejs", "npm"} <= set(install)
    assert not (tmp_path / "apt-calls").exists()


def test_root_with_apt_get_installs_only_what_is_missing(tmp_path):
    env = fake_machine(tmp_path, uid=0, with_apt=True)
    result = run_script(env, "test")
    calls = (tmp_path / "apt-calls").read_text().splitlines()
    assert calls[0] == "update -qq"
    installed = calls[1].split()
    assert installed[:3] == ["install", "-y", "-qq"]
    assert {"default-jre-headless", "poppler-utils", "nodejs", "npm"} <= set(installed)
    # The stand-in apt-get installs nothing, so the script must notice and fail, naming what is still missing.
    assert result.returncode == 1 and "still missing" in result.stderr and "java" in result.stderr


def test_no_apt_get_names_the_tools_for_another_package_manager(tmp_path):
    env = fake_machine(tmp_path, uid=0, with_apt=False)
    result = run_script(env, "test")
    assert result.returncode == 1
    assert "not a Debian-based system" in result.stderr and "java" in result.stderr


def test_building_needs_fewer_packages_than_testing(tmp_path):
    env = fake_machine(tmp_path, uid=1000, with_apt=True)
    result = run_script(env, "build")
    assert "chromium" not in result.stderr and "poppler" not in result.stderr
    assert "default-jre-headless" in result.stderr  # EPUBCheck runs inside a build: its EPUB's guarantee


def test_a_wrong_group_is_a_usage_error(tmp_path):
    assert run_script(fake_machine(tmp_path, uid=0, with_apt=True), "everything").returncode == 2


def test_every_program_the_tests_need_is_installed_by_the_script():
    script = SCRIPT.read_text()
    for tool, (package, _) in SYSTEM_TOOLS.items():
        if package == "coreutils":  # on every Debian system
            continue
        assert re.search(rf":{re.escape(tool)}\b.*\b{re.escape(package)}\b", script) or (
            tool == "chromium" and "/usr/bin/chromium" in script
        ), f"{tool} ({package}) is used by the tests but tools/system-deps does not install it"


def test_make_calls_the_script_and_ci_runs_only_the_readme_test_command():
    makefile = (ROOT / "Makefile").read_text()
    assert "tools/system-deps build" in makefile and "tools/system-deps test" in makefile
    ci = [line for line in (ROOT / ".ci" / "run").read_text().splitlines() if line and not line.startswith("#")]
    assert ci[-1].startswith("make test") and not any("apt-get" in line or "pip " in line for line in ci)
    assert "make test" in (ROOT / "README.md").read_text()
    assert os.access(SCRIPT, os.X_OK)


@pytest.mark.parametrize("target", ["test", "test-fast"])
def test_make_targets_exist(target):
    result = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
