"""Reports for the board and the council: builders, rendering (HTML and typst PDF), schedules."""
