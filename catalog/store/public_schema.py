"""The public catalog's layout: the allow-list of its tables and columns, and its marker table.

Shared by ``catalog.publish`` (which writes exactly these columns) and the Datasette plugin (which
recognizes a public catalog by them and describes them), so the plugin never loads the builder.
"""

from __future__ import annotations

#: Allow-list of the public catalog: table -> the columns copied, in order. Nothing else is.
PUBLIC_TABLES: dict[str, tuple[str, ...]] = {
    "assets": (
        "id",
        "sha256",
        "virin",
        "title",
        "caption",
        "photographer",
        "photographer_unit",
        "credit",
        "source",
        "date_created",
        "keywords",
        "city",
        "sublocation",
        "state",
        "country_code",
        "country",
        "service_shown",
        "camera_make",
        "camera_model",
        "shot_date",
        "virin_base",
        "virin_date",
        "virin_service",
        "virin_service_name",
        "virin_originator",
        "virin_originator_kind",
        "virin_sequence",
        "virin_variant",
        "virin_country",
        "credit_kind",
        "credit_organization",
        "credit_service",
        "credit_unit",
        "photographer_rank",
        "photographer_name",
        "release_status",
        "classification_marking",
        "format",
        "width",
        "height",
    ),
    "keywords": ("sha256", "position", "keyword"),
    "thumbnails": ("sha256", "width", "height", "jpeg"),
}

#: The one-row table that marks a file as a public catalog (the Datasette plugin looks for it).
PUBLICATION_TABLE = "catalog_publication"
