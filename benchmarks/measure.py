"""Running one step as a subprocess: wall time and peak memory.

Peak memory is the larger of two figures. ru_maxrss (os.wait4's rusage, kilobytes
on Linux) is the peak of the largest single process among the child and the
descendants it waited for. The sum over the whole process tree, sampled with
psutil every 0.1 s, covers processes that run at the same time (our build forks
one for the search index); it counts PSS, so pages a forked child still shares
with its parent are not counted twice.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import psutil

MB = 1024 * 1024
# Seconds after which a step is killed (None: never); set by --step-timeout.
DEFAULT_TIMEOUT: float | None = None


class StepFailed(RuntimeError):
    def __init__(self, step: Step, tail: str) -> None:
        how = f"timed out after {step.seconds:.0f} s" if step.timed_out else f"exited with {step.returncode}"
        super().__init__(f"{' '.join(step.command)} {how}:\n{tail}")
        self.step = step


@dataclass
class Step:
    name: str
    command: list[str]
    seconds: float
    peak_rss_mb: float
    returncode: int
    user_s: float
    system_s: float
    log: str = ""
    timed_out: bool = False

    def as_dict(self) -> dict:
        data = asdict(self)
        data["seconds"] = round(self.seconds, 3)
        data["peak_rss_mb"] = round(self.peak_rss_mb, 1)
        data["user_s"] = round(self.user_s, 3)
        data["system_s"] = round(self.system_s, 3)
        return data


def run_step(
    name: str,
    command: list[str],
    *,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    log_dir: Path | None = None,
    check: bool = True,
    timeout: float | None = None,
) -> Step:
    """Run `command` to completion; its output goes to a log file, never to a pipe we must drain."""
    log_dir = log_dir or Path(os.environ.get("TMPDIR", "/tmp"))
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"{name}.log"
    full_env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
    with open(log_path, "wb") as log:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=full_env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        timeout = timeout or DEFAULT_TIMEOUT
        deadline = started + timeout if timeout else None
        timed_out = False
        tree_peak = 0
        try:
            while True:
                pid, status, usage = os.wait4(process.pid, os.WNOHANG)
                if pid:
                    break
                if deadline and time.perf_counter() > deadline:
                    timed_out = True
                    process.kill()
                    pid, status, usage = os.wait4(process.pid, 0)
                    break
                tree_peak = max(tree_peak, tree_memory(process.pid))
                time.sleep(0.1)
        except BaseException:  # interrupted: leave no step running behind us
            process.kill()
            process.wait()
            raise
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
    step = Step(
        name=name,
        command=[str(part) for part in command],
        seconds=seconds,
        peak_rss_mb=max(usage.ru_maxrss * 1024, tree_peak) / MB,
        returncode=process.returncode,
        user_s=usage.ru_utime,
        system_s=usage.ru_stime,
        log=str(log_path),
        timed_out=timed_out,
    )
    if check and step.returncode != 0:
        raise StepFailed(step, tail(log_path))
    return step


def tree_memory(pid: int) -> int:
    """Bytes of memory of `pid` and all its descendants now (PSS where the system gives it)."""
    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for process in processes:
        try:
            memory = process.memory_full_info()
        except psutil.AccessDenied:
            memory = process.memory_info()
        except psutil.Error:  # ended meanwhile
            continue
        total += getattr(memory, "pss", memory.rss)
    return total


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(Path(path).read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def python_command(*args: str) -> list[str]:
    return [sys.executable, *args]


def median(values) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def breakdown(folder: Path, top: int = 8) -> dict[str, int]:
    """Bytes per top-level folder (files at the root together), largest first."""
    sizes: dict[str, int] = {}
    if not folder.is_dir():
        return sizes
    for entry in folder.iterdir():
        key = f"{entry.name}/" if entry.is_dir() else "(root files)"
        sizes[key] = sizes.get(key, 0) + (tree_size(entry)[0] if entry.is_dir() else entry.stat().st_size)
    return dict(sorted(sizes.items(), key=lambda item: -item[1])[:top])


def tree_size(folder: Path) -> tuple[int, int]:
    """(bytes, files) under `folder`."""
    total = files = 0
    for root, _, names in os.walk(folder):
        for name in names:
            try:
                total += os.stat(os.path.join(root, name)).st_size
                files += 1
            except OSError:
                pass
    return total, files


def median_file_size(folder: Path, suffix: str = ".html") -> int | None:
    sizes = sorted(p.stat().st_size for p in folder.rglob(f"*{suffix}") if p.is_file()) if folder.is_dir() else []
    return sizes[len(sizes) // 2] if sizes else None
