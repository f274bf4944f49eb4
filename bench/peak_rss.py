"""``python -m bench.peak_rss COMMAND...``: run COMMAND, print its peak resident memory in MiB.

The peak is that of its largest process (the import's main process or one of its workers), as the
kernel reports it for the waited-for descendants of this fresh process.
"""

import resource
import subprocess
import sys

subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
