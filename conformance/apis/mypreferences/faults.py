"""Named defects the MyPreferences mock can be started with; `breaks` lists the requirements
the suite must then report failed."""

from conformance.mock.base import Fault

FAULTS: dict[str, Fault] = {}
