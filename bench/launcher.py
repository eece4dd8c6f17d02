"""Start the measured commands from a small process, and measure them.

Run by checks.py as ``python -I -S bench/launcher.py``: it reads one JSON
job per line on stdin, runs it, and answers one JSON line on stdout::

    {"argv": [...], "cwd": "...", "stdout": "path", "stderr": "path",
     "timeout": 1800}
    -> {"seconds": 9.1, "utime": 8.9, "stime": 0.2, "maxrss_kib": 73000,
        "exit_code": 0, "timed_out": false}

Why a separate process: on Linux a child's ``ru_maxrss`` is at least the
resident size of the memory it was exec'd from. With vfork or posix_spawn
(what subprocess uses) that is the *peak* RSS of the parent, so a parent
that once held a large report would inflate every later figure. This
launcher stays small (no site, stdlib only, never reads the outputs) and
uses a real fork, so the floor is its own current RSS, a few MiB, below
any Python tool's own peak. checks.py prints that floor.
"""
import json
import os
import signal
import sys
import time


def run(job):
    argv, timeout = job["argv"], float(job.get("timeout") or 0)
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # child: redirect, then exec; never return to Python code
        try:
            stdin = os.open(os.devnull, os.O_RDONLY)
            out = os.open(job["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            err = os.open(job["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            os.dup2(stdin, 0)
            os.dup2(out, 1)
            os.dup2(err, 2)
            if job.get("cwd"):
                os.chdir(job["cwd"])
            os.execvp(argv[0], argv)
        except BaseException as exc:  # noqa: BLE001 - report anything, then leave
            os.write(2, f"launcher: cannot run {argv[0]}: {exc}\n".encode())
        finally:
            os._exit(127)

    timed_out = []

    def kill(signum, frame):
        timed_out.append(True)
        os.kill(pid, signal.SIGKILL)

    if timeout > 0:
        signal.signal(signal.SIGALRM, kill)
        signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        _, status, usage = os.wait4(pid, 0)
    finally:
        if timeout > 0:
            signal.setitimer(signal.ITIMER_REAL, 0)
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds, "utime": usage.ru_utime, "stime": usage.ru_stime,
        "maxrss_kib": usage.ru_maxrss // 1024 if sys.platform == "darwin" else usage.ru_maxrss,
        "exit_code": os.waitstatus_to_exitcode(status), "timed_out": bool(timed_out),
    }


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        sys.stdout.write(json.dumps(run(json.loads(line))) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
