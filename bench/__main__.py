"""Run every benchmark: ``python -m bench``."""

from bench import virin

for module in (virin,):
    for line in module.run():
        print(line)
