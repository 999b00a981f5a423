"""Entry point: `sample --name NAME` greets NAME with facts about the runtime."""

import argparse
import json
import sys

from . import __version__
from .greeting import greet


def main(argv=None):
    parser = argparse.ArgumentParser(prog="sample", description="Greets someone from an oxidize executable.")
    parser.add_argument("--name", default="world", help="who to greet")
    parser.add_argument("--json", action="store_true", help="print the greeting as JSON")
    parser.add_argument("--exit", type=int, default=0, help="exit with this status")
    args = parser.parse_args(argv)
    message = greet(args.name)
    if args.json:
        print(json.dumps({"message": message, "version": __version__, "oxidized": getattr(sys, "oxidized", False)}))
    else:
        print(message)
    return args.exit


if __name__ == "__main__":
    sys.exit(main())
