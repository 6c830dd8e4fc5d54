"""When the build spreads work over processes, moves it to the background, or updates the site in place: every
such threshold in one place.

Each was set by measuring builds of 1,000 and 10,000 entries on two cores (benchmarks/README.md): below a
threshold, starting another process costs more than it saves. None changes what a build writes, only how
fast; tests set them to 0 to run the other path on the sample.
"""

PARALLEL_ENTRIES = 1500
"""Dossiers with fewer entries are read in this process alone (content/load.py)."""

DUPLICATES_ENTRIES = 1500
"""Dossiers with fewer entries look for events reported twice in this process, not beside related reading (site/assemble.py)."""

PARALLEL_PAGES = 1500
"""Sites with fewer pages to render, or to key, do it in this process (build.py)."""

RENDER_CHUNK = 50
"""Pages a process renders at a time: small enough that a few heavy ones (themes, print volumes) leave no core idle at the end."""

SITE_FILES_ENTRIES = 1500
"""A rebuild rendering few pages of a dossier with fewer entries makes the whole-site files itself, not in another process (build.py)."""

MIN_ITEMS = 4000
"""Below this many items a job of parallel.py runs in this process."""

PARALLEL_RUNS = 2
"""Pagefind runs at a time, one per search bundle (search/index.py)."""

BACKGROUND_FILES = 5000
"""A previous site with fewer files is looked for in this process, not while the content is read (incremental/reuse.py)."""

IN_PLACE_FILES = 500
"""A rebuild changing at most this many files, or IN_PLACE_SHARE of the site, updates it in place (incremental/reuse.py)."""

IN_PLACE_SHARE = 0.1
"""See IN_PLACE_FILES."""
