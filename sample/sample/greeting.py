import sys


def greet(name):
    where = "from memory" if getattr(sys, "oxidized", False) else "from the filesystem"
    return "Hello, %s! (Python %d.%d, imported %s)" % (name, sys.version_info[0], sys.version_info[1], where)
