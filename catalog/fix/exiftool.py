"""The writer: ExifTool, the reference metadata writer, run once per ``catalog fix`` run.

One ``exiftool -stay_open True -@ -`` process takes every file's arguments through the argfile
protocol (one argument a line on its standard input, ``-execute`` to run them), so no value ever
reaches a shell or a command line. A value holding a line break, which one argfile line cannot
carry, goes through a file (``-TAG<=FILE``). ExifTool rewrites only the metadata segments; the
image data is copied through untouched. ``-overwrite_original`` is given for the copy only - the
source is never named to ExifTool at all.

IPTC is written with the 1:90 UTF-8 marker and ``IPTCDigest=new``, so a reader knows the IIM and
XMP copies, written together here, agree.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from catalog.core.record import field_locations
from catalog.fix.plan import EXIF, GPS, GPS_FIELDS, IPTC, XMP, Edit

INSTALL_HINT = (
    "catalog fix needs ExifTool, which is not installed: apt-get install libimage-exiftool-perl"
)
READY = "{ready}"

_LOCATIONS = field_locations()
#: IIM dataset -> ExifTool's tag name (ExifTool names datasets, it does not number them).
IIM_TAG_NAMES = {
    "2:05": "ObjectName",
    "2:10": "Urgency",
    "2:15": "Category",
    "2:20": "SupplementalCategories",
    "2:25": "Keywords",
    "2:40": "SpecialInstructions",
    "2:55": "DateCreated",
    "2:80": "By-line",
    "2:85": "By-lineTitle",
    "2:90": "City",
    "2:92": "Sub-location",
    "2:95": "Province-State",
    "2:100": "Country-PrimaryLocationCode",
    "2:101": "Country-PrimaryLocationName",
    "2:105": "Headline",
    "2:110": "Credit",
    "2:115": "Source",
    "2:120": "Caption-Abstract",
    "2:122": "Writer-Editor",
}
#: XMP namespace prefix -> ExifTool's group name, where they differ.
XMP_GROUPS = {"Iptc4xmpCore": "iptcCore"}


class ExifToolMissing(RuntimeError):
    """ExifTool is not installed: the message says how to install it."""


class WriteError(RuntimeError):
    """ExifTool refused to write a copy; the message names the file and ExifTool's reason."""


def tag_names(edit: Edit) -> list[str]:
    """The ExifTool tags ``edit`` writes (``IPTC:By-line``, ``XMP-dc:creator`` ...), from the
    record model's map of where each field lives; the GPS edit clears the whole EXIF GPS group."""
    names: list[str] = []
    for field in GPS_FIELDS if edit.field == GPS else (edit.field,):
        location = _LOCATIONS[field]
        if IPTC in edit.copies and location.iptc:
            names.append(f"IPTC:{IIM_TAG_NAMES[location.iptc[0]]}")
        if XMP in edit.copies and location.xmp:
            prefix, name = location.xmp[0].split(":")
            names.append(f"XMP-{XMP_GROUPS.get(prefix, prefix)}:{name}")
        if EXIF in edit.copies and location.exif:
            names.append(f"{location.exif[0].split()[0]}:all")
    return list(dict.fromkeys(names))


class ExifTool:
    """One ExifTool process for a run; use as a context manager, ``write`` per copy."""

    def __init__(self, executable: str = "exiftool") -> None:
        found = shutil.which(executable)
        if found is None:
            raise ExifToolMissing(INSTALL_HINT)
        self._process = subprocess.Popen(
            [found, "-stay_open", "True", "-@", "-"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            encoding="utf-8",
            errors="surrogateescape",
        )
        self._spill = tempfile.TemporaryDirectory(prefix="catalog-fix-")

    def __enter__(self) -> ExifTool:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        try:
            if self._process.poll() is None:
                self._stdin.write("-stay_open\nFalse\n")
                self._stdin.close()
                self._process.wait(timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            self._process.kill()  # ExifTool died or hangs: nothing is left for it to write
            self._process.wait()
        finally:
            self._spill.cleanup()

    def write(self, copy: Path, edits: Iterable[Edit], *, iim: bool) -> None:
        """Apply ``edits`` to the file ``copy`` in place (it must be a copy, never a source)."""
        arguments = ["-overwrite_original", "-charset", "iptc=UTF8"]
        if iim:
            arguments += ["-IPTC:CodedCharacterSet=UTF8", "-IPTCDigest=new"]
        for number, edit in enumerate(edits):
            arguments += self._assignments(edit, number)
        if "\n" in str(copy) or "\r" in str(copy):
            raise WriteError(f"{copy}: a path with a line break cannot be given to ExifTool")
        arguments.append(str(copy))
        output = self._execute(arguments)
        if "1 image files updated" not in output:
            reason = " ".join(line for line in output.splitlines() if line.strip())
            raise WriteError(f"{copy}: ExifTool did not write the copy ({reason})")

    def _assignments(self, edit: Edit, number: int) -> Iterator[str]:
        """``-TAG=VALUE`` lines; a list is written item by item (in one command ExifTool replaces
        the old list with them), None and an empty list clear the tag."""
        items = [] if edit.new is None else edit.new if isinstance(edit.new, list) else [edit.new]
        for tag in tag_names(edit):
            if not items:
                yield f"-{tag}="
            for index, item in enumerate(items):
                yield self._assignment(tag, _text(item), f"{number}-{index}")

    def _assignment(self, tag: str, value: str, name: str) -> str:
        if value.strip() == value and "\n" not in value and "\r" not in value:
            return f"-{tag}={value}"
        spilled = Path(self._spill.name) / name
        spilled.write_text(value, encoding="utf-8")
        return f"-{tag}<={spilled}"

    def _execute(self, arguments: list[str]) -> str:
        stdin = self._stdin
        stdin.write("\n".join([*arguments, "-execute", ""]))
        stdin.flush()
        lines = []
        stdout: IO[str] = self._process.stdout  # type: ignore[assignment]
        for line in stdout:
            if line.strip() == READY:
                return "".join(lines)
            lines.append(line)
        raise WriteError("ExifTool stopped unexpectedly: " + "".join(lines).strip())

    @property
    def _stdin(self) -> IO[str]:
        return self._process.stdin  # type: ignore[return-value]


def _text(value: Any) -> str:
    """A record value as ExifTool reads it (dates as YYYY:MM:DD, its own date form)."""
    if isinstance(value, dt.date):
        return value.strftime("%Y:%m:%d")
    return str(value)
