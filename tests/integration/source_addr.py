"""Browsers that connect from another loopback address (127.0.0.2, ...), so that nginx and
the programs see distinct clients: REMOTE_ADDR is the socket's source address."""
import requests
from requests.adapters import HTTPAdapter

from web import Browser


class _SourceAdapter(HTTPAdapter):
    def __init__(self, source, **kw):
        self._source = source
        super().__init__(**kw)

    def init_poolmanager(self, *args, **kw):
        kw["source_address"] = (self._source, 0)
        super().init_poolmanager(*args, **kw)


def browser_from(address):
    """A Browser whose connections leave from `address` (any 127.x.y.z)."""
    b = Browser()
    b.s.mount("http://", _SourceAdapter(address))
    return b


def session_from(address):
    s = requests.Session()
    s.mount("http://", _SourceAdapter(address))
    return s
