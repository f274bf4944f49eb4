"""A media asset catalog for official DoD imagery.

The package is layered so the folder names show the architecture:

* ``catalog.core``    - pure parsing and rules (VIRIN, credit lines, captions, the record model).
                        No file, network or database access: everything here is a function of its
                        arguments, which is what makes it easy to test exhaustively.
* ``catalog.tables``  - loads the code tables in ``schemas/tables`` that the core consults.
* ``catalog.readers`` - files to one record with provenance: EXIF, IPTC, XMP, sidecars, CSV
                        manifests, article text (``read_asset``); merged by ``core.merge``.
* ``catalog.cli``     - the ``catalog`` command, a thin click adapter over the layers above.
"""

__version__ = "0.1.0"

try:  # a hard dependency, checked first: without it Pillow silently returns no XMP
    import defusedxml  # noqa: F401
except ImportError as error:  # pragma: no cover - exercised in a subprocess by the tests
    raise ImportError(
        "catalog refuses to start: the 'defusedxml' package is missing. All XML (XMP in images "
        "and sidecars) is parsed through defusedxml, because image files are untrusted input; "
        "install it with `pip install defusedxml`."
    ) from error
