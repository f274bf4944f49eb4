"""What differs between Datasette 0.65 (the tested version) and the 1.0 alphas, in one place.

Datasette 0.65 asks plugins for metadata through the ``get_metadata`` hook and reads facets,
sort order and canned queries from that same metadata. The 1.0 alphas dropped the hook: titles
and descriptions live in tables of Datasette's internal database, written with
``set_*_metadata``; table settings are read from the configuration (``datasette.yaml``), and
canned queries are stored queries added with ``add_query``. So on 1.0, ``install_catalogs``
writes at startup what ``get_metadata`` answers on 0.65 - the same dicts of
``catalog.web.config``, for ``datasette catalog.db`` as for ``catalog serve``. What the person
running Datasette configured themselves (their metadata, ``datasette.yaml``, queries of the same
name) is kept: the catalog's only fills in what is not set.

Permissions changed too: 0.65 checks ``(action, resource)`` pairs, 1.0 resource objects.
"""

from __future__ import annotations

from typing import Any

from datasette import Forbidden

from catalog.web.config import TITLE, configuration, metadata


def is_datasette_1(datasette: Any) -> bool:
    return hasattr(datasette, "set_column_metadata")


async def may_view_table(datasette: Any, actor: Any, database: str, table: str) -> bool:
    """Whether ``actor`` may see ``table`` (and so its database and the instance)."""
    if not is_datasette_1(datasette):
        try:
            await datasette.ensure_permissions(
                actor,
                [("view-table", (database, table)), ("view-database", database), "view-instance"],
            )
        except Forbidden:
            return False
        return True
    from datasette.resources import TableResource  # 1.0 only

    resource = TableResource(database=database, table=table)
    return await datasette.allowed(action="view-table", resource=resource, actor=actor)


def settle_settings(datasette: Any, kinds: dict[str, str]) -> None:
    """Give a server of catalogs the settings ``catalog serve`` starts it with (facet
    suggestions off: they count every column of a table at each page view, seconds at a million
    assets; pages of 50 rows), where its own settings kept Datasette's defaults and every
    catalog served agrees on the value: so ``datasette catalog.db`` is as fast as ``catalog
    serve``. 0.65 and 1.0 both keep the settings in ``_settings``; neither has a hook for them."""
    if not kinds:
        return
    from datasette.app import DEFAULT_SETTINGS

    wanted = [configuration(kind, name)["settings"] for name, kind in kinds.items()]
    for setting, value in wanted[0].items():
        agreed = all(other.get(setting) == value for other in wanted)
        if agreed and datasette._settings.get(setting) == DEFAULT_SETTINGS.get(setting):
            datasette._settings[setting] = value


async def install_catalogs(datasette: Any, kinds: dict[str, str]) -> None:
    """On Datasette 1.0, describe and configure every recognized catalog (see the module)."""
    if not kinds or not is_datasette_1(datasette):
        return
    instance = await datasette.get_instance_metadata()
    if not instance.get("title"):
        await datasette.set_instance_metadata("title", TITLE)
    for name, kind in kinds.items():
        described = metadata(kind, name)
        await _describe(datasette, described["databases"][name], name)
        config = configuration(kind, name)["databases"][name]
        _configure(datasette, name, config)
        await _add_queries(datasette, name, config["queries"])
    if len(kinds) == 1 and not instance.get("description"):  # as get_metadata does on 0.65
        await datasette.set_instance_metadata("description", described["description"])


async def _describe(datasette: Any, described: dict[str, Any], name: str) -> None:
    present = await datasette.get_database_metadata(name)
    for key in ("title", "description"):
        if not present.get(key):
            await datasette.set_database_metadata(name, key, described[key])
    for table, about in described["tables"].items():
        if not (await datasette.get_resource_metadata(name, table)).get("description"):
            await datasette.set_resource_metadata(name, table, "description", about["description"])
        for column, text in about["columns"].items():
            if not (await datasette.get_column_metadata(name, table, column)).get("description"):
                await datasette.set_column_metadata(name, table, column, "description", text)


def _configure(datasette: Any, name: str, config: dict[str, Any]) -> None:
    """Table settings (facets, sort order, label column, plugin settings) and the database's
    plugin settings (the map's plain tile) beneath the configuration's own: 1.0 reads them from
    ``datasette.config`` and has no hook for them."""
    if datasette.config is None:
        datasette.config = {}
    database = datasette.config.setdefault("databases", {}).setdefault(name, {})
    configured = database.setdefault("tables", {})
    for table, settings in config["tables"].items():
        configured[table] = {**settings, **configured.get(table, {})}
    plugins = database.setdefault("plugins", {})
    for plugin, settings in config.get("plugins", {}).items():
        plugins[plugin] = {**settings, **plugins.get(plugin, {})}


async def _add_queries(datasette: Any, name: str, queries: dict[str, dict[str, str]]) -> None:
    for query, about in queries.items():
        if await datasette.get_query(name, query) is None:
            await datasette.add_query(
                name,
                query,
                about["sql"],
                title=about.get("title"),
                description=about.get("description"),
                description_html=about.get("description_html"),
                is_trusted=True,  # as 1.0 marks datasette.yaml queries: ours, not a visitor's
            )
