"""``catalog fix``: corrected copies of images, as ``ruff --fix`` is for code.

``plan`` decides (pure: findings and record in, field edits out, each tied to a rule code and
marked safe or unsafe), ``exiftool`` writes (the one adapter that changes bytes, and only in
copies), ``run`` analyses the files in isolated workers and ties the two together, ``diff``
shows an edit before it is made. ``available`` says which rules have a fix at all.
"""
