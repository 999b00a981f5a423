"""Memory of a process as it exits: resident memory split by kind.

Reads JSON from stdin: {"runs": N, "variants": [{"name": ..., "argv": [...], "env": {...}, "cwd": ...}]}
and prints {name: [{"anon_kb", "file_kb", "shmem_kb", "hwm_kb"}, ...]}.

Each run is traced (ptrace, PTRACE_O_TRACEEXIT) so that it stops in exit_group,
before its memory is torn down, and /proc/<pid>/status is read there: RssAnon
(heap, stacks, private copies), RssFile (mapped files: the executable with its
payload, shared libraries), RssShmem (memory files: extension modules loaded
from memory) and VmHWM (the peak of their sum). Tracing is slow, so these runs
are separate from the timed ones.
"""
import ctypes
import json
import os
import signal
import sys

PTRACE_TRACEME, PTRACE_CONT, PTRACE_SETOPTIONS = 0, 7, 0x4200
PTRACE_O_TRACEEXIT, PTRACE_EVENT_EXIT = 0x40, 6

libc = ctypes.CDLL(None, use_errno=True)
libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]
libc.ptrace.restype = ctypes.c_long


def ptrace(request, pid, data=0):
    if libc.ptrace(request, pid, None, ctypes.c_void_p(data)) == -1:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))


def status_fields(pid):
    fields = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("RssAnon", "RssFile", "RssShmem", "VmHWM"):
                fields[key] = int(value.split()[0])
    return {"anon_kb": fields["RssAnon"], "file_kb": fields["RssFile"], "shmem_kb": fields["RssShmem"], "hwm_kb": fields["VmHWM"]}


def run_once(variant):
    env = dict(os.environ)
    env.update(variant.get("env", {}))
    devnull = os.open(os.devnull, os.O_RDWR)
    pid = os.fork()
    if pid == 0:
        try:
            os.dup2(devnull, 0)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            if variant.get("cwd"):
                os.chdir(variant["cwd"])
            ptrace(PTRACE_TRACEME, 0)
            os.execve(variant["argv"][0], variant["argv"], env)
        finally:
            os._exit(127)
    os.close(devnull)
    _, status = os.waitpid(pid, 0)  # stopped at exec
    ptrace(PTRACE_SETOPTIONS, pid, PTRACE_O_TRACEEXIT)
    ptrace(PTRACE_CONT, pid, 0)
    found = None
    while True:
        _, status = os.waitpid(pid, 0)
        if os.WIFEXITED(status) or os.WIFSIGNALED(status):
            break
        sig = os.WSTOPSIG(status)
        if sig == signal.SIGTRAP and (status >> 16) == PTRACE_EVENT_EXIT:
            if found is None:
                found = status_fields(pid)
            ptrace(PTRACE_CONT, pid, 0)
        else:
            # Deliver what the program was sent (SIGCHLD, SIGPIPE, ...).
            ptrace(PTRACE_CONT, pid, 0 if sig == signal.SIGTRAP else sig)
    if found is None:
        sys.exit("no exit event seen for " + " ".join(variant["argv"]))
    return found


def main():
    spec = json.load(sys.stdin)
    out = {v["name"]: [run_once(v) for _ in range(spec["runs"])] for v in spec["variants"]}
    json.dump(out, sys.stdout)


main()
