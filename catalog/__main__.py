from catalog.cli import cli

cli()
