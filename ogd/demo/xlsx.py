"""Writes generated workbooks with fixed timestamps, so equal seeds give equal bytes."""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from pathlib import Path

_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def repack(data: bytes, path: Path, exported_at: datetime.datetime) -> None:
    """Write the xlsx zip `data` to `path`, every timestamp set to `exported_at`."""
    stamp = exported_at.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    zip_time = exported_at.timetuple()[:6]
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _MODIFIED.sub(rb"\g<1>" + stamp + rb"\g<2>", content)
            entry = zipfile.ZipInfo(info.filename, date_time=zip_time)
            target.writestr(entry, content, compress_type=zipfile.ZIP_DEFLATED)
