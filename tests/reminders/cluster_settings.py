"""Settings for the real ``qcluster`` of the cluster test: dsar.settings, with the sentinel's
guard loop ticking every 30 s instead of every 0.5 s.

django-q2 runs its scheduler from that loop once 30 s of ticks have added up (``counter >=
30``): with a 30 s tick that is on the loop's first pass, as the cluster starts, instead of 30 s
later. Everything else is the cluster as deployed: the same broker, workers, scheduler and
schedules; stopping is not slowed (the loop waits on the stop event).
"""

from dsar.settings import *  # noqa: F403
from dsar.settings import Q_CLUSTER

Q_CLUSTER = {**Q_CLUSTER, "guard_cycle": 30}
