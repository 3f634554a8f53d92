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
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil

MB = 1024 * 1024
GB = 1024 * MB
# What a program prints when an allocation fails (Rust, Go, Python, C++).
ALLOCATION_FAILED = ("memory allocation of", "out of memory", "cannot allocate memory", "MemoryError", "bad_alloc")
# Seconds after which a step is killed (None: never); set by --step-timeout.
DEFAULT_TIMEOUT: float | None = None


class StepFailed(RuntimeError):
    def __init__(self, step: Step, tail: str) -> None:
        super().__init__(f"{' '.join(step.command)} {step.failure}:\n{tail}")
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
    memory_cap_gb: float | None = None
    started_at: float = 0.0  # time.time() when it started, to place its files' mtimes in its run
    failure: str | None = None  # why it did not finish, see failure_reason()
    # (seconds since the start, MB of the process tree): kept out of the JSON, read by stage_peaks()
    samples: list[tuple[float, float]] = field(default_factory=list, repr=False)

    def as_dict(self) -> dict:
        data = asdict(self)
        del data["samples"]
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
    memory_cap_gb: float | None = None,
) -> Step:
    """Run `command` to completion; its output goes to a log file, never to a pipe we must drain.

    With `check`, a failed step raises StepFailed; without it, step.failure says why it failed."""
    log_dir = log_dir or Path(os.environ.get("TMPDIR", "/tmp"))
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"{name}.log"
    full_env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
    with open(log_path, "wb") as log:
        started_at = time.time()
        started = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=cwd, env=full_env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            preexec_fn=_address_space_cap(memory_cap_gb) if memory_cap_gb else None,
        )
        timeout = timeout or DEFAULT_TIMEOUT
        deadline = started + timeout if timeout else None
        timed_out = False
        samples: list[tuple[float, float]] = []
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
                now = time.perf_counter() - started
                samples.append((round(now, 3), tree_memory(process.pid) / MB))
                # Woken at the deadline, not after it: a step that ends past its limit is stopped.
                time.sleep(min(0.1, max(0.0, deadline - time.perf_counter())) if deadline else 0.1)
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
        peak_rss_mb=max([usage.ru_maxrss * 1024 / MB, *(mb for _, mb in samples)]),
        returncode=process.returncode,
        user_s=usage.ru_utime,
        system_s=usage.ru_stime,
        log=str(log_path),
        timed_out=timed_out,
        memory_cap_gb=memory_cap_gb,
        started_at=started_at,
        samples=samples,
    )
    step.failure = failure_reason(step, tail(log_path))
    if check and step.failure:
        raise StepFailed(step, tail(log_path))
    return step


def _address_space_cap(gigabytes: float):
    """A preexec_fn: the child (and what it starts) may map at most `gigabytes` of memory."""
    limit = int(gigabytes * GB)

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return cap


def failure_reason(step: Step, log_tail: str = "") -> str | None:
    """None for a step that exited 0; otherwise how it ended and after how many seconds."""
    if step.returncode == 0 and not step.timed_out:
        return None
    at = f"after {step.seconds:.{1 if step.seconds < 10 else 0}f} s"
    if step.timed_out:
        return f"timed out {at}"
    if any(marker.lower() in log_tail.lower() for marker in ALLOCATION_FAILED):
        how = "allocation failed"
    elif step.returncode == -signal.SIGKILL:
        how = "killed (SIGKILL, the system's out-of-memory killer or another process)"
    elif step.returncode < 0:
        how = f"killed by {signal.Signals(-step.returncode).name}"
    else:
        how = f"exited with {step.returncode}"
    cap = f", memory cap {step.memory_cap_gb:g} GB" if step.memory_cap_gb else ""
    return f"{how} {at}{cap}"


def stage_peaks(samples: list[tuple[float, float]], windows: dict[str, tuple[float, float]]) -> dict[str, float | None]:
    """Peak MB of the process tree in each (start s, end s) window; a window shorter than the
    sampling interval takes the sample nearest its middle."""
    peaks: dict[str, float | None] = {}
    for name, (start, end) in windows.items():
        inside = [mb for t, mb in samples if start <= t <= end]
        if inside:
            peaks[name] = round(max(inside), 1)
        elif samples:
            middle = (start + end) / 2
            peaks[name] = round(min(samples, key=lambda sample: abs(sample[0] - middle))[1], 1)
        else:
            peaks[name] = None
    return peaks


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


# Where folders of earlier steps are moved instead of being deleted (set_aside).
SET_ASIDE = ".set-aside"


def set_aside(folder: Path) -> None:
    """`folder` moved out of the way, to be removed when the run ends (remove_set_aside).

    Deleting it now would slow the next step: ext4 without a journal keeps from reusing inodes
    freed in the last minutes, and searches past them for every file it creates, so the
    hundreds of thousands of files a step writes would pay for the clean-up of the last one."""
    if not folder.exists():
        return
    aside = folder.parent / SET_ASIDE
    aside.mkdir(exist_ok=True)
    folder.rename(aside / f"{folder.name}-{time.monotonic_ns()}")


def remove_set_aside(root: Path) -> None:
    """Every folder set_aside moved under `root`."""
    for aside in sorted(root.rglob(SET_ASIDE)):
        shutil.rmtree(aside, ignore_errors=True)


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
