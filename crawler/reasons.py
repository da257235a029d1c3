"""Turn a failed download into a reason a person can read: "connection refused", "timeout after 30 s"."""

from __future__ import annotations

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    ResponseDataLossError,
)
from scrapy.settings import BaseSettings
from twisted.internet import error as tx
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived


def failure_reason(failure: Failure, settings: BaseSettings) -> str:
    message = failure.getErrorMessage()
    if failure.check(DownloadCancelledError) and "max size" in message.lower():
        return f"larger than {settings.getint('DOWNLOAD_MAXSIZE') // (1024 * 1024)} MB"
    if failure.check(DownloadTimeoutError, tx.TimeoutError, tx.TCPTimedOutError):
        return f"timeout after {settings.getint('DOWNLOAD_TIMEOUT')} s"
    if failure.check(DownloadConnectionRefusedError, tx.ConnectionRefusedError):
        return "connection refused"
    if failure.check(CannotResolveHostError, tx.DNSLookupError):
        return "host not found"
    if failure.check(ResponseDataLossError):
        return "incomplete download: the connection closed before the whole body arrived"
    if failure.check(ResponseFailed, ResponseNeverReceived, tx.ConnectionLost, tx.ConnectionDone,
                     DownloadFailedError):
        return "connection lost (closed or reset by the server)"
    return f"{failure.type.__name__}: {message[:200]}"
