"""The kernel zygote (parreport.batch.zygote): kernels forked from one warm process, in the environment and
folder of the process that asked, in sessions of their own, gone with that process or with the zygote; and
started the usual way when there is no zygote to ask. Real kernels, on Linux (the zygote forks)."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from jupyter_core.utils import run_sync

from parreport.batch import zygote
from parreport.batch.warm import WarmKernel

pytestmark = [pytest.mark.e2e,
              pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the zygote forks: Linux only")]


@pytest.fixture
def started():
    """This process's zygote, stopped (and its variable gone) after the test."""
    zygote.start()
    yield zygote._zygote
    zygote.stop()


def gone(pid: int, seconds: float = 15) -> bool:
    deadline = time.monotonic() + seconds
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    return not Path(f"/proc/{pid}").exists()


def kernel_facts(kernel: WarmKernel, path: Path) -> dict:
    """What the kernel says of itself, written by it into ``path``."""
    kernel.run("import json, os, sys\n"
               f"open({str(path)!r}, 'w').write(json.dumps({{'cwd': os.getcwd(), 'mark': os.environ.get('ZYGOTE_TEST'),"
               "'parent': os.environ.get('JPY_PARENT_PID'), 'pid': os.getpid(), 'pgid': os.getpgid(0),"
               "'sid': os.getsid(0), 'draw': __import__('numpy').random.random()}))")
    return json.loads(path.read_text())


def test_a_kernel_is_forked_by_the_zygote_in_the_askers_environment_and_a_session_of_its_own(
        started, tmp_path, monkeypatch):
    monkeypatch.setenv("ZYGOTE_TEST", "hỏi từ tiến trình này")  # set after the zygote started: the asker's own
    monkeypatch.chdir(tmp_path)
    kernel = WarmKernel("python3")
    try:
        process = kernel.manager.provisioner.forked
        assert isinstance(process, zygote.ForkedKernel) and kernel.manager.kernel_pid == process.pid
        stat = Path(f"/proc/{process.pid}/stat").read_text()
        assert int(stat[stat.rfind(")") + 2:].split()[1]) == started.pid  # the zygote's child, not ours
        facts = kernel_facts(kernel, tmp_path / "facts.json")
        assert facts["pid"] == process.pid == facts["pgid"] == facts["sid"]  # killable as a process group
        assert facts["mark"] == "hỏi từ tiến trình này" and facts["cwd"] == str(tmp_path)
        assert facts["parent"] == str(os.getpid())  # as jupyter_client tells a kernel the process driving it
        other = WarmKernel("python3")
        try:  # NumPy's global random state is each kernel's own, not the zygote's
            assert kernel_facts(other, tmp_path / "other.json")["draw"] != facts["draw"]
        finally:
            other.shutdown()
    finally:
        kernel.shutdown()
    assert gone(process.pid)


def test_a_forked_kernel_exits_when_the_process_that_asked_for_it_is_killed(started, tmp_path):
    """Nobody would stop it otherwise: its parent is the zygote, which lives on."""
    asker = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time\nfrom parreport.batch import zygote\n"
         f"command = [sys.executable, '-m', 'ipykernel_launcher', '-f', {str(tmp_path / 'k.json')!r}]\n"
         "print(zygote.fork_kernel(command, None, None).pid, flush=True)\ntime.sleep(600)"],
        stdout=subprocess.PIPE, text=True)
    pid = int(asker.stdout.readline())
    time.sleep(1)
    assert not gone(pid, 0)
    asker.kill()
    asker.wait()
    assert gone(pid)


def test_kernels_end_with_the_zygote_and_then_start_as_usual(started, tmp_path):
    kernel = WarmKernel("python3")
    forked = kernel.manager.provisioner.forked.pid
    try:
        os.kill(started.pid, signal.SIGKILL)
        assert gone(forked)  # ipykernel watches its parent
        assert not run_sync(kernel.manager.is_alive)()
    finally:
        kernel.shutdown()
    usual = WarmKernel("python3")  # the zygote's socket is still named, but nobody answers
    try:
        assert usual.manager.provisioner.forked is None
        assert isinstance(usual.manager.provisioner.process, subprocess.Popen)
        assert kernel_facts(usual, tmp_path / "facts.json")["pid"] == usual.manager.kernel_pid
    finally:
        usual.shutdown()
    folder = Path(os.environ[zygote.ZYGOTE_VARIABLE]).parent
    zygote.stop()
    assert not folder.exists()  # the killed zygote could not remove it; stopping it does


def test_only_this_interpreters_kernel_command_is_forked(started):
    assert zygote.fork_kernel(["python2", "-m", "ipykernel_launcher", "-f", "k.json"], None, None) is None
    assert zygote.fork_kernel([sys.executable, "-m", "other_kernel", "-f", "k.json"], None, None) is None


def test_a_batch_leaves_no_zygote(tmp_path):
    """Started with the workers, stopped when the batch's jobs are done."""
    code = ("import os\nfrom parreport.batch import zygote\nfrom parreport.batch.executors import Processes\n"
            "print(list(Processes(2).map(abs, [-1, -2])), zygote._zygote, zygote.ZYGOTE_VARIABLE in os.environ)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.split() == ["[(0,", "1),", "(1,", "2)]", "None", "False"] or \
        done.stdout.split() == ["[(1,", "2),", "(0,", "1)]", "None", "False"]


def test_a_new_zygote_removes_the_folders_of_starters_that_no_longer_run(tmp_path, monkeypatch):
    """A zygote killed together with its starter (SIGKILL to both) leaves its socket folder; the next start
    removes it, and leaves a running starter's and folders that are not a zygote's."""
    monkeypatch.setattr(zygote.tempfile, "tempdir", str(tmp_path))  # the temporary folder, for this test
    gone_starter = subprocess.Popen([sys.executable, "-c", "pass"])
    gone_starter.wait()
    orphan = tmp_path / f"{zygote.FOLDER_PREFIX}{gone_starter.pid}-abc"
    running = tmp_path / f"{zygote.FOLDER_PREFIX}{os.getpid()}-def"
    foreign = tmp_path / f"{zygote.FOLDER_PREFIX}notapid-ghi"
    for folder in (orphan, running, foreign):
        folder.mkdir()
        (folder / "socket").touch()
    zygote.start()
    try:
        assert not orphan.exists() and running.exists() and foreign.exists()
        assert Path(os.environ[zygote.ZYGOTE_VARIABLE]).parent.name.startswith(f"{zygote.FOLDER_PREFIX}{os.getpid()}-")
    finally:
        zygote.stop()
