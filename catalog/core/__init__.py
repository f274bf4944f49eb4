"""The pure core: parsing and validation rules, no I/O."""
