"""Units (OPD, perangkat daerah) of the city government."""
