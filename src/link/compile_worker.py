"""Compiles Python source to marshalled code objects for oxidize.

Reads JSON lines {"source" (a path) or "data" (base64), "filename", "optimize", "out"} from stdin and
writes marshal.dumps(code) to "out" (via a temporary file and a rename).
Prints one JSON line per source that does not compile: {"source", "error"}, with
{"type", "msg", "line", "column"} for a SyntaxError; the
build packs those as source only (importing them raises the same error).
Run with the distribution's interpreter, so the bytecode matches it.
"""
import base64
import json
import marshal
import os
import sys


def main():
    for line in sys.stdin:
        job = json.loads(line)
        if "data" in job:
            source = base64.b64decode(job["data"])
        else:
            with open(job["source"], "rb") as f:
                source = f.read()
        try:
            code = compile(source, job["filename"], "exec", dont_inherit=True, optimize=job["optimize"])
        except Exception as e:  # SyntaxError, ValueError (NUL bytes), RecursionError, ...
            detail = "%s: %s" % (type(e).__name__, e)
            failure = {"source": job["source"], "error": detail}
            if isinstance(e, SyntaxError):
                # Where, for messages that point into the code (a config's runCommand).
                failure.update(type=type(e).__name__, msg=e.msg, line=e.lineno, column=e.offset)
            print(json.dumps(failure), flush=True)
            continue
        out = job["out"]
        os.makedirs(os.path.dirname(out), exist_ok=True)
        tmp = "%s.%d.tmp" % (out, os.getpid())
        with open(tmp, "wb") as f:
            f.write(marshal.dumps(code))
        os.replace(tmp, out)


main()
