"""The 10 regional police units and their RIECs as groups of safety regions.

Source: Besluit territoriale indeling politie (2012, Stb. 2012, 442), which makes the
regional units unions of safety regions; the RIEC regions follow the same territory
(LIEC, "Samenwerkingsverbanden RIEC"). Codes PE01-PE10 are Knooppunt's own.
"""

from __future__ import annotations

POLICE_UNITS: list[tuple[str, str, str, tuple[str, ...]]] = [
    ("PE01", "Noord-Nederland", "RIEC Noord-Nederland", ("VR01", "VR02", "VR03")),
    ("PE02", "Oost-Nederland", "RIEC Oost-Nederland", ("VR04", "VR05", "VR06", "VR07", "VR08")),
    ("PE03", "Midden-Nederland", "RIEC Midden-Nederland", ("VR09", "VR14", "VR25")),
    ("PE04", "Noord-Holland", "RIEC Noord-Holland", ("VR10", "VR11", "VR12")),
    ("PE05", "Amsterdam", "RIEC Amsterdam-Amstelland", ("VR13",)),
    ("PE06", "Den Haag", "RIEC Haaglanden / Hollands Midden", ("VR15", "VR16")),
    ("PE07", "Rotterdam", "RIEC Rotterdam", ("VR17", "VR18")),
    ("PE08", "Zeeland-West-Brabant", "RIEC Zeeland-West-Brabant", ("VR19", "VR20")),
    ("PE09", "Oost-Brabant", "RIEC Oost-Brabant", ("VR21", "VR22")),
    ("PE10", "Limburg", "RIEC Limburg", ("VR23", "VR24")),
]
