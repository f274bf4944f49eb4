"""FIL rules: what the readers say about a file, a sidecar, a manifest or an article.

Every reader turns damage into one of these findings instead of an exception, so an import never
stops on one bad file and nothing that could be read is lost. They are declared in one module
because several readers share them (a value that cannot become its record type can come from IPTC,
XMP or EXIF alike).
"""

from __future__ import annotations

from catalog.core.findings import Severity
from catalog.core.rule import define

FILE_UNSUPPORTED = define(
    "FIL001",
    "file-unsupported",
    Severity.ERROR,
    "The file is not a JPEG, TIFF or PNG image.",
    explanation="""
The catalog reads metadata from JPEG, TIFF and PNG carriers only, and decides the format from the
file's first bytes, never from its name. Anything else (another image format, a text file, an
empty file) is reported and skipped; its sidecars and manifest rows are still read.
""",
    good="220215-F-DU706-1241.jpg starting with the bytes FF D8 FF",
    bad="220215-F-DU706-1241.jpg that is really a GIF, or an empty file",
    fix="Convert the image to JPEG, TIFF or PNG, or remove it from the folder.",
)

EXTENSION_MISMATCH = define(
    "FIL002",
    "extension-mismatch",
    Severity.WARNING,
    "The file name's extension does not match the format of its content.",
    explanation="""
The content decides how the file is read. A PNG named .jpg is read as a PNG, but other tools (and
the DoD ingest) may trust the extension and refuse or mangle it.
""",
    good="photo.png containing PNG data",
    bad="photo.jpg containing PNG data",
    fix="Rename the file with the extension of its real format.",
)

CONTAINER_MALFORMED = define(
    "FIL003",
    "container-malformed",
    Severity.WARNING,
    "The image file's structure is truncated or damaged.",
    explanation="""
The JPEG segments, PNG chunks or TIFF directories could not be walked to the end: the file was cut
short or is corrupt. Metadata found before the damage is kept; anything after it is missing.
""",
    good="a JPEG whose header segments end with a start-of-scan marker",
    bad="a JPEG cut in the middle of its APP13 segment",
    fix="Get an intact copy of the file from its source.",
)

METADATA_MALFORMED = define(
    "FIL004",
    "metadata-malformed",
    Severity.WARNING,
    "An EXIF, IPTC, Photoshop or XMP block is malformed; only part of it could be read.",
    explanation="""
The block exists but does not follow its format: an IPTC dataset runs past the end of its block,
the XMP is not well-formed XML, an EXIF directory points outside the data. Values read before the
damage are kept; the part named in the finding tells which block failed.
""",
    good="an XMP packet that parses as RDF/XML",
    bad="an XMP packet cut in the middle of an element",
    fix="Rewrite the metadata with a conforming tool (ExifTool, Photo Mechanic, Adobe Bridge).",
)

XML_FORBIDDEN = define(
    "FIL005",
    "xml-forbidden",
    Severity.ERROR,
    "XMP uses XML features the catalog refuses to process (DTD, entities, external references).",
    explanation="""
XMP never needs a document type declaration or entities; they are how billion-laughs and external
entity attacks are carried. The XML is parsed only through defusedxml, which refuses them; the
whole XMP packet is then ignored.
""",
    good="<x:xmpmeta xmlns:x='adobe:ns:meta/'>...</x:xmpmeta>",
    bad="<!DOCTYPE x [<!ENTITY a 'aaaa...'>]><x:xmpmeta>&a;&a;...</x:xmpmeta>",
    fix="Treat the file as hostile; obtain a clean copy from its source.",
)

IPTC_CHARSET_MISSING = define(
    "FIL006",
    "iptc-charset-missing",
    Severity.WARNING,
    "IPTC-IIM text outside ASCII without the 1:90 character-set marker.",
    explanation="""
IIM text has no fixed encoding: dataset 1:90 (Coded Character Set, ESC % G for UTF-8) says which
one is used. Without it every reader guesses, and guesses differ: ExifTool assumes Windows Latin-1,
other tools assume UTF-8, so the same caption shows up with mojibake somewhere. The catalog reads
such text as UTF-8 when it is valid UTF-8 (Latin-1 text practically never is) and as Windows
Latin-1 (cp1252) otherwise, and says which it chose.
""",
    good="1:90 = ESC % G, then 2:80 By-line 'Sgt. José Núñez' in UTF-8",
    bad="2:80 By-line 'Sgt. José Núñez' in UTF-8 bytes and no 1:90 dataset",
    fix="Write the IPTC again with a tool that sets the UTF-8 marker (exiftool -charset iptc=UTF8 "
    "-IPTC:CodedCharacterSet=UTF8 ...).",
)

IPTC_INVALID_UTF8 = define(
    "FIL007",
    "iptc-invalid-utf8",
    Severity.WARNING,
    "IPTC-IIM text is not valid UTF-8 although the 1:90 marker says it is.",
    explanation="""
The usual cause is a tool that wrote Latin-1 text into a file whose IIM already declared UTF-8.
The catalog reads the value as Windows Latin-1 (cp1252), which recovers such text, and keeps the
raw bytes in the finding; ExifTool shows '?' for the invalid bytes instead.
""",
    good="1:90 = ESC % G and 2:05 'café' as the bytes 63 61 66 C3 A9",
    bad="1:90 = ESC % G and 2:05 'café' as the bytes 63 61 66 E9",
    fix="Rewrite the value in UTF-8.",
)

IPTC_UTF8_CUT = define(
    "FIL008",
    "iptc-utf8-cut",
    Severity.WARNING,
    "An IPTC-IIM value ends in the middle of a UTF-8 character: it was cut at a byte limit.",
    explanation="""
IIM limits are bytes, not characters (32 for a By-line). A tool that cuts a UTF-8 value at the limit
can split a multi-byte character; the DoD ingest does exactly that. The catalog drops the broken
tail and reports the value as truncated: the full text must come from another source.
""",
    good="2:80 'Staff Sgt. José Núñez' (24 bytes)",
    bad="2:80 cut at 32 bytes inside 'ñ', leaving the single byte C3 at the end",
    fix="Shorten the value so it fits the IIM limit, and keep the full text in XMP.",
)

IPTC_DATASET_REPEATED = define(
    "FIL009",
    "iptc-dataset-repeated",
    Severity.WARNING,
    "A non-repeatable IPTC-IIM dataset occurs more than once; the first occurrence is used.",
    explanation="""
Only some IIM datasets may repeat (Keywords, Supplemental Category, By-line ...). Two Object Names
or two Captions mean two tools wrote the block, or one block was appended to another; readers
disagree on which wins (ExifTool shows the last). The catalog keeps the first and lists the rest -
except for the release fields (2:40 Special Instructions): there every copy is weighed by the
release decision, so "Released" followed by "Not Released" is a conflict (REL003), never a release.
""",
    good="one 2:05 Object Name",
    bad="2:05 '220215-F-DU706-1241' followed by 2:05 '220215-F-DU706-1242'",
    fix="Remove the extra datasets with a metadata editor.",
)

IPTC_SEVERAL_BLOCKS = define(
    "FIL010",
    "iptc-several-blocks",
    Severity.INFO,
    "The IPTC-IIM data is spread over several Photoshop resource blocks; all were read in order.",
    explanation="""
A file normally holds one IPTC-NAA resource (0x0404). Several occur when a tool appends a block
instead of rewriting it; Photoshop and Pillow read only one of them, ExifTool shows the extras as
IPTC2, IPTC3. The catalog reads the datasets of all blocks in file order, so repeated datasets are
reported by their own rule.
""",
    good="one 0x0404 resource in the APP13 segment",
    bad="two 0x0404 resources, the second one appended by another tool",
    fix="Rewrite the IPTC with one tool so it is stored once.",
)

VALUE_INVALID = define(
    "FIL011",
    "value-invalid",
    Severity.WARNING,
    "A metadata value cannot become its record field (impossible date, coordinate out of range).",
    explanation="""
The raw value is kept (it is shown with its source) but the record field stays unset for this
source, so the merge can fall back on another source. Examples: IPTC Date Created 20220230, an
EXIF GPS rational with a zero denominator, a GPS latitude of 123 degrees, an EXIF date
0000:00:00 with garbage.
""",
    good="2:55 Date Created 20220215",
    bad="2:55 Date Created 20220230",
    fix="Correct the value in the file (or override it in a sidecar).",
)

SEVERAL_VALUES = define(
    "FIL012",
    "several-values",
    Severity.INFO,
    "A source holds several values for a record field that keeps one; the first is used.",
    explanation="""
Some IIM datasets and XMP properties are lists (By-line, dc:creator, Supplemental Categories) while
the record keeps one photographer and one classification (Supplemental Category #1, as the DoD
guide says). The first value is used, every value is kept with its source.
""",
    good="one 2:80 By-line",
    bad="2:80 'SrA Karla Parra' and 2:80 'SSgt John Doe'",
    fix="Keep one value, or move the others to the caption.",
)

SIDECAR_INVALID = define(
    "FIL013",
    "sidecar-invalid",
    Severity.ERROR,
    "A sidecar file cannot be used, or one of its values was rejected.",
    explanation="""
A JSON sidecar must be one JSON object whose keys are record fields, without duplicate keys, NaN or
Infinity, within the size and nesting limits, and each value must fit its field. An XMP sidecar
must be well-formed XMP. Rejected values are named; the other values of the sidecar are used.
""",
    good='IMG_0001.json: {"virin": "220215-F-DU706-1241", "keywords": ["C-17"]}',
    bad='IMG_0001.json: {"virin": "220215-F-DU706-1241", "virin": "x", "gps_latitude": NaN}',
    fix="Correct the sidecar; `catalog rules FIL013` lists the constraints.",
)

MANIFEST_INVALID = define(
    "FIL014",
    "manifest-invalid",
    Severity.ERROR,
    "A CSV manifest cannot be read, or not to its end (encoding, header, quoting).",
    explanation="""
A manifest is UTF-8 CSV (a byte-order mark is allowed) whose header names a `file` column and
record fields. Unknown or repeated column names, a missing `file` column or undecodable bytes make
the whole manifest unusable, because every row would be misread (the finding names the line of the
first undecodable byte: Excel's "CSV" is Windows Latin-1, save as "CSV UTF-8"). A quote that is
never closed swallows the rest of the file into one cell: reading stops there, the rows before it
are kept.
""",
    good="file,virin,caption",
    bad="filename;VIRIN;Caption (no file column, unknown names)",
    fix="Fix the header: `file` plus the record field names of `catalog rules` documentation.",
)

MANIFEST_ROW_INVALID = define(
    "FIL015",
    "manifest-row-invalid",
    Severity.ERROR,
    "A row of a CSV manifest is rejected, entirely or in one of its values.",
    explanation="""
Each row names one file, relative to the manifest, which must stay inside the manifest's folder;
its values must convert to the record's types (dates as YYYY-MM-DD, numbers with a dot, keywords
separated by semicolons). The finding names the manifest and the row; a bad value drops only that
value, a bad path drops the row.
""",
    good="photos/220215-F-DU706-1241.jpg,220215-F-DU706-1241,2022-02-15",
    bad="../../etc/passwd,220215-F-DU706-1241,15/02/2022",
    fix="Correct the row in the manifest.",
)

ARTICLE_BLOCK_INCOMPLETE = define(
    "FIL016",
    "article-block-incomplete",
    Severity.WARNING,
    "A photo block of a web page has no VIRIN: it is kept, but can match no image.",
    explanation="""
Every photo block of a DoD web page becomes a record (caption, credit, VIRIN, title), matched to
the catalog's images by its VIRIN. Some layouts print none (marines.mil "Photo Information", old
"Click photo for screen-resolution image" blocks, a `Credit:` line without a `VIRIN:`), and a
layout the reader does not know may hide it: the block is kept as a record without a VIRIN and
this finding points at its first line, so that nothing on the page is dropped silently.
""",
    good="Loading Cargo / Airmen load ... / Credit: Air Force Senior Airman ... / VIRIN: ...",
    bad="a caption and a Credit: line with no VIRIN anywhere in the block",
    fix="Find the image's VIRIN (the page's download link names the file) and add it to the page "
    "or to a manifest row.",
)

FILE_UNREADABLE = define(
    "FIL018",
    "file-unreadable",
    Severity.ERROR,
    "The file cannot be opened or read.",
    explanation="""
The file exists in the folder checked but cannot be read: the operating system refuses it
(permissions, an I/O error), or it is not a regular file - a symbolic link, a FIFO, a socket or a
device named like an image. Links are never followed (one can point out of the folder, or into a
loop) and special files are never opened (a FIFO would wait forever). Nothing in it was checked.""",
    good="photos/220215-F-DU706-1241.jpg: a regular file readable by the user running the check",
    bad="photos/220215-F-DU706-1241.jpg with mode 000, or a symbolic link to /etc/passwd",
    fix="Fix the file's permissions, or put the file itself (not a link) in the folder.",
)

FILE_NOT_ANALYZED = define(
    "FIL019",
    "file-not-analyzed",
    Severity.ERROR,
    "The file's analysis was stopped: too large, too slow, too much memory, or a crash.",
    explanation="""
Every image, manifest and article is analysed in a separate worker process with a time limit and
a memory limit (`--timeout`, `--memory-limit`), because some failures cannot be caught: a crafted
file can crash an image codec or send a metadata parser into an endless loop. A worker that
overruns a limit is stopped, one that crashes is replaced, and the file it held is reported here
with the reason; the other files are checked as usual. Files larger than 1 GiB are refused without
being read. A genuine photo never needs this: such a file is damaged or hostile.""",
    good="a 24-megapixel JPEG, analysed in a fraction of a second",
    bad="a file whose EXIF makes the parser loop until the time limit",
    fix="Get an intact copy of the file from its source; treat it as hostile until then.",
)

#: The largest image, in pixels, whose pixels the catalog decodes: Pillow's own default limit,
#: above which Pillow warns of a decompression bomb (the catalog refuses already at the warning).
IPTC_IN_TRAILER = define(
    "FIL021",
    "iptc-in-trailer",
    Severity.WARNING,
    "The IPTC-IIM data is stored after the end of the JPEG image (a FotoStation or AFCP trailer).",
    explanation="""
FotoWare FotoStation and tools writing the AXS File Concatenation Protocol (AFCP) append the IPTC
after the JPEG's end-of-image marker instead of storing it in an APP13 segment. The catalog and
ExifTool read it there, but Photoshop, Pillow, most web tools and the DoD ingest do not: for them
the caption, credit and VIRIN are missing.""",
    good="IPTC in an APP13 Photoshop 3.0 segment before the image data",
    bad="a JPEG whose only IPTC follows its end-of-image marker, written by FotoStation",
    fix="Copy the metadata into APP13 IPTC and XMP with a current tool, then drop the trailer.",
)

MAX_IMAGE_PIXELS = 89_478_485

IMAGE_TOO_LARGE = define(
    "FIL020",
    "image-too-large",
    Severity.ERROR,
    "The image declares more pixels than the catalog decodes (a decompression bomb).",
    explanation=f"""
A few hundred bytes of PNG or JPEG header can declare an image of 100,000 by 100,000 pixels, and
decoding it would take tens of gigabytes of memory: a decompression bomb. The catalog decodes no
image of more than {MAX_IMAGE_PIXELS:,} pixels (Pillow's limit, where it warns; the catalog treats
the warning as an error). The metadata is still read and checked; no thumbnail is made.""",
    good="6000 x 4000 pixels (24 megapixels)",
    bad="a 300-byte PNG declaring 200000 x 200000 pixels",
    fix="Check where the file comes from; a real panorama this large should be delivered reduced.",
)


PIXELS_UNDECODABLE = define(
    "FIL017",
    "pixels-undecodable",
    Severity.ERROR,
    "The image data cannot be decoded.",
    explanation="""
The metadata of the file could be read, but its pixels could not be decoded: the file is cut short,
damaged, or uses an encoding the catalog's image library does not support. Such a file would fail
on ingest too; the catalog keeps its record and findings, without a thumbnail.""",
    good="A JPEG that opens in any image viewer",
    bad="A JPEG truncated in the middle of its image data",
    fix="Export or copy the image again from the original.",
)

ARTICLE_NOT_UTF8 = define(
    "FIL025",
    "article-not-utf8",
    Severity.WARNING,
    "A web page given as an article is not UTF-8; it was read as Windows-1252.",
    explanation="""
Pages are saved as UTF-8 today; an older page, or one saved by a Windows tool, is Windows-1252
(curly quotes and dashes as single bytes 0x91-0x97). Decoding it as UTF-8 with replacement would
silently turn those characters into U+FFFD in every caption; the catalog reads such a page as
Windows-1252 instead (the five bytes it leaves undefined as Latin-1 control characters, which
REC007 flags) and reports the first line that is not UTF-8, so the guess is never silent.""",
    good="a page saved as UTF-8",
    bad="a page saved as Windows-1252: 'Airmen load the aircraft \\x96 Feb. 14, 2022'",
    fix="Save the page as UTF-8 (or check the captions read from it for wrong characters).",
)
