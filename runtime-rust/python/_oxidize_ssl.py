"""ssl support: when ssl is imported in an executable, the finder calls
register() with it (see AfterImportLoader).

Certificates, keys and DH parameters given by their path under the
executable (`create_default_context(cafile=<exe>/pkg/ca.pem)`) are read by
OpenSSL, which opens files itself. SSLContext's methods that take such paths
hand them to the file view (_oxidize_files), imported only when a path is
under the executable: a program that uses ssl with the machine's
certificates does not load the view. An ordinary module of the payload.
"""
import sys
import posix

from _oxidize_importer import EXE
from _oxidize_startup import FILE_VIEW_ORIGINALS

_PREFIX = EXE + "/"


def _viewed(path):
    """Whether the file view's guards would hand `path` to the view (their
    prefix test, before the view normalizes the path)."""
    if path is None or not FILE_VIEW_ORIGINALS:
        return False
    try:
        path = posix.fspath(path)
    except TypeError:
        return False  # ssl raises its own error for it
    if isinstance(path, bytes):
        path = path.decode(sys.getfilesystemencoding(), "surrogateescape")
    return path.startswith(_PREFIX)


def register(ssl):
    base = ssl._ssl._SSLContext

    def load_verify_locations(self, cafile=None, capath=None, cadata=None):
        if _viewed(cafile) or _viewed(capath):
            import _oxidize_files

            return _oxidize_files.ssl_load_verify_locations(base, self, cafile, capath, cadata)
        return base.load_verify_locations(self, cafile, capath, cadata)

    def load_cert_chain(self, certfile, keyfile=None, password=None):
        if _viewed(certfile) or _viewed(keyfile):
            import _oxidize_files

            return _oxidize_files.ssl_load_cert_chain(base, self, certfile, keyfile, password)
        return base.load_cert_chain(self, certfile, keyfile, password)

    def load_dh_params(self, path):
        if _viewed(path):
            import _oxidize_files

            return _oxidize_files.ssl_load_dh_params(base, self, path)
        return base.load_dh_params(self, path)

    for function in (load_verify_locations, load_cert_chain, load_dh_params):
        function.__doc__ = getattr(base, function.__name__).__doc__
        function.__qualname__ = "SSLContext." + function.__name__
        setattr(ssl.SSLContext, function.__name__, function)
