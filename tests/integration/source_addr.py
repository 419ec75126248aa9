"""Browsers that connect from another loopback address (127.0.0.2, ...), so that nginx and
the programs see distinct clients: REMOTE_ADDR is the socket's source address."""
import requests

from web import Browser, SourceAdapter as _SourceAdapter


def browser_from(address):
    """A Browser whose connections leave from `address` (any 127.x.y.z)."""
    b = Browser()
    b.source = address
    b.s.mount("http://", _SourceAdapter(address))
    return b


def session_from(address):
    s = requests.Session()
    s.mount("http://", _SourceAdapter(address))
    return s
