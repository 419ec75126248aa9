"""The product's routes, read from the programs themselves: every program binary prints
its route table with `--routes`, one route a line: METHOD PATTERN ROLES FLAGS (ROLES and
FLAGS comma-separated, "-" for none). Tests built on this list keep covering the routes
that later work adds, without anyone editing the tests.

The binaries read are the ones the stack under test runs ($RM_STATE/app/bin), or the
build's when that is not there.
"""
import glob
import os
import re
import subprocess
from dataclasses import dataclass

import dbutil

ROLES = ("OWNER", "DOCTOR", "RECEPTIONIST")


@dataclass(frozen=True)
class Route:
    program: str
    method: str
    pattern: str
    roles: frozenset
    flags: frozenset

    @property
    def public(self):
        return "PUBLIC" in self.flags

    @property
    def params(self):
        return re.findall(r":(\w+)", self.pattern)

    def __str__(self):
        return f"{self.method} {self.pattern}"


def _bin_dir():
    state = os.environ.get("RM_STATE")
    if state and os.path.isdir(os.path.join(state, "app", "bin")):
        return os.path.join(state, "app", "bin")
    return os.path.join(dbutil.REPO, "build", "release", "bin")


def parse(program, text):
    out = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) != 4 or not parts[1].startswith("/"):
            raise ValueError(f"{program} --routes: unexpected line {line!r}")
        method, pattern, roles, flags = parts
        as_set = (lambda s: frozenset() if s == "-" else frozenset(s.split(",")))
        out.append(Route(program, method, pattern, as_set(roles), as_set(flags)))
    return out


def all_routes():
    """Every route of every program that has a route table (the sender has none: it
    exits without printing routes)."""
    routes = []
    for path in sorted(glob.glob(os.path.join(_bin_dir(), "*"))):
        if not os.access(path, os.X_OK):
            continue
        p = subprocess.run([path, "--routes"], capture_output=True, text=True, timeout=10,
                           env={"PATH": "/usr/bin:/bin"})
        if p.returncode != 0 or not p.stdout.strip():
            continue
        routes.extend(parse(os.path.basename(path), p.stdout))
    return routes
