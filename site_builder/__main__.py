"""`python -m site_builder` is `site-builder`."""
import sys

from .cli import main

sys.exit(main())
