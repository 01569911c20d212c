"""One analysis per file: imports, qualified names, value origins, constants and the facts rules use."""
