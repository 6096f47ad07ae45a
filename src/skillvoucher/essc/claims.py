"""The identity claims an e-SSC ID token carries besides the registered ones (iss, aud, sub, exp, …).

A real national or provincial platform may name them differently; docs/essc.md says where to map them.
"""

from typing import Final

ID_NUMBER_CLAIM: Final = "id_number"  # resident ID number (18 characters)
NAME_CLAIM: Final = "name"
REGION_CLAIM: Final = "region"  # the card's issuing region, a GB/T 2260 code
