"""Run every benchmark: ``python -m bench``."""

from bench import credit, virin

for module in (virin, credit):
    for line in module.run():
        print(line)
