"""The programs and their route tables, as the binaries print them (`prog --routes`).

Tests derive page lists and the role matrix from here instead of keeping them by hand.
The list of programs is the Makefile's PROGRAMS; the sender serves no routes.
"""
import os
import re
import subprocess

import dbutil

NOT_FASTCGI = {"sender"}


def programs():
    """Every FastCGI program, in the Makefile's order."""
    with open(os.path.join(dbutil.REPO, "Makefile")) as f:
        m = re.search(r"^PROGRAMS\s*:?=\s*(.+)$", f.read(), re.M)
    assert m, "no PROGRAMS line in the Makefile"
    return [p for p in m.group(1).split() if p not in NOT_FASTCGI]


def binary(program):
    """The deployed binary of the running instance (else the release build)."""
    state = os.environ.get("RM_STATE")
    if state and os.path.exists(os.path.join(state, "app", "bin", program)):
        return os.path.join(state, "app", "bin", program)
    return os.path.join(dbutil.REPO, "build", "release", "bin", program)


class Route:
    def __init__(self, program, line):
        self.program = program
        method, pattern, roles, flags = line.split(" ")
        self.method, self.pattern = method, pattern
        self.roles = set() if roles == "-" else set(roles.split(","))
        self.flags = set() if flags == "-" else set(flags.split(","))

    @property
    def public(self):
        return "PUBLIC" in self.flags

    def path(self, value="00000000-0000-4000-8000-000000000000"):
        """The pattern with each :parameter filled in."""
        return re.sub(r":[a-z_]+", value, self.pattern)

    def __repr__(self):
        return f"{self.method} {self.pattern}"


def routes(program):
    out = subprocess.run([binary(program), "--routes"], capture_output=True, text=True,
                         check=True, timeout=10).stdout
    return [Route(program, line) for line in out.splitlines() if line.strip()]


def all_routes():
    return [r for p in programs() for r in routes(p)]
